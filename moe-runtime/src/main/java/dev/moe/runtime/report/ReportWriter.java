package dev.moe.runtime.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Writes the report as JSON (atomically) and as the console table. */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    public static void writeJson(EvaluationReport report, Path file) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(report);
        } catch (IOException e) {
            throw new MoeException("cannot serialise the JSON report: " + e.getMessage());
        }
        writeAtomically(file, json, "JSON report");
    }

    /** Through {@link AtomicFiles}: readers never see half a report, and a failed write leaves the old one. */
    static void writeAtomically(Path file, byte[] content, String what) {
        AtomicFiles.write(file, what, out -> out.write(content));
    }

    /** The console table: one row per model, mean ± std over the repeats. */
    public static String table(EvaluationReport report) {
        int width = Math.max(8, report.results().stream().mapToInt(r -> r.model().length()).max().orElse(0) + 2);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-" + width + "s%-16s%-10s%-10s(%d repeat%s, test rows %d, data %s)%n", "model",
                "accuracy", "macro-F1", "log-loss", report.repeats(), report.repeats() == 1 ? "" : "s", report.testRows(),
                report.dataset()));
        for (ModelResult r : report.results()) {
            String figure = report.repeats() > 1
                    ? String.format(Locale.ROOT, "%.3f ± %.3f", r.accuracy(), r.std())
                    : String.format(Locale.ROOT, "%.3f", r.accuracy());
            out.append(String.format(Locale.ROOT, "%-" + width + "s%-16s%-10.3f%-10.3f", r.model(), figure, r.macroF1(), r.logLoss()));
            if (r.model().equals("moe")) {
                out.append("strategy ").append(report.strategy());
                if (!report.strategyParameters().isEmpty()) {
                    out.append(" (").append(report.strategyParameters()).append(')');
                }
            }
            out.append(System.lineSeparator());
        }
        EvaluationReport.Routing routing = report.routing();
        out.append(String.format(Locale.ROOT, "routing: gate entropy %.3f nats, load CV %.3f, oracle accuracy %.3f;",
                routing.gateEntropy(), routing.loadCv(), routing.oracleAccuracy()));
        for (EvaluationReport.ExpertRouting e : routing.experts()) {
            out.append(String.format(Locale.ROOT, " %s %.2f%s", e.expert(), e.utilization(), e.deadRepeats() > 0 ? " (dead)" : ""));
        }
        out.append(String.format(Locale.ROOT, " (utilization: share of rows / fair share %.2f)%n", routing.fairShare()));
        return out.toString();
    }
}
