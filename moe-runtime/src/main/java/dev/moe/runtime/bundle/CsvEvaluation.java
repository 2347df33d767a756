package dev.moe.runtime.bundle;

import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.evaluation.EvaluationCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A saved mixture on a labelled CSV file: the accuracy of every expert alone and of the mixture, streamed a block of
 * rows at a time. The label column is the one the mixture was trained with; a label that no expert of the mixture
 * predicts is refused with its line, since no weighting of the experts could ever get it right.
 *
 * <p>This thread reads and parses; blocks are scored on every core ({@link ParallelBlocks}) and their counts merged
 * in file order.
 */
public final class CsvEvaluation {

    /**
     * @param data     the CSV's file name
     * @param rows     how many rows were scored
     * @param accuracy by model: each expert's id in the mixture's order, then {@code moe}
     */
    public record Result(String data, long rows, Map<String, Double> accuracy) {

        /** A console table like {@code moe evaluate}'s. */
        public String table(SavedMixture mixture) {
            int width = Math.max(8, accuracy.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-" + width + "s%-16s(saved mixture %s, rows %d, data %s)%n", "model", "accuracy",
                    mixture.file().getFileName(), rows, data));
            for (Map.Entry<String, Double> e : accuracy.entrySet()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s%-16s", e.getKey(),
                        String.format(Locale.ROOT, "%.3f", e.getValue())));
                if (e.getKey().equals("moe")) {
                    BundleManifest.Strategy s = mixture.manifest().strategy();
                    line.append("strategy ").append(s.name());
                    if (s.description() != null && !s.description().isEmpty()) {
                        line.append(" (").append(s.description()).append(')');
                    }
                }
                out.append(line.toString().stripTrailing()).append(System.lineSeparator());
            }
            return out.toString();
        }
    }

    private CsvEvaluation() {
    }

    public static Result evaluate(SavedMixture mixture, Path input) {
        return evaluate(mixture, input, CsvPredictions.BATCH_ROWS);
    }

    public static Result evaluate(SavedMixture mixture, Path input, int batchRows) {
        MixtureModel model = mixture.model();
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int i = 0; i < model.labelNames().size(); i++) {
            labelIndex.put(model.labelNames().get(i), i);
        }
        Set<String> known = mixture.labelsKnownToExperts();
        int experts = model.experts().size();
        EvaluationCounts[] counts = {new EvaluationCounts(experts, model.labelNames().size())};
        try (CsvSource.Rows reader = CsvSource.Rows.open(input);
             ParallelBlocks<EvaluationCounts> scoring = new ParallelBlocks<>(part -> counts[0] = counts[0].plus(part))) {
            int labelColumn = reader.header().indexOf(mixture.labelColumn());
            if (labelColumn < 0) {
                throw new MoeException(input + ": no label column '" + mixture.labelColumn() + "' in the header ("
                        + String.join(", ", reader.header()) + "); the saved mixture was trained with that label column");
            }
            int[] columns = CsvPredictions.featureColumns(reader, mixture.featureNames());
            for (CsvSource.Block block = reader.next(batchRows, columns, labelColumn); block != null;
                 block = reader.next(batchRows, columns, labelColumn)) {
                int[] labels = new int[block.rows()];
                for (int r = 0; r < labels.length; r++) {
                    String label = block.labels().get(r);
                    if (!known.contains(label)) {
                        throw new MoeException(input + ": line " + block.lines()[r] + ", column '" + mixture.labelColumn()
                                + "': label '" + label + "' is known to no expert of the mixture (they know: "
                                + String.join(", ", known) + ")");
                    }
                    labels[r] = labelIndex.get(label);
                }
                CsvSource.Block scored = block;
                scoring.submit(() -> {
                    EvaluationCounts part = new EvaluationCounts(experts, model.labelNames().size());
                    try {
                        part.add(model, scored.features(), labels);
                    } catch (dev.moe.api.ExpertException e) {
                        throw new MoeException(input + ": " + CsvPredictions.linesOf(scored) + ": " + e.getMessage(), e);
                    }
                    return part;
                });
            }
            scoring.finish();
        }
        if (counts[0].rows() == 0) {
            throw new MoeException(input + ": no data rows after the header");
        }
        Map<String, Double> accuracy = new LinkedHashMap<>();
        List<AlignedExpert> list = new ArrayList<>(model.experts());
        for (int k = 0; k < experts; k++) {
            accuracy.put(list.get(k).id(), counts[0].accuracy(k));
        }
        accuracy.put("moe", counts[0].mixtureAccuracy());
        return new Result(input.getFileName().toString(), counts[0].rows(), accuracy);
    }
}
