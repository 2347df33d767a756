package dev.moe.cli;

import java.util.List;
import java.util.logging.Level;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The CLI's logging: moe, ND4J and Spark log through slf4j (bound here to slf4j-simple, on stderr), Tribuo through
 * java.util.logging (bridged into slf4j here). Quiet by default (warnings and errors only; Tribuo's per-label metric warnings not even those),
 * {@code --verbose} adds INFO (plugins loaded, experts trained, gate chosen, ND4J's backend, Tribuo's trainers),
 * {@code --debug} adds DEBUG and stack traces. Set before the first logger is made: slf4j-simple reads its
 * settings once. A {@code -Dorg.slf4j.simpleLogger...} property given in {@code MOE_JAVA_OPTS} wins.
 */
final class Logging {

    /** Tribuo's trainers log progress at INFO; stderr is for our own lines unless asked. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");
    /**
     * Tribuo's per-label metrics warn once per label, model and repeat when a test set has no prediction of a rare
     * label ("accuracy ill-defined"): hundreds of lines on shuttle. The report shows such a label's figures as 0.
     */
    private static final java.util.logging.Logger TRIBUO_METRICS_LOG =
            java.util.logging.Logger.getLogger("org.tribuo.classification.evaluation");

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    /** The level the command line asks for: {@code debug}, {@code info} or {@code warn}. */
    static String level(List<String> args) {
        return args.contains("--debug") ? "debug" : args.contains("--verbose") ? "info" : "warn";
    }

    static void configure(List<String> args) {
        String level = level(args);
        setDefault("defaultLogLevel", level);
        setDefault("showThreadName", "false");
        setDefault("showShortLogName", "true");
        setDefault("levelInBrackets", "false");
        setDefault("logFile", "System.err");
        // ND4J's INFO lines on start (backend, BLAS, threads) are useful with --verbose, its DEBUG lines are not moe's.
        setDefault("log.org.nd4j", level.equals("debug") ? "info" : level);
        // Except the CPU backend's one INFO message, its native build flags, which spans lines ("STD version: ...")
        // that read as stray output under --verbose; the class logs nothing else above DEBUG. --debug keeps it.
        setDefault("log.org.nd4j.linalg.cpu.nativecpu.CpuBackend", level.equals("debug") ? "info" : "warn");
        // The levels are set on java.util.logging's side too: a record it drops never costs the bridge anything.
        TRIBUO_LOG.setLevel(level.equals("warn") ? Level.WARNING : Level.INFO);
        TRIBUO_METRICS_LOG.setLevel(level.equals("debug") ? Level.WARNING : Level.SEVERE);
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
