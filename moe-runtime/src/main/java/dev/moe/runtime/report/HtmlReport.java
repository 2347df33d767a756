package dev.moe.runtime.report;

import dev.moe.gating.routing.ProductRouting;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.evaluation.ModelResult;
import dev.moe.runtime.MoeVersion;
import dev.moe.runtime.evaluation.Calibration;
import dev.moe.runtime.evaluation.ClassRouting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** One self-contained HTML page (charts embedded as PNG data) describing an evaluation. */
public final class HtmlReport {

    static final String NO_VALIDATION = "none (no early stopping)";

    private HtmlReport() {
    }

    public static String render(EvaluationReport report, String configText) {
        return render(report, configText, null, null);
    }

    /**
     * @param commandLine the command that produced the report, shown in the header; null when not known
     * @param createdAt   when the report was written; null for now
     */
    public static String render(EvaluationReport report, String configText, String commandLine, Instant createdAt) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                // Without it a phone lays the page out 980 px wide and shrinks it to a third: unreadable.
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>moe report: ")
                .append(escape(report.dataset())).append("</title>\n<style>")
                // Text keeps a readable measure; tables may take more (40-character model names).
                .append("body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}")
                .append("p,h1,h2,h3,pre{max-width:860px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}")
                .append(".notice{background:#fff4e0;border-left:4px solid #e69500;padding:.5em 1em}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}tr.moe{font-weight:bold;background:#eef6ff}")
                .append(".meta{color:#555;font-size:.9em}code{background:#f3f3f3;padding:0 .2em}#as-run td,#gate-repeats td:nth-child(3),#calibration td:nth-child(3),#calibration th:nth-child(3),#class-routing td:nth-child(3),#class-routing td:nth-child(6){text-align:left}")
                // The config's long comment lines wrap: in print a scrolled box is cut at the page's edge.
                .append("pre{background:#f7f7f7;padding:1em;font-size:.85em;white-space:pre-wrap;overflow-wrap:anywhere}")
                // A table or chart wider than a narrow screen scrolls sideways in its own box; the page itself never does.
                .append(".scroll{overflow-x:auto;margin:1em 0}.scroll table{margin:0}img{max-width:100%;display:block}.scroll img{min-width:560px}")
                .append("img.small{display:inline-block;max-width:49%;margin:.5em 0}.note{color:#444;border-left:4px solid #bbb;padding:.2em 1em}")
                // Names and figures stay whole: "tribuo-ensemble" and "log-loss" broke at their hyphens, "+0.039 ± 0.039" and
                // a calibration bin's "0.74 → 0.82 (17)" across lines.
                .append("#results td,#results th,.arg,.bin,#paired td:first-child,#calibration td:first-child,#experts td:first-child,")
                .append("#candidates td:first-child,#class-routing td:nth-child(3),#class-routing td:nth-child(6){white-space:nowrap}")
                // Where the mixture lost, the figure has the notices' colour: the notices are above, the figure is here.
                .append("td.loss{background:#fff4e0;color:#8a4b00;font-weight:bold}")
                .append("@media (max-width:600px){img.small{max-width:100%}}")
                // On paper: no scroll boxes (nothing can scroll there), and no chart, table row or notice cut by a page break.
                .append("@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}.scroll{overflow:visible}.scroll img{min-width:0}")
                .append("img,tr,.notice,.note{break-inside:avoid}h2,h3{break-after:avoid}}")
                .append("</style></head><body>\n");
        h.append("<h1>moe evaluation: ").append(escape(report.dataset())).append("</h1>\n");
        h.append("<p id=\"provenance\" class=\"meta\">moe ").append(escape(MoeVersion.get())).append(" · ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC)
                        .format(createdAt == null ? Instant.now() : createdAt));
        if (commandLine != null && !commandLine.isBlank()) {
            // Each argument unbroken: a browser breaks "--html" after its first hyphen, which read as "- -html".
            h.append(" · <code>").append(java.util.Arrays.stream(commandLine.split(" "))
                    .map(a -> "<span class=\"arg\">" + escape(a) + "</span>").collect(java.util.stream.Collectors.joining(" ")))
                    .append("</code>");
        }
        h.append("</p>\n");
        // What ran, once: a configured gate's strategy, or the combiner (chosen by cross-validation, or named alone).
        String combiner = ReportWriter.combiner(report);
        if (combiner.startsWith("strategy ")) {
            h.append("<p>Strategy <b>").append(escape(report.strategy())).append("</b>")
                    .append(report.strategyParameters().isEmpty() ? "" : " (" + escape(report.strategyParameters()) + ")").append(", ");
        } else {
            h.append("<p>Combiner <b>").append(escape(combiner.substring("combiner ".length()))).append("</b>, ");
        }
        h.append(repeats(report.repeats())).append(", seeds ").append(report.seeds()).append(", ");
        if (savedMixture(report)) {
            h.append(report.testRows()).append(" labelled rows, scored by the saved mixture as it is.</p>\n");
        } else {
            h.append(report.gateTrainRows()).append(" gate-train rows and ").append(report.testRows()).append(" test rows per repeat.</p>\n");
        }
        if (report.unlabelledRows() != null) {
            // Said on stderr when it happened; the page is what is kept, so it says so too.
            long n = report.unlabelledRows();
            h.append("<p>").append(n).append(n == 1 ? " row" : " rows").append(" of the data had no label")
                    .append(" (<code>data.unlabelled</code>) and ").append(n == 1 ? "was" : "were").append(" left out.</p>\n");
        }

