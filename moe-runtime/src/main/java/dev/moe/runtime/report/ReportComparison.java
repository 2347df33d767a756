package dev.moe.runtime.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.evaluation.ModelResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Two JSON reports of {@code moe evaluate}, compared repeat by repeat ({@code moe compare}): for every model both
 * report, the second's accuracy and log-loss minus the first's, paired over the repeats they share, with the standard
 * error of that difference. Repeats pair only where they were scored on the same rows: the reports' row fingerprints
 * ({@link dev.moe.runtime.evaluation.TestRows}) must match; for a report without them (written before moe recorded
 * them) the data set's name, the seed and the number of test rows must, and the comparison says it assumed the rest.
 */
public final class ReportComparison {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportComparison() {
    }

    /** One model's figures in a report, one entry per repeat (a log-loss is null where it was not finite). */
    record Figures(List<Double> accuracy, List<Double> logLoss) { }

    /**
     * What a comparison reads of a JSON report.
     *
     * @param partial models with figures for only some repeats (a baseline left out of others), not compared
     */
    record Report(Path file, String dataset, List<Long> seeds, int testRows, List<String> rows,
                  Map<String, Figures> models, List<String> chosen, List<String> partial) {

        boolean fingerprinted() {
            return rows.size() == seeds.size() && rows.stream().allMatch(r -> r != null);
        }
    }

    /**
     * A paired difference, later minus earlier: its mean and standard error over {@code n} repeats, and in how many
     * repeats the later was higher or lower; the mean is NaN where a figure was missing.
     */
    public record Paired(double mean, double standardError, int higher, int lower, int n) {

