package dev.moe.runtime.report;

import dev.moe.gating.routing.ProductRouting;
import dev.moe.gating.routing.UniformRouting;
import dev.moe.gating.training.SignalPool;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.evaluation.ModelResult;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the report as JSON (atomically) and as the console table. */
public final class ReportWriter {

    /**
     * A figure without a value (NaN: no early-stopping rows; an infinite one) is written as null. Jackson's default,
     * the string "NaN" in a list of numbers, is valid JSON that breaks a reader's arithmetic (jq, pandas).
     */
    private static final JsonSerializer<Double> NON_FINITE_AS_NULL = new JsonSerializer<>() {
        @Override
        public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                out.writeNumber(value);
            } else {
                out.writeNull();
            }
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule().addSerializer(Double.class, NON_FINITE_AS_NULL)
                    .addSerializer(double.class, NON_FINITE_AS_NULL));

    private ReportWriter() {
    }

    /**
     * The JSON report's format: a field keeps its meaning within a version, and new fields may be added; a change of
     * meaning or a removed field takes a new version, so that a script reading reports can check what it reads.
     */
    public static final int JSON_FORMAT_VERSION = 1;

    /** What a JSON report starts with: its format and the moe that wrote it, then the report's own fields. */
    record VersionedReport(int formatVersion, String createdBy,
                           @com.fasterxml.jackson.annotation.JsonUnwrapped EvaluationReport report) {
    }

    public static void writeJson(EvaluationReport report, Path file) {
        writeAtomically(file, json(new VersionedReport(JSON_FORMAT_VERSION, "moe " + dev.moe.runtime.MoeVersion.get(), report)),
                "JSON report");
    }

    /** The report's JSON text, as {@link #writeJson} writes it. */
    static byte[] json(Object report) {
        try {
            return JSON.writeValueAsBytes(report);
        } catch (IOException e) {
            throw new MoeException("cannot serialise the JSON report: " + e.getMessage());
        }
    }

    /** Through {@link AtomicFiles}: readers never see half a report, and a failed write leaves the old one. */
    static void writeAtomically(Path file, byte[] content, String what) {
        AtomicFiles.write(file, what, out -> out.write(content));
    }

    /**
     * The console table: one row per model, mean ± std over the repeats, and beside every other model the mixture's
     * paired difference (mean ± standard error over the repeats); then how the combiner was chosen, the routing,
     * and a plain line for each model the mixture lost to.
     */
    public static String table(EvaluationReport report) {
        return table(report, WIDTH);
    }

    /**
     * As {@link #table(EvaluationReport)}, its sentences wrapped at {@code columns} (at most {@link #WIDTH}): a
     * terminal narrower than the lines broke them again mid-word ("(sum 1" / ".25)").
     */
    public static String table(EvaluationReport report, int columns) {
        int lineWidth = Math.max(20, Math.min(WIDTH, columns));
        boolean repeated = report.repeats() > 1;
        StringBuilder out = new StringBuilder();
        // Every line fits 100 columns (a long sentence is wrapped): a wrapped table reads badly.
        Long unlabelled = report.unlabelledRows();
        wrapped(out, String.format(Locale.ROOT, "%d repeat%s, %d test rows%s, data %s%s", report.repeats(),
                repeated ? "s" : "", report.testRows(), repeated ? " each" : "", report.dataset(), unlabelled == null ? ""
                        : " (" + unlabelled + (unlabelled == 1 ? " row" : " rows") + " without a label left out)"), lineWidth);
        results(out, report, columns < WIDTH ? lineWidth : Integer.MAX_VALUE);
        wrapped(out, combiner(report), lineWidth);
        EvaluationReport.Routing routing = report.routing();
        StringBuilder weights = new StringBuilder("mean gate weight:");
        for (EvaluationReport.ExpertRouting e : routing.experts()) {
            // An expert's name, weight and "(dead)" are one thing: never parted at a line's end.
            weights.append(String.format(Locale.ROOT, " %s" + GLUE + "%.2f%s", e.expert(), e.meanWeight(), e.deadRepeats() > 0 ? GLUE + "(dead)" : ""));
        }
        wrapped(out, weights.toString(), lineWidth);
        String exponents = productExponents(report, GLUE);
        if (!exponents.isEmpty()) {
            wrapped(out, exponents, lineWidth);
        }
        wrapped(out, String.format(Locale.ROOT, "oracle accuracy %.3f (a row counts when any expert is right)", routing.oracleAccuracy()), lineWidth);
        if (!report.gate().candidates().isEmpty()) {
            wrapped(out, "combiner chosen by 5-fold cross-validation on the gate's rows (log-loss, accuracy; " + choiceRule(report) + "):", lineWidth);
            List<String> candidates = new ArrayList<>();
            for (EvaluationReport.CandidateScore c : report.gate().candidates()) {
                candidates.add(String.format(Locale.ROOT, "%s %.3f %.3f%s", c.candidate(), c.logLoss(), c.accuracy(),
                        c.timesChosen() > 0 ? " [chosen " + c.timesChosen() + "x]" : "").replace(" ", GLUE));
            }
            wrapped(out, "  " + String.join(" · ", candidates), lineWidth);
        }
        for (String notice : report.notices()) {
            wrapped(out, "notice: " + notice, lineWidth);
        }
        for (String note : report.notes()) {
            wrapped(out, "note: " + note, lineWidth);
        }
        return out.toString();
    }

    /**
     * {@code text} wrapped at {@code columns} (at most {@link #WIDTH}) as the table's sentences are, ending in a line
     * break: for a line printed beside the table (a 72-column hint broke mid-word at 60 columns).
     */
    public static String wrap(String text, int columns) {
        StringBuilder out = new StringBuilder();
        wrapped(out, text, Math.max(20, Math.min(WIDTH, columns)));
        return out.toString();
    }

    /**
     * The product's exponents (the gate weights above are their shares), or "" when no repeat's combiner was a
     * product; their sum above 1 sharpens the experts' agreement, below 1 softens it.
     */
    static String productExponents(EvaluationReport report) {
        return productExponents(report, " ");
    }

    /** As {@link #productExponents(EvaluationReport)}, each name and its exponent joined by {@code glue}. */
    private static String productExponents(EvaluationReport report, String glue) {
        EvaluationReport.Gate gate = report.gate();
        if (gate.productExponents().isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder("product exponents");
        if (report.repeats() > 1) {
            line.append(String.format(Locale.ROOT, " (mean over %d repeat%s)", gate.productRepeats(),
                    gate.productRepeats() == 1 ? "" : "s"));
        }
        if (gate.chosen().contains(SignalPool.NAME)) {
            // Those exponents follow each expert's signals row by row: the gate's bias is where the signals are at their mean.
            line.append(" (at the signals' mean where they follow them)");
        }
        line.append(':');
        double sum = 0;
        for (Map.Entry<String, Double> e : gate.productExponents().entrySet()) {
            line.append(String.format(Locale.ROOT, " %s" + glue + "%.2f", e.getKey(), e.getValue()));
            sum += e.getValue();
        }
        return line.append(String.format(Locale.ROOT, " (sum %.2f)", sum)).toString();
    }

    /** Lines of the console table are at most this wide. */
    static final int WIDTH = 100;

    /** The longest bracketed aside with a figure that the console table never breaks inside ("(paired over 10 repeats)"). */
    static final int SHORT_ASIDE = 30;

    /**
     * {@code text} as lines of at most {@link #WIDTH} characters, broken between words (not inside a short aside in
     * brackets), continued two spaces in.
     */
    static void wrapped(StringBuilder out, String text) {
        wrapped(out, text, WIDTH);
    }

    /**
     * As {@link #wrapped(StringBuilder, String)}, at {@code width} columns. A figure and its standard error
     * ({@code +0.003 ± 0.004}) are never parted, nor words joined by {@link #GLUE} (written as spaces).
     */
    static void wrapped(StringBuilder out, String text, int width) {
        String indent = "";
        String rest = text;
        while (indent.length() + rest.length() > width) {
            int room = width - indent.length();
            int cut = lastBreak(rest, room);
            if (cut <= 0) {
                break; // one word longer than the line: left whole
            }
            // A short aside in brackets that holds a figure stays whole: "(sum\n  1.08)" or "(paired over 5\n  repeats)"
            // reads as two things; words alone ("(the tribuo provider's)") break as any sentence.
            int open = rest.lastIndexOf('(', cut);
            if (open > rest.lastIndexOf(')', cut) && open > 1 && rest.charAt(open - 1) == ' ') {
                int close = rest.indexOf(')', open);
                if (close >= 0 && close - open < SHORT_ASIDE && rest.substring(open, close).chars().anyMatch(Character::isDigit)) {
                    cut = open - 1;
                }
            }
            out.append(indent).append(rest.substring(0, cut).replace(GLUE, " ")).append(System.lineSeparator());
            rest = rest.substring(cut + 1);
            indent = "  ";
        }
        out.append(indent).append(rest.replace(GLUE, " ")).append(System.lineSeparator());
    }

    /** Joins words the console table keeps on one line (a no-break space inside the table's code, a space on screen). */
    static final String GLUE = "\u00A0";

    /** The last space at or before {@code room} where a line may end: not one beside a '±'; -1 when none. */
    private static int lastBreak(String text, int room) {
        for (int i = Math.min(room, text.length() - 1); i > 0; i--) {
            if (text.charAt(i) == ' ' && text.charAt(i - 1) != '±' && (i + 1 >= text.length() || text.charAt(i + 1) != '±')) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The results: one row per model when a row fits {@code columns} (as before at 100); else, on a narrower terminal,
     * the figures and the paired differences as two tables, each with the model's name; else, narrower still, each
     * model as a sentence of figures, wrapped between them.
     */
    private static void results(StringBuilder out, EvaluationReport report, int columns) {
        boolean repeated = report.repeats() > 1;
        int width = Math.max(8, report.results().stream().mapToInt(r -> r.model().length()).max().orElse(0) + 2);
        List<String[]> rows = new ArrayList<>();
        int differenceWidth = "moe - model".length();
        for (ModelResult r : report.results()) {
            String figure = repeated
                    ? String.format(Locale.ROOT, "%.3f ± %.3f", r.accuracy(), r.std())
                    : String.format(Locale.ROOT, "%.3f", r.accuracy());
            EvaluationReport.Comparison c = report.comparisons().stream().filter(x -> x.model().equals(r.model())).findFirst().orElse(null);
            String difference = c == null ? "" : repeated
                    ? String.format(Locale.ROOT, "%+.3f ± %.3f", c.accuracyDifference(), c.accuracyStandardError())
                    : String.format(Locale.ROOT, "%+.3f", c.accuracyDifference());
            differenceWidth = Math.max(differenceWidth, difference.length());
            rows.add(new String[] {r.model(), figure, String.format(Locale.ROOT, "%.3f", r.macroF1()),
                    String.format(Locale.ROOT, "%.3f", r.logLoss()), difference});
        }
        String figures = "%-" + width + "s%-16s%-10s%-10s";
        if (width + 36 + differenceWidth <= columns) {
            out.append(String.format(Locale.ROOT, figures + "%s%n", "model", "accuracy", "macro-F1", "log-loss", "moe - model"));
            for (String[] row : rows) {
                out.append(String.format(Locale.ROOT, figures + "%s", (Object[]) row).stripTrailing()).append(System.lineSeparator());
            }
        } else if (width + 26 + rows.stream().mapToInt(r -> r[3].length()).max().orElse(0) <= columns) {
            out.append(String.format(Locale.ROOT, figures, "model", "accuracy", "macro-F1", "log-loss").stripTrailing())
                    .append(System.lineSeparator());
            for (String[] row : rows) {
                out.append(String.format(Locale.ROOT, figures, row[0], row[1], row[2], row[3]).stripTrailing()).append(System.lineSeparator());
            }
            out.append(String.format(Locale.ROOT, "%-" + width + "s%s%n", "model", "moe - model"));
            for (String[] row : rows) {
                if (!row[4].isEmpty()) {
                    out.append(String.format(Locale.ROOT, "%-" + width + "s%s%n", row[0], row[4]));
                }
            }
        } else {
            for (String[] row : rows) {
                String line = row[0] + ": " + String.join(", ", "accuracy " + row[1], "macro-F1 " + row[2], "log-loss " + row[3])
                        + (row[4].isEmpty() ? "" : ", moe - model " + row[4]);
                // A figure stays with its name ("log-loss 0.056", "moe - model +0.000 ± 0.000").
                wrapped(out, line.replaceAll("(accuracy|macro-F1|log-loss|moe - model) ", "$1" + GLUE).replace("moe - model", "moe" + GLUE + "-" + GLUE + "model"),
                        columns);
            }
        }
    }

    /** How the combiner was chosen among the candidates (gate.floor-margin), as the reports say it. */
    static String choiceRule(EvaluationReport report) {
        return report.gate().averagingFloor() ? "averaging only where its log-loss is lower by more than " + floorMarginText(report) + " standard errors"
                : "the lowest log-loss, ties to the earlier candidate";
    }

    /** The margin as written: 2, 1.5. */
    static String floorMarginText(EvaluationReport report) {
        return new java.math.BigDecimal(Double.toString(report.gate().floorMargin())).stripTrailingZeros().toPlainString();
    }

    /** The combiners that weigh the experts without the routing strategy. */
    static final java.util.Set<String> UNROUTED = java.util.Set.of(UniformRouting.NAME, ProductRouting.NAME, SignalPool.NAME);

    /**
     * "strategy softmax-dense" for a configured gate, or which combiner ran how often: chosen among candidates, or
     * averaging or the product named alone.
     */
    static String combiner(EvaluationReport report) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String chosen : report.gate().chosen()) {
            counts.merge(chosen, 1L, Long::sum);
        }
        // Averaging and the product weigh the experts without the routing strategy: naming it then says nothing.
        boolean routed = counts.keySet().stream().anyMatch(name -> !UNROUTED.contains(name));
        if (report.gate().candidates().isEmpty() && (routed || counts.isEmpty())) {
            String s = "strategy " + report.strategy();
            return report.strategyParameters().isEmpty() ? s : s + " (" + report.strategyParameters() + ")";
        }
        StringBuilder b = new StringBuilder("combiner ");
        counts.forEach((name, n) -> b.append(b.length() > 9 ? ", " : "").append(name)
                .append(report.repeats() > 1 ? " " + n + "/" + report.repeats() : ""));
        return routed ? b.append(" (routing ").append(report.strategy()).append(" for gates)").toString() : b.toString();
    }
}
