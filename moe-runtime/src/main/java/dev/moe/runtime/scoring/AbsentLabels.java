package dev.moe.runtime.scoring;

import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.runtime.evaluation.EvaluationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Loaded experts whose model lacks labels of the data: the data has A, B and C, the model was trained on A and B
 * only. Such an expert gives C probability 0 on every row, as certain that no row is C; on a C row it is wrong
 * alone and its 0 pulls the average down. Nothing in the figures says why, so moe says it, once per run, naming the
 * labels and how many test rows hold them. An expert moe trains is not named: its labels are its training rows'
 * (a specialist's {@code subset.labels} by design).
 */
public final class AbsentLabels {

    private AbsentLabels() {
    }

    /**
     * Per expert that lacks labels of {@code labels} (in the experts' order), the labels it lacks in the data's order.
     *
     * @param loaded   whether the expert at this index was loaded from a model (only those are named)
     * @param labels   the data set's labels, the ones the experts are aligned to
     */
    public static Map<String, List<String>> of(List<AlignedExpert> experts, IntPredicate loaded, List<String> labels) {
        Map<String, List<String>> absent = new LinkedHashMap<>();
        for (int k = 0; k < experts.size(); k++) {
            int[] lacks = experts.get(k).absentLabels();
            if (loaded.test(k) && lacks.length > 0) {
                absent.put(experts.get(k).id(), Arrays.stream(lacks).mapToObj(labels::get).toList());
            }
        }
        return absent;
    }

    /**
     * The notices for a report: the test rows per label are the mixture's confusion matrix's rows (summed over the
     * repeats).
     */
    public static List<String> notices(Map<String, List<String>> absent, EvaluationReport report) {
        if (absent.isEmpty() || report.moeConfusion() == null) {
            return List.of();
        }
        long[] perLabel = new long[report.labels().size()];
        for (int i = 0; i < perLabel.length && i < report.moeConfusion().length; i++) {
            perLabel[i] = Arrays.stream(report.moeConfusion()[i]).asLongStream().sum();
        }
        String rows = "the " + Arrays.stream(perLabel).sum() + " test rows" + (report.repeats() > 1 ? " of the " + report.repeats() + " repeats" : "");
        return notices(absent, report.labels(), perLabel, rows);
    }

    /**
     * One notice for all such experts (none when there are none): each expert with the labels it lacks and how many
     * of the counted rows hold them. One sentence, not one per expert: a line-up of experts each trained on a pair
     * of labels (examples/onnx) would otherwise say the same thing three times over.
     *
     * @param labels   the labels {@code perLabel} counts, in its order
     * @param perLabel test rows per label
     * @param rows     the rows counted, as the sentence names them ("the 45 test rows")
     */
    public static List<String> notices(Map<String, List<String>> absent, List<String> labels, long[] perLabel, String rows) {
        if (absent.isEmpty()) {
            return List.of();
        }
        List<String> each = new ArrayList<>();
        long anyHeld = 0;
        for (Map.Entry<String, List<String>> expert : absent.entrySet()) {
            List<String> lacks = expert.getValue();
            long held = 0;
            List<String> perLacked = new ArrayList<>();
            for (String label : lacks) {
                int i = labels.indexOf(label);
                long n = i < 0 ? 0 : perLabel[i];
                held += n;
                perLacked.add(label + " " + n);
            }
            anyHeld += held;
            // The first count names what is counted ("14 of the 45 test rows"), the others are read alike.
            String count = (held == 0 ? "none" : String.valueOf(held)) + (each.isEmpty() ? " of " + rows : "");
            each.add("'" + expert.getKey() + "' lacks " + String.join(", ", lacks) + " ("
                    + (lacks.size() == 1 || held == 0 ? count : count + ": " + String.join(", ", perLacked)) + ")");
        }
        boolean one = absent.size() == 1;
        String who = one ? "a loaded expert was" : absent.size() + " loaded experts were";
        return List.of(who + " trained without labels of the data and " + (one ? "gives" : "give") + " them probability 0 on"
                + " every row: " + String.join(", ", each)
                + (anyHeld == 0 ? "" : "; on those rows " + (one ? "it is" : "each is") + " wrong alone and pulls the average"
                + " of the experts (uniform) down, and the combiner learns from the gate's rows how far to trust "
                + (one ? "it" : "each")));
    }
}
