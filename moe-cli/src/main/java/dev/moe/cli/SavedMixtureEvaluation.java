package dev.moe.cli;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.report.HtmlReport;
import dev.moe.runtime.report.ReportWriter;
import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.scoring.SavedMixtureReport;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code moe evaluate -m model.moe --data data.csv}: a saved mixture (every expert alone, their average and the
 * mixture) on a labelled CSV file, reported as {@code moe evaluate} reports a trained config: the console table,
 * {@code --json}, {@code --html}.
 */
final class SavedMixtureEvaluation {

    private SavedMixtureEvaluation() {
    }

    /**
     * @param data            the labelled CSV (--data, or the positional argument; EvaluateCommand refuses a config there)
     * @param json            where to write the report as JSON, or null
     * @param html            where to write the report as an HTML page, or null
     * @param commandLine     the command as typed, for the HTML page's header
     * @param trainingOptions whether options that only apply to training were given (they are refused)
     */
    static int run(CommandSpec spec, Path model, Path data, Path json, Path html, String commandLine, PluginOptions plugins,
                   boolean overwrite, boolean trainingOptions) {
        if (trainingOptions) {
            throw new MoeException("--repeat, --seed and --strategy apply to training; with -m the saved mixture is evaluated as it is");
        }
        CommandInputs.notAConfig(model);
        CommandInputs.distinct(json, "--json", html, "--html");
        List<OutputTarget.Input> inputs = CommandInputs.ofModel(model, data, plugins.folder(null));
        // Both outputs are checked and locked before the rows are read, so that a bad one fails first.
        try (OutputTarget jsonTarget = json == null ? null : OutputTarget.claim(json, "JSON report", overwrite, inputs);
             OutputTarget htmlTarget = html == null ? null : OutputTarget.claim(html, "HTML report", overwrite, inputs)) {
            EvaluationReport report;
            String configText;
            try (SavedMixture mixture = plugins.readBundle(model)) {
                // The JSON report names the rows it was scored on (the file's SHA-256), for moe compare.
                report = SavedMixtureReport.withTrainingFileNotice(CsvEvaluation.evaluate(mixture, data).report(mixture), mixture, data,
                        json != null);
                configText = mixture.configText();
            }
            boolean tableToStdout = (jsonTarget == null || !jsonTarget.isStdout()) && (htmlTarget == null || !htmlTarget.isStdout());
            if (tableToStdout) {
                spec.commandLine().getOut().print(ReportWriter.table(report, ConsoleProgress.stdoutColumns()));
                spec.commandLine().getOut().flush();
            }
            if (json != null) {
                ReportWriter.writeJson(report, json);
            }
            if (html != null) {
                HtmlReport.writeSaved(report, configText, html, commandLine);
            }
        }
        return 0;
    }
}
