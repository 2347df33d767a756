package dev.moe.gating.diagnostics;

import dev.moe.api.FloatMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * How a mixture routed a block of rows, and what each expert did with the rows it got.
 *
 * <p>A row is <em>routed</em> to an expert when its weight for that expert is above 0. Under dense routing
 * every row is routed to every expert, so shares and the load's CV say nothing there; the mean weight, the
 * top share, the importance CV and the entropy do.
 *
 * @param rows            how many rows
 * @param expertsPerRow   experts routed per row, on average: k for top-k, E for dense routing
 * @param fairShare       the share each expert would get under perfect balance, {@code expertsPerRow / E}
 * @param experts         one entry per expert, in the mixture's order
 * @param deadExperts     how many experts no row was routed to
 * @param gateEntropy     mean over rows of {@code -sum_k w_k ln w_k}, in nats (0: one expert per row; ln E: uniform)
 * @param loadCv          coefficient of variation (std / mean, over experts) of the share of rows routed
 * @param importanceCv    coefficient of variation of the mean gate weight
 * @param oracleAccuracy  share of rows that at least one expert gets right (arg max = label), routed or not:
 *                        the ceiling for a gate that picks one expert per row
 */
public record RoutingDiagnostics(
        int rows,
        double expertsPerRow,
        double fairShare,
        List<ExpertRouting> experts,
        int deadExperts,
        double gateEntropy,
        double loadCv,
        double importanceCv,
        double oracleAccuracy,
        List<ClassRouting> classes) {

    public RoutingDiagnostics {
        experts = List.copyOf(experts);
        classes = List.copyOf(classes);
    }

    /**
     * The rows of one true label: how the gate weighted each expert there, and how often each expert was right
     * there. Shows whom the gate trusts for which class, and whether that trust is deserved.
     *
     * @param rows           rows whose true label is this one
     * @param meanWeight     per expert, its mean gate weight over those rows (0 when there are none)
     * @param expertAccuracy per expert, its accuracy (arg max = label) on those rows (0 when there are none)
     */
    public record ClassRouting(int rows, List<Double> meanWeight, List<Double> expertAccuracy) {
        public ClassRouting {
            meanWeight = List.copyOf(meanWeight);
            expertAccuracy = List.copyOf(expertAccuracy);
        }
    }

    /**
     * One expert's part.
     *
     * @param share            share of the rows routed to it
     * @param utilization      {@code share / fairShare}: 1 is its fair part, 0 dead, above 1 overloaded
     * @param topShare         share of the rows where it has the largest weight (ties to the first expert)
     * @param dead             no row was routed to it
     * @param meanWeight       its mean weight over all rows
     * @param routedRows       how many rows were routed to it
     * @param routedAccuracy   its accuracy (arg max = label) on the rows routed to it; null when none were
     */
    public record ExpertRouting(double share, double utilization, double topShare, boolean dead, double meanWeight,
                                int routedRows, Double routedAccuracy) { }

    /**
     * @param weights             rows x experts, the routing weights (e.g. {@code MixtureModel.Prediction.weights()})
     * @param expertProbabilities per expert, rows x labels: its probabilities on every row, in the data set's label order
     * @param labels              each row's true label index
     */
    public static RoutingDiagnostics compute(FloatMatrix weights, List<FloatMatrix> expertProbabilities, int[] labels) {
        Counts counts = new Counts(weights.columns());
        counts.add(weights, expertProbabilities, labels);
        return counts.diagnostics();
    }

    /**
     * The sums behind the diagnostics, so that blocks of rows (file blocks, Spark partitions) can be counted apart and
     * merged with {@link #plus}: only these numbers travel, never the rows.
     */
    public static final class Counts implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        private long rows;
        private final long[] routed;
        private final long[] routedRight;
        private final long[] top;
        private final double[] weightSum;
        private double entropy;
        private long oracle;
        /** Per true label; made on the first block, when the label count is known (null before). */
        private ClassRoutingCounts classes;

        public Counts(int experts) {
            routed = new long[experts];
            routedRight = new long[experts];
            top = new long[experts];
            weightSum = new double[experts];
        }

        /** Counts one block of rows; the arguments as {@link RoutingDiagnostics#compute}'s. */
        public void add(FloatMatrix weights, List<FloatMatrix> expertProbabilities, int[] labels) {
            int n = weights.rows();
            int e = weights.columns();
            if (e != routed.length) {
                throw new IllegalArgumentException(e + " weight columns for " + routed.length + " experts");
            }
            if (expertProbabilities.size() != e) {
                throw new IllegalArgumentException(e + " weight columns but " + expertProbabilities.size() + " experts' probabilities");
            }
            if (labels.length != n) {
                throw new IllegalArgumentException(n + " rows of weights but " + labels.length + " labels");
            }
            boolean[][] right = new boolean[e][n];
            for (int k = 0; k < e; k++) {
                FloatMatrix p = expertProbabilities.get(k);
                if (p.rows() != n) {
                    throw new IllegalArgumentException("expert " + k + " has " + p.rows() + " rows of probabilities for " + n + " rows");
                }
                for (int r = 0; r < n; r++) {
                    right[k][r] = p.argMaxOfRow(r) == labels[r];
                }
            }
            float[] w = weights.values();
            if (classes == null) {
                int labelCount = expertProbabilities.isEmpty() ? 0 : expertProbabilities.get(0).columns();
                for (int label : labels) {
                    labelCount = Math.max(labelCount, label + 1);
                }
                classes = new ClassRoutingCounts(labelCount, e);
            }
            classes.add(weights, right, labels);
            for (int r = 0; r < n; r++) {
                boolean anyRight = false;
                for (int k = 0; k < e; k++) {
                    double v = w[r * e + k];
                    weightSum[k] += v;
                    if (v > 0) {
                        routed[k]++;
                        routedRight[k] += right[k][r] ? 1 : 0;
                        entropy -= v * Math.log(v);
                    }
                    anyRight |= right[k][r];
                }
                top[weights.argMaxOfRow(r)]++;
                oracle += anyRight ? 1 : 0;
            }
            rows += n;
        }

        /** The counts of both parts together (this one's rows first; the sums do not depend on the order). */
        public Counts plus(Counts other) {
            Counts sum = new Counts(routed.length);
            for (int k = 0; k < routed.length; k++) {
                sum.routed[k] = routed[k] + other.routed[k];
                sum.routedRight[k] = routedRight[k] + other.routedRight[k];
                sum.top[k] = top[k] + other.top[k];
                sum.weightSum[k] = weightSum[k] + other.weightSum[k];
            }
            sum.rows = rows + other.rows;
            sum.entropy = entropy + other.entropy;
            sum.oracle = oracle + other.oracle;
            sum.classes = classes == null ? other.classes : other.classes == null ? classes : classes.plus(other.classes);
            return sum;
        }

        public RoutingDiagnostics diagnostics() {
            int e = routed.length;
            long n = rows;
            long routedTotal = 0;
            for (long count : routed) {
                routedTotal += count;
            }
            double expertsPerRow = n == 0 ? 0 : (double) routedTotal / n;
            double fairShare = expertsPerRow / e;
            List<ExpertRouting> experts = new ArrayList<>();
            double[] shares = new double[e];
            double[] meanWeights = new double[e];
            int dead = 0;
            for (int k = 0; k < e; k++) {
                shares[k] = n == 0 ? 0 : (double) routed[k] / n;
                meanWeights[k] = n == 0 ? 0 : weightSum[k] / n;
                dead += routed[k] == 0 ? 1 : 0;
                experts.add(new ExpertRouting(shares[k], fairShare == 0 ? 0 : shares[k] / fairShare,
                        n == 0 ? 0 : (double) top[k] / n, routed[k] == 0, meanWeights[k], (int) routed[k],
                        routed[k] == 0 ? null : (double) routedRight[k] / routed[k]));
            }
            return new RoutingDiagnostics((int) n, expertsPerRow, fairShare, experts, dead, n == 0 ? 0 : entropy / n,
                    coefficientOfVariation(shares), coefficientOfVariation(meanWeights), n == 0 ? 0 : (double) oracle / n,
                    classes == null ? List.of() : classes.classes());
        }
    }

    /** std / mean over the values (population std); 0 when the mean is 0. */
    static double coefficientOfVariation(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        if (mean == 0) {
            return 0;
        }
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean) / values.length;
        }
        return Math.sqrt(variance) / mean;
    }
}