        static Paired of(List<Double> a, List<Double> b) {
            List<Double> d = new ArrayList<>();
            int higher = 0;
            int lower = 0;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) == null || b.get(i) == null) {
                    return new Paired(Double.NaN, Double.NaN, 0, 0, a.size());
                }
                double x = b.get(i) - a.get(i);
                d.add(x);
                higher += x > 0 ? 1 : 0;
                lower += x < 0 ? 1 : 0;
            }
            double se = d.size() < 2 ? 0 : ModelResult.std(d) / Math.sqrt(d.size());
            double mean = ModelResult.mean(d);
            // Equal totals can leave a rounding error (-2e-17) that would print as "-0.0000"; the report sets it to 0 the same way
            // (EvaluationReport.levelAsZero): a real difference is at least one row in a repeat, far above 1e-9.
            return new Paired(Math.abs(mean) < 1e-9 ? 0.0 : mean, se, higher, lower, d.size());
        }

        /** As JSON: the difference and its standard error (null where a figure was missing or, with one repeat, none). */
        ObjectNode json() {
            ObjectNode out = JSON.createObjectNode();
            number(out, "difference", mean);
            number(out, "standardError", n < 2 ? Double.NaN : standardError);
            out.put("higher", higher).put("lower", lower).put("repeats", n);
            return out;
        }

        String text(int repeats) {
            if (Double.isNaN(mean)) {
                return "n/a";
            }
            // One repeat has no standard error: "± 0.000" would claim a certainty never measured.
            return repeats < 2 ? String.format(Locale.ROOT, "%+.4f", mean) : String.format(Locale.ROOT, "%+.4f ± %.4f", mean, standardError);
        }
    }

    /** One model of both reports: its means over the shared repeats, and the paired differences. */
    record Line(String model, double meanA, double meanB, Paired accuracy, Paired logLoss) { }

    /**
     * Two reports' shared repeats, compared.
     *
     * @param repeatsA which repeats of the first report were paired (indices), in order
     * @param repeatsB the second report's repeat paired with each
     * @param checked  whether the rows were checked by their fingerprints (else assumed from name, seed and count)
     */
    record Comparison(Report a, Report b, List<Integer> repeatsA, List<Integer> repeatsB, boolean checked, List<Line> lines,
                      List<String> onlyA, List<String> onlyB) {

        Line line(String model) {
            return lines.stream().filter(l -> l.model().equals(model)).findFirst().orElse(null);
        }

        /** Whether every shared model's figures are the same in every paired repeat. */
        boolean identical() {
            return onlyA.isEmpty() && onlyB.isEmpty() && lines.stream().allMatch(l -> l.accuracy().higher() == 0
                    && l.accuracy().lower() == 0 && (Double.isNaN(l.logLoss().mean()) || l.logLoss().higher() == 0 && l.logLoss().lower() == 0));
        }
    }

    /** Reads a JSON report of {@code moe evaluate} (any version of format 1); a file that is not one is refused in one line. */
    static Report read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new MoeException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new MoeException(file + ": not a JSON report of moe evaluate (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new MoeException(file + ": cannot read it: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("results").isArray() || !root.path("seeds").isArray()) {
            throw new MoeException(file + ": not a JSON report of moe evaluate (no seeds and results); write one with"
                    + " moe evaluate CONFIG --json " + file.getFileName());
        }
        int version = root.path("formatVersion").asInt(1);
        if (version > ReportWriter.JSON_FORMAT_VERSION) {
            throw new MoeException(file + ": its JSON report format " + version + " is newer than this moe reads ("
                    + ReportWriter.JSON_FORMAT_VERSION + "); compare it with the moe that wrote it (" + root.path("createdBy").asText("?") + ")");
        }
        List<Long> seeds = new ArrayList<>();
        root.path("seeds").forEach(s -> seeds.add(s.asLong()));
        List<String> rows = new ArrayList<>();
        root.path("testRowsFingerprints").forEach(r -> rows.add(r.isNull() ? null : r.asText()));
        Map<String, Figures> models = new LinkedHashMap<>();
        List<String> partial = new ArrayList<>();
        for (JsonNode result : root.path("results")) {
            List<Double> accuracy = numbers(result.path("perRepeat"));
            List<Double> logLoss = numbers(result.path("logLossPerRepeat"));
            if (accuracy.contains(null) || accuracy.size() > seeds.size()) {
                throw new MoeException(file + ": model '" + result.path("model").asText() + "' has " + accuracy.size()
                        + " figures in perRepeat for " + seeds.size() + " repeats: the report is damaged");
            }
            if (accuracy.size() < seeds.size()) {
                // A baseline Tribuo refused in some repeats (its note says which): its figures name no repeat to pair.
                partial.add(result.path("model").asText());
                continue;
            }
            models.put(result.path("model").asText(), new Figures(accuracy, logLoss.size() == seeds.size() ? logLoss
                    : java.util.Collections.nCopies(seeds.size(), null)));
        }
        List<String> chosen = new ArrayList<>();
        root.path("gate").path("chosen").forEach(c -> chosen.add(c.asText()));
        if (root.path("gate").path("candidates").isEmpty() && root.hasNonNull("strategy")) {
            // One gate, no choice (choose: gate): named by its routing strategy, as the report's table names it, not by
            // its inputs ("features" for both a softmax-dense and a top-k gate).
            chosen.replaceAll(c -> root.path("strategy").asText());
        }
        return new Report(file, root.path("dataset").asText(""), seeds, root.path("testRows").asInt(-1), rows, models, chosen,
                partial);
    }

    private static List<Double> numbers(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isNumber() ? n.asDouble() : null));
        return out;
    }

    /** The two reports' shared repeats compared; reports with none in common are refused in one line that says why. */
    static Comparison compare(Report a, Report b) {
        boolean checked = a.fingerprinted() && b.fingerprinted();
        List<Integer> repeatsA = new ArrayList<>();
        List<Integer> repeatsB = new ArrayList<>();
        if (checked) {
            for (int i = 0; i < a.rows().size(); i++) {
                int j = b.rows().indexOf(a.rows().get(i));
                if (j >= 0 && !repeatsB.contains(j)) {
                    repeatsA.add(i);
                    repeatsB.add(j);
                }
            }
            if (repeatsA.isEmpty()) {
                throw new MoeException(a.file() + " and " + b.file() + " were not scored on the same rows (no repeat's row"
                        + " fingerprint is in both): a paired comparison needs the same data file, split and seeds");
            }
        } else {
            if (!a.dataset().equals(b.dataset()) || a.testRows() != b.testRows()) {
                throw new MoeException(a.file() + " and " + b.file() + " were not scored on the same rows (data " + a.dataset()
                        + " with " + a.testRows() + " test rows against " + b.dataset() + " with " + b.testRows() + ")");
            }
            for (int i = 0; i < a.seeds().size(); i++) {
                int j = b.seeds().indexOf(a.seeds().get(i));
                if (j >= 0) {
                    repeatsA.add(i);
                    repeatsB.add(j);
                }
            }
            if (repeatsA.isEmpty()) {
                throw new MoeException(a.file() + " and " + b.file() + " share no seed (" + a.seeds() + " against "
                        + b.seeds() + "): a paired comparison needs the same seeds");
            }
        }
        List<Line> lines = new ArrayList<>();
        List<String> onlyA = new ArrayList<>();
        for (Map.Entry<String, Figures> e : a.models().entrySet()) {
            Figures fb = b.models().get(e.getKey());
            if (fb == null) {
                if (!b.partial().contains(e.getKey())) {
                    onlyA.add(e.getKey());
                }
                continue;
            }
            Figures fa = e.getValue();
            List<Double> accA = pick(fa.accuracy(), repeatsA);
            List<Double> accB = pick(fb.accuracy(), repeatsB);
            lines.add(new Line(e.getKey(), ModelResult.mean(accA), ModelResult.mean(accB), Paired.of(accA, accB),
                    Paired.of(pick(fa.logLoss(), repeatsA), pick(fb.logLoss(), repeatsB))));
        }
        List<String> onlyB = b.models().keySet().stream().filter(m -> !a.models().containsKey(m) && !a.partial().contains(m)).toList();
        return new Comparison(a, b, repeatsA, repeatsB, checked, lines, onlyA, onlyB);
    }

    private static <T> List<T> pick(List<T> values, List<Integer> indices) {
        List<T> out = new ArrayList<>();
        indices.forEach(i -> out.add(values.get(i)));
        return out;
    }

    /**
     * What {@code moe compare} prints, and {@code model}'s paired difference, B - A: in two reports, over their shared
     * repeats; in two folders, over every repeat of their shared reports.
     */
    public record Outcome(String text, ObjectNode json, String model, Paired difference) {

        /** The comparison as one JSON object ({@code moe compare --json}), pretty-printed, with a final line break. */
        public byte[] jsonBytes() {
            json.put("worse", worse());
            try {
                return (JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Whether B is worse on {@code model}: lower by more than two standard errors, or lower at all with one repeat
         * (a saved mixture's report on a file), which has no standard error.
         */
        public boolean worse() {
            return difference.mean() < 0 && (difference.n() < 2 || -difference.mean() > 2 * difference.standardError());
        }

        /** The one line that says so. */
        public String worseLine() {
            return String.format(Locale.ROOT, "b's %s is lower than a's by %s over %d paired repeat%s%s", model,
                    difference.text(difference.n()).substring(1), difference.n(), difference.n() == 1 ? "" : "s",
                    difference.n() < 2 ? "" : " (more than 2 standard errors)");
        }
    }

    /**
     * {@code moe compare A B}: two reports, every model both have, or two folders of reports, paired by file name, one
     * line per report for {@code model} (the mixture by default) and the difference over every repeat of them all.
     */
    public static Outcome run(Path a, Path b, String model, int columns) {
        boolean folderA = Files.isDirectory(a);
        if (folderA != Files.isDirectory(b)) {
            throw new MoeException("give two JSON reports or two folders of them: " + (folderA ? a : b) + " is a folder, "
                    + (folderA ? b : a) + " is not");
        }
        if (folderA) {
            List<Paired> all = new ArrayList<>(1);
            ObjectNode json = header(a, b, model, "folders");
            String text = folders(a, b, model, columns, all, json);
            return new Outcome(text, json, model, all.get(0));
        }
        Comparison c = compare(read(a), read(b));
        Line line = c.line(model);
        if (line == null) {
            throw new MoeException("no model '" + model + "' in both reports; they have "
                    + String.join(", ", c.lines().stream().map(Line::model).toList()));
        }
        return new Outcome(text(c, columns), json(c, header(a, b, model, "reports")), model, line.accuracy());
    }

    /** What every JSON comparison starts with: the format, who wrote it, what was compared and on which model. */
    private static ObjectNode header(Path a, Path b, String model, String kind) {
        ObjectNode out = JSON.createObjectNode();
        out.put("formatVersion", 1).put("createdBy", "moe " + dev.moe.runtime.MoeVersion.get()).put("compared", kind)
                .put("a", a.toString()).put("b", b.toString()).put("model", model);
        return out;
    }

    /** Two reports' comparison as JSON, the console text's figures unrounded. */
    static ObjectNode json(Comparison c, ObjectNode out) {
        out.put("data", c.a().dataset()).put("testRows", c.a().testRows());
        pick(c.a().seeds(), c.repeatsA()).forEach(out.putArray("seedsA")::add);
        pick(c.b().seeds(), c.repeatsB()).forEach(out.putArray("seedsB")::add);
        out.put("rowsChecked", c.checked());
        ArrayNode models = out.putArray("models");
        for (Line l : c.lines()) {
            ObjectNode m = models.addObject().put("model", l.model());
            number(m, "meanA", l.meanA());
            number(m, "meanB", l.meanB());
            m.set("accuracy", l.accuracy().json());
            m.set("logLoss", l.logLoss().json());
        }
        strings(out.putArray("onlyInA"), c.onlyA());
        strings(out.putArray("onlyInB"), c.onlyB());
        List<String> partial = new ArrayList<>(c.a().partial());
        c.b().partial().stream().filter(m -> !partial.contains(m)).forEach(partial::add);
        strings(out.putArray("scoredInSomeRepeatsOnly"), partial);
        out.put("combinerA", chosen(c.a(), c.repeatsA())).put("combinerB", chosen(c.b(), c.repeatsB()));
        out.put("identical", c.identical());
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** A finite number, or null (JSON has no NaN). */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    /** The console text of one comparison: which rows, then a line per model, then the combiners chosen. */
    static String text(Comparison c, int columns) {
        int width = Math.max(20, Math.min(ReportWriter.WIDTH, columns));
        StringBuilder out = new StringBuilder();
        ReportWriter.wrapped(out, "a: " + c.a().file(), width);
        ReportWriter.wrapped(out, "b: " + c.b().file(), width);
        int n = c.repeatsA().size();
        List<Long> seeds = pick(c.a().seeds(), c.repeatsA());
        ReportWriter.wrapped(out, String.format(Locale.ROOT, "data %s, paired over %d repeat%s (%s), %d test rows each; %s",
                c.a().dataset(), n, n == 1 ? "" : "s", seedList(seeds), c.a().testRows(), c.checked()
                        ? "the same rows in each (their fingerprints match)"
                        : "the same rows assumed from the data's name, the seeds and the test rows' count (a report written"
                        + " before moe recorded which rows it scored)"), width);
        int nameWidth = Math.max(5, c.lines().stream().mapToInt(l -> l.model().length()).max().orElse(5));
        String header = String.format(Locale.ROOT, "%-" + nameWidth + "s  %-7s %-7s %-17s %-8s %s", "model", "a", "b",
                "b - a", "up/down", "log-loss b - a");
        out.append(header.stripTrailing()).append(System.lineSeparator());
        for (Line l : c.lines()) {
            out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-7.4f %-7.4f %-17s %-8s %s", l.model(), l.meanA(), l.meanB(),
                    l.accuracy().text(n), l.accuracy().higher() + "/" + l.accuracy().lower(), l.logLoss().text(n)).stripTrailing())
                    .append(System.lineSeparator());
        }
        notCompared(out, c.onlyA(), c.onlyB(), width);
        List<String> partial = new ArrayList<>(c.a().partial());
        c.b().partial().stream().filter(m -> !partial.contains(m)).forEach(partial::add);
        if (!partial.isEmpty()) {
            ReportWriter.wrapped(out, "not compared, scored in only some repeats: " + String.join(", ", partial), width);
        }
        String chosenA = chosen(c.a(), c.repeatsA());
        String chosenB = chosen(c.b(), c.repeatsB());
        if (!chosenA.isEmpty() || !chosenB.isEmpty()) {
            ReportWriter.wrapped(out, "combiner: a " + (chosenA.isEmpty() ? "-" : chosenA) + " · b " + (chosenB.isEmpty() ? "-" : chosenB), width);
        }
        if (c.identical()) {
            ReportWriter.wrapped(out, "the two reports' figures are identical, repeat by repeat", width);
        }
        return out.toString();
    }

    /**
     * Each folder's reports ({@code *.json}, by file name), the shared ones compared on {@code model}; the difference
     * over all their repeats is added to {@code all}.
     */
    static String folders(Path a, Path b, String model, int columns, List<Paired> all, ObjectNode json) {
        List<Path> skipped = new ArrayList<>();
        Map<String, Path> inA = reports(a, skipped);
        Map<String, Path> inB = reports(b, skipped);
        List<String> shared = inA.keySet().stream().filter(inB::containsKey).toList();
        if (shared.isEmpty()) {
            throw new MoeException(a + " and " + b + " hold no JSON report of the same name (" + inA.size() + " and "
                    + inB.size() + " reports)");
        }
        int width = Math.max(20, Math.min(ReportWriter.WIDTH, columns));
        StringBuilder out = new StringBuilder();
        ReportWriter.wrapped(out, "a: " + a + " (" + inA.size() + " reports)", width);
        ReportWriter.wrapped(out, "b: " + b + " (" + inB.size() + " reports)", width);
        ReportWriter.wrapped(out, "model " + model + ", each report's repeats paired with the other folder's report of the same name", width);
        int nameWidth = Math.max(6, shared.stream().mapToInt(String::length).max().orElse(6));
        out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-7s %-7s %-17s %-8s %s", "report", "a", "b", "b - a",
                "up/down", "combiner").stripTrailing()).append(System.lineSeparator());
        List<Double> allA = new ArrayList<>();
        List<Double> allB = new ArrayList<>();
        List<String> identical = new ArrayList<>();
        List<String> unpaired = new ArrayList<>();
        ArrayNode jsonReports = json.putArray("reports");
        for (String name : shared) {
            Comparison c = compare(read(inA.get(name)), read(inB.get(name)));
            Line l = c.line(model);
            if (l == null) {
                throw new MoeException(name + ": no model '" + model + "' in both reports; they have "
                        + String.join(", ", c.lines().stream().map(Line::model).toList()));
            }
            int n = c.repeatsA().size();
            allA.addAll(pick(c.a().models().get(model).accuracy(), c.repeatsA()));
            allB.addAll(pick(c.b().models().get(model).accuracy(), c.repeatsB()));
            if (c.identical()) {
                identical.add(name);
            }
            if (!c.checked()) {
                unpaired.add(name);
            }
            String chosenA = chosen(c.a(), c.repeatsA());
            String chosenB = chosen(c.b(), c.repeatsB());
            String combiner = chosenA.equals(chosenB) ? chosenA : chosenA + " -> " + chosenB;
            ObjectNode r = jsonReports.addObject().put("report", name);
            number(r, "meanA", l.meanA());
            number(r, "meanB", l.meanB());
            r.set("accuracy", l.accuracy().json());
            r.put("combinerA", chosenA).put("combinerB", chosenB).put("identical", c.identical()).put("rowsChecked", c.checked());
            out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-7.4f %-7.4f %-17s %-8s %s", name, l.meanA(), l.meanB(),
                    l.accuracy().text(n), l.accuracy().higher() + "/" + l.accuracy().lower(), combiner).stripTrailing())
                    .append(System.lineSeparator());
        }
        Paired pooled = Paired.of(allA, allB);
        all.add(pooled);
        json.set("all", pooled.json());
        json.put("reportsIdentical", identical.size());
        ReportWriter.wrapped(out, String.format(Locale.ROOT, "all %d paired repeats: b - a %s (%d higher, %d lower); %d of %d reports identical",
                pooled.n(), pooled.text(pooled.n()), pooled.higher(), pooled.lower(), identical.size(), shared.size()), width);
        List<String> onlyA = inA.keySet().stream().filter(k -> !inB.containsKey(k)).toList();
        List<String> onlyB = inB.keySet().stream().filter(k -> !inA.containsKey(k)).toList();
        strings(json.putArray("onlyInA"), onlyA);
        strings(json.putArray("onlyInB"), onlyB);
        strings(json.putArray("skippedComparisons"), skipped.stream().map(Path::toString).toList());
        notCompared(out, onlyA, onlyB, width);
        if (!skipped.isEmpty()) {
            ReportWriter.wrapped(out, "skipped, moe compare's own output: " + String.join(", ",
                    skipped.stream().map(Path::toString).toList()), width);
        }
        if (!unpaired.isEmpty()) {
            ReportWriter.wrapped(out, "rows assumed the same from the data's name, the seeds and the test rows' count (reports"
                    + " written before moe recorded which rows it scored): " + String.join(", ", unpaired), width);
        }
        return out.toString();
    }

    /** A folder's JSON reports by file name (without {@code .json}), in name order. */
    private static Map<String, Path> reports(Path folder, List<Path> skipped) {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).forEach(p -> {
                if (isComparison(p)) {
                    skipped.add(p); // moe compare --json's own output, written beside the reports it compared
                } else {
                    out.put(p.getFileName().toString().replaceFirst("\\.json$", ""), p);
                }
            });
        } catch (IOException e) {
            throw new MoeException(folder + ": cannot list it: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new MoeException(folder + ": holds no JSON report (*.json); write them with moe evaluate CONFIG --json DIR/NAME.json");
        }
        return out;
    }

    /** Whether a JSON file is a comparison {@code moe compare --json} wrote (a report of neither side). */
    private static boolean isComparison(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            return root != null && root.has("compared") && !root.has("results");
        } catch (IOException e) {
            return false; // not JSON: read() refuses it in its own words
        }
    }

    /** A line naming what only one side has (models, or reports of a folder), if anything. */
    private static void notCompared(StringBuilder out, List<String> onlyA, List<String> onlyB, int width) {
        List<String> parts = new ArrayList<>();
        if (!onlyA.isEmpty()) {
            parts.add("only in a: " + String.join(", ", onlyA));
        }
        if (!onlyB.isEmpty()) {
            parts.add("only in b: " + String.join(", ", onlyB));
        }
        if (!parts.isEmpty()) {
            ReportWriter.wrapped(out, "not compared: " + String.join("; ", parts), width);
        }
    }

    /** The combiners a report chose in the given repeats, tallied; "" where it records none per repeat. */
    private static String chosen(Report r, List<Integer> repeats) {
        return tally(pick(r.chosen(), r.chosen().size() == r.seeds().size() ? repeats : List.of()));
    }

    /** "product 4/5, uniform 1/5", in order of first use; "" for none. */
    private static String tally(List<String> chosen) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        chosen.forEach(c -> counts.merge(c, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((name, count) -> parts.add(name + " " + count + "/" + chosen.size()));
        return String.join(", ", parts);
    }

    /** "42..46" for consecutive seeds, else the list. */
    private static String seedList(List<Long> seeds) {
        boolean consecutive = seeds.size() > 2;
        for (int i = 1; i < seeds.size() && consecutive; i++) {
            consecutive = seeds.get(i) == seeds.get(i - 1) + 1;
        }
        String list = consecutive ? seeds.get(0) + ".." + seeds.get(seeds.size() - 1)
                : String.join(", ", seeds.stream().map(String::valueOf).toList());
        return (seeds.size() == 1 ? "seed " : "seeds ") + list;
    }
}
