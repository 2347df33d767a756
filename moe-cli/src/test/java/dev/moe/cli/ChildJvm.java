package dev.moe.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child {@code moe} JVM on the tests' class path, with the flags the launcher gives every run:
 * on Java 24 and later, a JVM without them writes eight WARNING lines to the stderr that the tests read.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java [flags] [jvm] -cp CLASSPATH dev.moe.cli.Main [args]}, as a list the caller may extend. */
    static List<String> moe(List<String> jvm, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
