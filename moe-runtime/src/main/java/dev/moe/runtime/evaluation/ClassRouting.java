package dev.moe.runtime.evaluation;

import dev.moe.gating.diagnostics.RoutingDiagnostics;
import java.util.ArrayList;
import java.util.List;

/**
 * Whom the gate trusts for the test rows of one true label, over all repeats, and whether that trust is deserved:
 * the expert it weights most there with that expert's accuracy there, against the expert most often right there.
 *
 * @param label                the true label
 * @param rows                 its test rows, all repeats together
 * @param meanWeight           per expert (in the report's expert order), its mean gate weight on those rows
 * @param expertAccuracy       per expert, its accuracy on those rows
 * @param mostWeighted         the expert with the largest mean weight there
 * @param mostWeightedWeight   that weight
 * @param mostWeightedAccuracy that expert's accuracy there
 * @param mostAccurate         the expert most often right there
 * @param mostAccurateAccuracy its accuracy there
 * @param moeAccuracy          the mixture's accuracy on those rows (its recall of the label)
 */
public record ClassRouting(String label, int rows, List<Double> meanWeight, List<Double> expertAccuracy, String mostWeighted,
                           double mostWeightedWeight, double mostWeightedAccuracy, String mostAccurate,
                           double mostAccurateAccuracy, double moeAccuracy) {

    public ClassRouting {
        meanWeight = List.copyOf(meanWeight);
        expertAccuracy = List.copyOf(expertAccuracy);
    }

    /**
     * @param perRepeat    each repeat's routing diagnostics of its test rows
     * @param moeConfusion the mixture's confusion matrix summed over the repeats (rows: true label)
     */
    public static List<ClassRouting> of(List<RoutingDiagnostics> perRepeat, List<String> labels, List<String> experts,
                                 int[][] moeConfusion) {
        List<ClassRouting> out = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            int rows = 0;
            double[] weight = new double[experts.size()];
            double[] right = new double[experts.size()];
            for (RoutingDiagnostics d : perRepeat) {
                RoutingDiagnostics.ClassRouting repeat = d.classes().get(c);
                rows += repeat.rows();
                for (int k = 0; k < experts.size(); k++) {
                    // Weighted by the repeat's rows of this label: the mean over all of them, not of the repeats' means.
                    weight[k] += repeat.meanWeight().get(k) * repeat.rows();
                    right[k] += repeat.expertAccuracy().get(k) * repeat.rows();
                }
            }
            List<Double> meanWeight = new ArrayList<>();
            List<Double> accuracy = new ArrayList<>();
            int weighted = 0;
            int accurate = 0;
            for (int k = 0; k < experts.size(); k++) {
                meanWeight.add(rows == 0 ? 0 : weight[k] / rows);
                accuracy.add(rows == 0 ? 0 : right[k] / rows);
                weighted = meanWeight.get(k) > meanWeight.get(weighted) ? k : weighted;
                accurate = accuracy.get(k) > accuracy.get(accurate) ? k : accurate;
            }
            int moeRows = 0;
            for (int p = 0; p < moeConfusion[c].length; p++) {
                moeRows += moeConfusion[c][p];
            }
            out.add(new ClassRouting(labels.get(c), rows, meanWeight, accuracy, experts.get(weighted), meanWeight.get(weighted),
                    accuracy.get(weighted), experts.get(accurate), accuracy.get(accurate),
                    moeRows == 0 ? 0 : (double) moeConfusion[c][c] / moeRows));
        }
        return out;
    }
}
