package dev.moe.cli;

import picocli.CommandLine.Option;

/** {@code --overwrite}: the one way to let a command replace a file that exists. */
final class OutputOptions {

    @Option(names = "--overwrite", description = "Replace output files that exist (never the command's own inputs).")
    boolean overwrite;
}
