package dev.moe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.AtomicFiles;
import dev.moe.runtime.bundle.CsvEvaluation;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.io.OutputTarget;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code moe evaluate -m model.moe data.csv}: a saved mixture's accuracy (and each expert's) on a labelled CSV file. */
final class SavedMixtureEvaluation {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SavedMixtureEvaluation() {
    }

    /**
     * @param data            the labelled CSV (--data, or the positional argument; EvaluateCommand refuses a config there)
     * @param json            where to write the figures as JSON, or null
     * @param trainingOptions whether options that only apply to training were given (they are refused)
     */
    static int run(CommandSpec spec, Path model, Path data, Path json, PluginOptions plugins, boolean overwrite, boolean trainingOptions) {
        if (trainingOptions) {
            throw new MoeException("--repeat, --seed and --strategy apply to training; with -m the saved mixture is evaluated as it is");
        }
        try (OutputTarget target = json == null ? null
                : OutputTarget.claim(json, "JSON report", overwrite, CommandInputs.ofModel(model, data, plugins.folder(null)))) {
            return evaluate(spec, model, data, json, plugins, target);
        }
    }

    private static int evaluate(CommandSpec spec, Path model, Path data, Path json, PluginOptions plugins, OutputTarget target) {
        CsvEvaluation.Result result;
        String strategy;
        try (SavedMixture mixture = plugins.readBundle(model)) {
            result = CsvEvaluation.evaluate(mixture, data);
            strategy = mixture.manifest().strategy().name();
            if (target == null || !target.isStdout()) {
                spec.commandLine().getOut().print(result.table(mixture));
                spec.commandLine().getOut().flush();
            }
        }
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.toString());
            report.put("data", data.toString());
            report.put("rows", result.rows());
            report.put("strategy", strategy);
            report.put("accuracy", result.accuracy());
            AtomicFiles.write(json, "JSON report", out -> JSON.writeValue(new NonClosing(out), report));
        }
        return 0;
    }

    /** Jackson closes what it writes to; the atomic writer closes the file itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
