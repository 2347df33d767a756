package dev.moe.runtime.report;

import dev.moe.api.FloatMatrix;
import dev.moe.runtime.evaluation.RepeatOutputs;
import dev.moe.runtime.io.AtomicFiles;
import dev.moe.runtime.scoring.PredictionFormat;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every repeat's rows as the combiner and the test saw them, in one CSV file ({@code moe evaluate --outputs FILE}), so
 * that another combiner (a stacker of your own, a rule from a paper) can be tried on the very rows and expert outputs
 * moe's combiners had, and paired with moe's figures repeat by repeat:
 * <pre>
 * seed,set,combiner,fold,label,FEATURE...,p:EXPERT:LABEL...,p:moe:LABEL...,cv-loss:CANDIDATE...
 * </pre>
 * {@code set} is {@code gate} for the combiner's training rows (the experts' outputs there are out of fold under
 * cross-fitting) and {@code test} for the test rows. {@code fold} and {@code cv-loss:} are the cross-validation that
 * chose the combiner (each gate row's fold, and each candidate's out-of-fold log-loss on it); {@code p:moe:} is the
 * mixture on the test rows. A cell that does not apply to the row's set is empty. A categorical level that a
 * repeat's training rows lack is no feature of that repeat: its column is 0 there, as the row's one-hot encoding is.
 */
public final class OutputsCsv {

    private OutputsCsv() {
    }

    /** Writes the repeats (in order) to {@code file}, replacing it only once complete. */
    public static void write(List<RepeatOutputs> repeats, Path file) {
        if (repeats.isEmpty()) {
            throw new IllegalArgumentException("no repeats to write");
        }
        RepeatOutputs first = repeats.get(0);
        Set<String> features = new LinkedHashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        for (RepeatOutputs r : repeats) {
            features.addAll(r.featureNames());
            candidates.addAll(r.candidates());
        }
        List<String> header = new ArrayList<>(List.of("seed", "set", "combiner", "fold", "label"));
        header.addAll(features);
        for (String expert : first.expertIds()) {
            first.labelNames().forEach(label -> header.add("p:" + expert + ":" + label));
        }
        first.labelNames().forEach(label -> header.add("p:moe:" + label));
        candidates.forEach(candidate -> header.add("cv-loss:" + candidate));
        AtomicFiles.write(file, "outputs CSV", stream -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            out.write(String.join(",", header.stream().map(PredictionFormat::cell).toList()));
            out.write('\n');
            for (RepeatOutputs r : repeats) {
                int[] column = featureColumns(r.featureNames(), features);
                StringBuilder line = new StringBuilder();
                for (int row = 0; row < r.gateLabels().length; row++) {
                    line.setLength(0);
                    start(line, r, "gate", r.choice() == null ? "" : Integer.toString(r.choice().fold()[row]), r.gateLabels()[row]);
                    features(line, r.gateFeatures(), row, column, features.size());
                    probabilities(line, r.gateExperts(), row);
                    empty(line, first.labelNames().size());
                    for (String candidate : candidates) {
                        int index = r.candidates().indexOf(candidate);
                        line.append(',').append(index < 0 || r.choice() == null ? "" : Double.toString(r.choice().loss()[index][row]).toLowerCase(Locale.ROOT));
                    }
                    out.append(line).append('\n');
                }
                for (int row = 0; row < r.testLabels().length; row++) {
                    line.setLength(0);
                    start(line, r, "test", "", r.testLabels()[row]);
                    features(line, r.testFeatures(), row, column, features.size());
                    probabilities(line, r.testExperts(), row);
                    probabilities(line, List.of(r.testMixture()), row);
                    empty(line, candidates.size());
                    out.append(line).append('\n');
                }
            }
            out.flush();
        });
    }

    private static void start(StringBuilder line, RepeatOutputs r, String set, String fold, int label) {
        line.append(r.seed()).append(',').append(set).append(',').append(PredictionFormat.cell(r.combiner())).append(',')
                .append(fold).append(',').append(PredictionFormat.cell(r.labelNames().get(label)));
    }

    /** Where each of a repeat's features goes among the file's feature columns. */
    private static int[] featureColumns(List<String> names, Set<String> all) {
        Map<String, Integer> position = new LinkedHashMap<>();
        for (String name : all) {
            position.put(name, position.size());
        }
        return names.stream().mapToInt(position::get).toArray();
    }

    private static void features(StringBuilder line, FloatMatrix x, int row, int[] column, int width) {
        String[] cells = new String[width];
        java.util.Arrays.fill(cells, "0");
        for (int j = 0; j < column.length; j++) {
            cells[column[j]] = PredictionFormat.number(x.get(row, j));
        }
        for (String cell : cells) {
            line.append(',').append(cell);
        }
    }

    private static void probabilities(StringBuilder line, List<FloatMatrix> experts, int row) {
        for (FloatMatrix p : experts) {
            for (int j = 0; j < p.columns(); j++) {
                line.append(',').append(PredictionFormat.number(p.get(row, j)));
            }
        }
    }

    private static void empty(StringBuilder line, int cells) {
        line.append(",".repeat(cells));
    }
}
