package dev.moe.cli;

import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.util.Map;

/**
 * Turns a plugin's {@code System.exit} into moe's own ending: one line naming the plugin, exit status 2, and no
 * output left behind. Java 17 cannot forbid the call (the security manager is on its way out), but a shutdown hook
 * still runs before the process ends: it looks for the thread inside {@code Runtime.exit}, names the plugin class
 * on its stack (plugin classes come from class loaders named {@code moe-plugin-} and the plugin's path), cleans up
 * and halts. An exit that moe itself asked for, or a signal (Ctrl-C), passes untouched.
 */
final class ExitGuard {

    private static volatile boolean ours;

    private ExitGuard() {
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitGuard::check, "moe-exit-guard"));
    }

    static void exit(int status) {
        ours = true;
        System.exit(status);
    }

    private static void check() {
        if (ours) {
            return;
        }
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] stack = e.getValue();
            boolean exiting = false;
            String culprit = null;
            for (StackTraceElement frame : stack) {
                if (!exiting) {
                    exiting = frame.getClassName().equals("java.lang.Runtime") && frame.getMethodName().equals("exit");
                    continue;
                }
                if (frame.getClassName().equals("java.lang.System")) {
                    continue;
                }
                String loader = frame.getClassLoaderName();
                if (loader != null && loader.startsWith(ProviderRegistry.PLUGIN_LOADER_PREFIX)) {
                    culprit = "plugin " + loader.substring(ProviderRegistry.PLUGIN_LOADER_PREFIX.length()) + " (" + frame.getClassName() + "." + frame.getMethodName() + ")";
                    break;
                }
                if (culprit == null) {
                    culprit = frame.getClassName() + "." + frame.getMethodName();
                }
            }
            if (exiting) {
                OutputTarget.cleanUpForExit();
                System.err.println("moe: " + (culprit == null ? "code in this process" : culprit)
                        + " called System.exit; moe stopped, and wrote no output");
                System.err.flush();
                Runtime.getRuntime().halt(Main.USER_ERROR);
            }
        }
    }
}