        for (String notice : report.notices()) {
            h.append("<p class=\"notice\"><b>Notice:</b> ").append(escape(notice)).append("</p>\n");
        }
        for (String note : report.notes()) {
            h.append("<p class=\"note\">Note: ").append(escape(note)).append("</p>\n");
        }
        h.append("<h2>Results</h2>\n<div class=\"scroll\"><table id=\"results\"><thead><tr><th>model</th><th>accuracy</th><th>± std</th>")
                .append("<th>macro F1</th><th>weighted F1</th><th>log-loss</th><th>moe − model<br>(paired)</th></tr></thead><tbody>\n");
        // One repeat has no spread and no standard error: a "0.000" there would claim a certainty never measured (as in
        // the console table, which leaves them out).
        boolean repeated = report.repeats() > 1;
        for (ModelResult r : report.results()) {
            EvaluationReport.Comparison c = report.comparisons().stream().filter(x -> x.model().equals(r.model())).findFirst().orElse(null);
            h.append("<tr").append(r.model().equals("moe") ? " class=\"moe\"" : "").append("><td>").append(escape(r.model()))
                    .append("</td><td>").append(f(r.accuracy())).append("</td><td>").append(repeated ? f(r.std()) : "–")
                    .append("</td><td>").append(f(r.macroF1())).append("</td><td>").append(f(r.weightedF1()))
                    .append("</td><td>").append(f(r.logLoss())).append(c != null && c.mixtureLess() ? "</td><td class=\"loss\">" : "</td><td>")
                    .append(c == null ? "" : repeated ? String.format(Locale.ROOT, "%+.3f ± %.3f", c.accuracyDifference(),
                            c.accuracyStandardError()) : String.format(Locale.ROOT, "%+.3f", c.accuracyDifference()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
        if (!report.gate().candidates().isEmpty()) {
            h.append("<h2>How the combiner was chosen</h2>\n<p>Each candidate was cross-validated (5 folds) on the gate's rows,")
                    .append(" never on test rows. ")
                    .append(!report.gate().averagingFloor()
                            ? "The lowest log-loss (ties to the earlier candidate) was trained on all of them."
                            : "The learned candidate with the lowest log-loss was trained on all of them, unless averaging's log-loss"
                                    + " was lower by more than " + ReportWriter.floorMarginText(report) + " standard errors (paired"
                                    + " over the rows): averaging is the floor, taken where it clearly beat every learned combiner there.")
                    .append("</p>\n<div class=\"scroll\"><table id=\"candidates\"><thead><tr><th>candidate</th>")
                    .append("<th>validation log-loss</th><th>validation accuracy</th><th>chosen in repeats</th></tr></thead><tbody>\n");
            for (EvaluationReport.CandidateScore c : report.gate().candidates()) {
                h.append("<tr><td>").append(escape(c.candidate())).append("</td><td>").append(f(c.logLoss())).append("</td><td>")
                        .append(f(c.accuracy())).append("</td><td>").append(c.timesChosen()).append("</td></tr>\n");
            }
            h.append("</tbody></table></div>\n");
        }
        String exponents = ReportWriter.productExponents(report);
        if (!exponents.isEmpty()) {
            h.append("<p>").append(escape(exponents.replaceFirst("^product exponents", "The product's exponents"))).append(". The mixture is the experts' weighted product, each expert's")
                    .append(" probabilities raised to its exponent; an exponent of 0 leaves an expert out.</p>\n");
        }
        image(h, "Accuracy per model", Charts.accuracy(report.results(), report.repeats()));
        List<EvaluationReport.Comparison> paired = pairedShown(report.comparisons());
        if (!paired.isEmpty()) {
            h.append("<p>The mixture against its best expert and the baselines, repeat by repeat on the same test rows")
                    .append(" (mean difference in accuracy ± its standard error over ").append(repeats(report.repeats()))
                    .append("; above 0 the mixture is better):</p>\n<div class=\"scroll\"><table id=\"paired\"><thead><tr><th>compared with</th>")
                    .append("<th>moe − model accuracy</th><th>standard error</th></tr></thead><tbody>\n");
            for (EvaluationReport.Comparison c : paired) {
                h.append("<tr><td>").append(escape(c.model())).append(c.kind().equals("expert") ? " (best expert)" : "")
                        .append(c.mixtureLess() ? "</td><td class=\"loss\">" : "</td><td>")
                        .append(String.format(Locale.ROOT, "%+.3f", c.accuracyDifference())).append("</td><td>")
                        .append(repeated ? f(c.accuracyStandardError()) : "–").append("</td></tr>\n");
            }
            h.append("</tbody></table></div>\n");
            image(h, "Paired differences in accuracy", Charts.pairedDifferences(paired, report.repeats()));
        }

        h.append("<h2>The mixture per label</h2>\n<div class=\"scroll\"><table id=\"per-label\"><thead><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>")
                .append("<th>test rows").append(repeated ? ", all " + repeats(report.repeats()) + "</th><th>test rows per repeat" : "")
                .append("</th></tr></thead><tbody>\n");
        for (EvaluationReport.ClassSummary c : report.moePerClass()) {
            h.append("<tr><td>").append(escape(c.label())).append("</td><td>").append(f(c.precision())).append("</td><td>")
                    .append(f(c.recall())).append("</td><td>").append(f(c.f1())).append("</td><td>")
                    .append(Math.round(c.support() * report.repeats())).append(repeated ? "</td><td>" + count(c.support()) : "")
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
        image(h, "Confusion matrix", Charts.confusion(report.labels(), report.moeConfusion(), report.repeats()));

        calibration(h, report.results());

        h.append("<h2>Routing</h2>\n");
        EvaluationReport.Routing routing = report.routing();
        h.append("<p>Gate entropy ").append(f(routing.gateEntropy())).append(" nats, load CV ").append(f(routing.loadCv()))
                .append(", importance CV ").append(f(routing.importanceCv())).append(", oracle accuracy (a row counts when any expert")
                .append(" gets it right) ").append(f(routing.oracleAccuracy())).append(".</p>\n");
        h.append("<div class=\"scroll\"><table id=\"experts\"><thead><tr><th>expert</th><th>rows routed</th><th>utilization</th><th>mean weight</th>")
                .append("<th>accuracy on its rows</th><th>dead in repeats</th></tr></thead><tbody>\n");
        for (EvaluationReport.ExpertRouting e : routing.experts()) {
            h.append("<tr><td>").append(escape(e.expert())).append("</td><td>").append(f(e.share())).append("</td><td>")
                    .append(f(e.utilization())).append("</td><td>").append(f(e.meanWeight())).append("</td><td>")
                    .append(routedAccuracy(e.routedAccuracy())).append("</td><td>").append(e.deadRepeats()).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
        classRouting(h, routing.classes());
        image(h, "Expert utilization", Charts.utilization(routing.experts(), routing.fairShare()));
        if (savedMixture(report)) {
            // A saved mixture's evaluation streams its rows: neither row weights nor a training history are kept.
            appendConfig(h, report, configText);
            return h.append("</body></html>\n").toString();
        }
        image(h, "Gate weights per expert", Charts.gateWeights(report.gateWeights()));
        h.append("<h2>Gate training</h2>\n<div class=\"scroll\"><table id=\"gate-repeats\"><thead><tr><th>repeat</th><th>seed</th><th>combiner</th>")
                .append("<th>best epoch</th><th>validation loss</th></tr></thead><tbody>\n");
        EvaluationReport.Gate gate = report.gate();
        for (int r = 0; r < gate.bestEpoch().size(); r++) {
            double loss = r < gate.validationLoss().size() ? gate.validationLoss().get(r) : Double.NaN;
            h.append("<tr><td>").append(r + 1).append("</td><td>").append(r < report.seeds().size() ? report.seeds().get(r) : "")
                    .append("</td><td>").append(r < gate.chosen().size() ? escape(gate.chosen().get(r)) : "").append("</td><td>")
                    .append(gate.bestEpoch().get(r)).append("</td><td>").append(Double.isNaN(loss) ? NO_VALIDATION : f(loss))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n<p>Best epoch: the epochs the final gate trained (with early stopping, the epoch kept);")
                .append(" validation loss: the early-stopping rows' log-loss at that epoch.")
                .append(gate.chosen().stream().anyMatch(HtmlReport::newtonFit)
                        ? " The product is fitted exactly, by Newton steps, with no early stopping: its count is its loss values,"
                                + " the start's and one after each step." : "")
                .append(warmupShown(report) > 0 ? " The first " + warmupShown(report) + " epochs routed every row densely"
                        + " (gate.dense-warmup-epochs), then " + escape(report.strategy()) + " took over: the loss jumps there." : "")
                .append("</p>\n");
        boolean newton = !gate.chosen().isEmpty() && newtonFit(gate.chosen().get(0));
        image(h, "Gate training loss per epoch", Charts.loss(report.gateLossFirstRepeat(),
                gate.bestEpoch().isEmpty() ? -1 : gate.bestEpoch().get(0), newton, warmupShown(report)));

        appendConfig(h, report, configText);
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The dense warm-up, where it changed the routing (a strategy other than dense softmax), else 0. */
    private static int warmupShown(EvaluationReport report) {
        List<String> chosen = report.gate().chosen();
        boolean gateFirst = !chosen.isEmpty() && !newtonFit(chosen.get(0)) && !ReportWriter.UNROUTED.contains(chosen.get(0));
        return gateFirst && !report.strategy().equals("softmax-dense") ? report.gate().denseWarmupEpochs() : 0;
    }

    /** The product's exponents (on calibrated or raw experts) are an exact fit by Newton steps, not epochs of a gate. */
    private static boolean newtonFit(String combiner) {
        return combiner.equals(ProductRouting.NAME) || combiner.equals(ProductRouting.NAME + "-raw");
    }

    /** Whether the report is a saved mixture's evaluation (no gate was trained in it). */
    private static boolean savedMixture(EvaluationReport report) {
        return report.gateTrainRows() == 0 && report.gateLossFirstRepeat().isEmpty();
    }

    /**
     * The values the run used and the config's text. For a saved mixture nothing was trained: the values are those it
     * was trained with, and the text is the config the bundle holds (null: none).
     */
    private static void appendConfig(StringBuilder h, EvaluationReport report, String configText) {
        boolean saved = savedMixture(report);
        h.append("<h2>Config</h2>\n<h3>").append(saved ? "As trained" : "As run").append("</h3>\n<div class=\"scroll\"><table id=\"as-run\"><tbody>\n");
        if (!saved) {
            h.append("<tr><td>repeats</td><td>").append(report.repeats()).append("</td></tr>\n");
        }
        h.append("<tr><td>").append(saved ? "seed" : "seeds").append("</td><td>").append(escape(report.seeds().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")))).append("</td></tr>\n");
        if (saved && ReportWriter.UNROUTED.contains(report.strategy())) {
            // A saved average or product records itself as the strategy: no routing to speak of, "not used" would puzzle.
            h.append("<tr><td>combiner</td><td>").append(escape(String.join(", ", report.gate().chosen()))).append(" (")
                    .append(escape(report.strategyParameters())).append(")</td></tr>\n");
        } else {
            h.append("<tr><td>routing strategy</td><td>").append(escape(report.strategy())).append(" (")
                    .append(escape(report.strategyParameters())).append(")").append(escape(unusedRouting(report))).append("</td></tr>\n")
                    .append("<tr><td>combiner chosen</td><td>").append(escape(String.join(", ", report.gate().chosen()))).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
        if (!saved) {
            h.append("<p>These are the values this run used: an option given on the command line (--repeat, --seed, --strategy)"
                    + " takes the place of the config file's value, so the file below may say otherwise.</p>\n")
                    .append("<h3>The config file as written: ").append(escape(report.config())).append("</h3>\n<pre>")
                    .append(escape(configText == null ? "" : configText)).append("</pre>\n");
            return;
        }
        String bundle = report.config().replaceFirst("^saved mixture ", "");
        h.append("<p>Nothing was trained in this evaluation: the mixture was read from ").append(escape(bundle))
                .append(" and scored as saved; the values above are those it was trained with.</p>\n");
        if (configText != null) {
            h.append("<h3>The config it was trained from, as ").append(escape(bundle)).append(" holds it</h3>\n<pre>")
                    .append(escape(configText)).append("</pre>\n");
        } else {
            h.append("<p>").append(escape(bundle)).append(" holds no config (a mixture saved from Java keeps none);"
                    + " <code>moe inspect ").append(escape(bundle))
                    .append("</code> shows what it records of how it was trained.</p>\n");
        }
    }

    /**
     * ", not used: ..." when no repeat's combiner routes (averaging, the product): the strategy named in the config (or
     * its default) then did nothing, and the page must not suggest it decided the results.
     */
    static String unusedRouting(EvaluationReport report) {
        List<String> chosen = report.gate().chosen().stream().distinct().toList();
        if (chosen.isEmpty() || !chosen.stream().allMatch(ReportWriter.UNROUTED::contains)) {
            return "";
        }
        return ", not used: " + String.join(" and ", chosen) + (chosen.size() == 1 ? " weighs" : " weigh")
                + " the experts without routing (the strategy applies to a gate)";
    }

    /** A saved mixture's report: the config text is the one its bundle recorded, or null. */
    public static void writeSaved(EvaluationReport report, String configText, Path target, String commandLine) {
        ReportWriter.writeAtomically(target, render(report, configText, commandLine, Instant.now()).getBytes(StandardCharsets.UTF_8),
                "HTML report");
    }

    public static void write(EvaluationReport report, Path configFile, Path target) {
        write(report, configFile, target, null);
    }

    /** As {@link #write(EvaluationReport, Path, Path)}, with the command line shown in the page's header (may be null). */
    public static void write(EvaluationReport report, Path configFile, Path target, String commandLine) {
        String configText;
        try {
            configText = Files.readString(configFile);
        } catch (IOException e) {
            configText = "(config file not readable: " + e.getMessage() + ")";
        }
        ReportWriter.writeAtomically(target, render(report, configText, commandLine, Instant.now()).getBytes(StandardCharsets.UTF_8), "HTML report");
    }

    /** Per model, a reliability diagram, and a table of the same bins with their counts. */
    private static void calibration(StringBuilder h, List<ModelResult> results) {
        h.append("<h2>Calibration</h2>\n<p>Is each model right as often as it is sure? The test rows of all repeats, binned")
                .append(" by the probability a model gave its answer (confidence): in each bin its mean confidence against")
                .append(" how often it was right, with the rows in the bin. On the dashed diagonal a model is calibrated;")
                .append(" below it, over-confident. ECE: the expected calibration error, the rows-weighted mean gap.</p>\n");
        for (ModelResult r : results) {
            h.append("<img class=\"small\" alt=\"").append(escape("Reliability of " + r.model())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Charts.reliability(r.model(), r.calibration()))).append("\">");
        }
        h.append("\n<div class=\"scroll\"><table id=\"calibration\"><thead><tr><th>model</th><th>ECE</th>")
                .append("<th>per bin: mean confidence → accuracy (rows)</th></tr></thead><tbody>\n");
        for (ModelResult r : results) {
            h.append("<tr><td>").append(escape(r.model())).append("</td><td>").append(f(r.calibration().expectedCalibrationError()))
                    .append("</td><td>");
            List<Calibration.Bin> bins = r.calibration().bins();
            for (int b = 0; b < bins.size(); b++) {
                Calibration.Bin bin = bins.get(b);
                h.append(b == 0 ? "" : " · ").append("<span class=\"bin\">").append(String.format(Locale.ROOT, "%.2f → %.2f (%d)",
                        bin.meanConfidence(), bin.accuracy(), bin.rows())).append("</span>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    /** Per true label: the expert the gate weights most there, how right it is there, and the one most often right. */
    private static void classRouting(StringBuilder h, List<ClassRouting> classes) {
        h.append("<h3>Whom the gate trusts, per class</h3>\n<p>The test rows of each true label (all repeats): the expert")
                .append(" with the largest mean gate weight there and its accuracy there, against the expert most often right")
                .append(" there, and the mixture's accuracy there.</p>\n<div class=\"scroll\"><table id=\"class-routing\"><thead><tr><th>true label</th>")
                .append("<th>test rows</th><th>weighted most</th><th>its mean weight</th><th>its accuracy here</th>")
                .append("<th>most accurate here</th><th>its accuracy</th><th>moe's accuracy</th></tr></thead><tbody>\n");
        for (ClassRouting c : classes) {
            h.append("<tr><td>").append(escape(c.label())).append("</td><td>").append(c.rows()).append("</td><td>")
                    .append(escape(c.mostWeighted())).append("</td><td>").append(f(c.mostWeightedWeight())).append("</td><td>")
                    .append(f(c.mostWeightedAccuracy())).append("</td><td>").append(escape(c.mostAccurate())).append("</td><td>")
                    .append(f(c.mostAccurateAccuracy())).append("</td><td>").append(f(c.moeAccuracy())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private static void image(StringBuilder h, String alt, byte[] png) {
        h.append("<div class=\"scroll\"><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></div>\n");
    }

    /** The best expert (the one the mixture is closest to or behind most) and every baseline. */
    static List<EvaluationReport.Comparison> pairedShown(List<EvaluationReport.Comparison> comparisons) {
        List<EvaluationReport.Comparison> shown = new java.util.ArrayList<>();
        comparisons.stream().filter(c -> c.kind().equals("expert"))
                .min(java.util.Comparator.comparingDouble(EvaluationReport.Comparison::accuracyDifference)).ifPresent(shown::add);
        comparisons.stream().filter(c -> !c.kind().equals("expert")).forEach(shown::add);
        return shown;
    }

    /** A mean count: whole numbers as such, one decimal otherwise. */
    static String count(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** An expert's accuracy on the rows routed to it, or that it got none (it read "NaN"). */
    static String routedAccuracy(double v) {
        return Double.isNaN(v) ? "no rows" : f(v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }


    /** "1 repeat", "3 repeats". */
    private static String repeats(int n) {
        return n + (n == 1 ? " repeat" : " repeats");
    }

}
