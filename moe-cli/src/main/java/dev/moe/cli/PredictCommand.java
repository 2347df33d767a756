package dev.moe.cli;

import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.bundle.SavedMixture;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER, Main.EXIT_CLOSED_PIPE},
        footerHeading = Main.EXAMPLE, footer = "  moe predict -m model.moe -i new-rows.csv -o predictions.csv",
        description = {"Predict every row of a CSV file with a saved mixture (from `moe train`).",
                "The output has a header row, then one row per input row, in input order: the predicted label, its "
                        + "probability, each label's probability (p:LABEL) and each expert's routing weight (weight:EXPERT, "
                        + "0 when the strategy did not choose it). The input needs the mixture's feature columns, by name, "
                        + "in any order; other columns are ignored. A blank line is no row and gets no output row (with blank "
                        + "lines in the input, output row N is not the input's line N+1). Rows are streamed in blocks of "
                        + CsvPredictions.BATCH_ROWS + "; the output appears only when complete."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", required = true, description = "The saved mixture (.moe).")
    Path model;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", required = true, description = "The rows to predict: a CSV file with a header row; - reads standard input.")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", converter = OutputFile.class, required = true, description = "Where to write the predictions (CSV); - writes standard output. An existing file is replaced only with --overwrite.")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No summary on stdout.")
    boolean quiet;

    @Mixin
    PluginOptions pluginOptions;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() {
        BackendNotice.logFallback(spec.commandLine().getErr());
        CommandInputs.notAConfig(model);
        if (input.getFileName() != null && input.getFileName().toString().matches("(?i).*\\.ya?ml")) {
            // Read as CSV, a config gave "no columns 'RI', ... the file has # Glass identification (214 rows, ...".
            throw new dev.moe.runtime.MoeException(input + ": a config, not the rows to predict: -i takes a CSV file with the mixture's"
                    + " feature columns (moe inspect " + model + " lists them)");
        }
        try (OutputTarget target = OutputTarget.claim(output, "predictions", outputOptions.overwrite,
                CommandInputs.ofModel(model, input, pluginOptions.folder(null)))) {
            long rows;
            try (SavedMixture mixture = pluginOptions.readBundle(model)) {
                rows = CsvPredictions.write(mixture, input, output);
            }
            if (!quiet && !target.isStdout()) {
                spec.commandLine().getOut().printf("predicted %d rows of %s with %s: %s%n", rows, input, model, output);
                spec.commandLine().getOut().flush();
            }
        }
        return 0;
    }
}
