package dev.moe.experts.tribuo;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.common.nearest.protos.KNNModelProto;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.la.SparseVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.la.VectorTuple;
import org.tribuo.math.neighbour.bruteforce.NeighboursBruteForceFactory;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.TransformerMap;

/**
 * Scores a block of rows with a Tribuo {@link KNNModel} (L2 distance, majority vote) and gives exactly what
 * Tribuo 4.3.2 gives: the same neighbours, ties included, hence the same votes and predicted label.
 *
 * <p>How: squared distances to every training row are first computed approximately, in float, as
 * {@code ||b||^2 - 2 a.b} (+ {@code ||a||^2}) over blocks of query rows x chunks of training rows, a product
 * that the JIT vectorises. Each approximation comes with a rigorous error bound (a multiple of the float
 * epsilon times {@code ||a||^2 + ||b||^2}, four times what the rounding analysis needs). Only training rows whose
 * lower bound could still place them among the k nearest get their distance computed again, by Tribuo's own
 * {@code L2Distance} on Tribuo's own vectors; every other row is provably farther. Then the neighbours are
 * chosen by Tribuo's own rule on those exact distances:
 * <ul>
 *   <li>{@link Selection#SORTED}: Tribuo's {@code KNNModel.predict(Example)} (used for each row when the model
 *   is wrapped in a {@code TransformedModel}, or when it predicts on several threads): a stable sort by distance,
 *   the first k; ties go to the earlier training row.</li>
 *   <li>{@link Selection#HEAP}: Tribuo's batch path on one thread ({@code NeighboursBruteForce}): a bounded
 *   priority queue fed in training order, which replaces its top only for a strictly smaller distance. Which of
 *   several tied rows it keeps depends on the queue's history, so the queue is replayed exactly: every row that
 *   Tribuo would offer to it gets its exact distance (a row is skipped only when its lower bound proves Tribuo
 *   would not offer it).</li>
 * </ul>
 * The votes are then counted as {@link VotingCombiner} counts them.
 *
 * <p>Immutable and safe for concurrent use. Built from the model's protobuf form (Tribuo keeps the training
 * vectors private), so a model loaded from a file gets the fast path too.
 */
final class KnnScorer {

    /** How Tribuo picks the k neighbours among the exact distances. */
    enum Selection { SORTED, HEAP }

    /** Query rows per block of the distance product. */
    static final int QUERY_BLOCK = 64;
    /** Training rows per chunk of the distance product: the chunk's floats stay in cache across a query block. */
    private static final int CHUNK = 1024;
    /** The float approximations: values up to this magnitude; larger ones (or non-finite) score exactly. */
    private static final double MAX_MAGNITUDE = 1e15;

    private final Selection selection;
    /** Non-null when the model is a TransformedModel around the kNN model. */
    private final TransformerMap transformer;
    private final boolean densify;
    private final List<String> sortedFeatureNames;
    private final ImmutableFeatureMap featureMap;
    private final ImmutableOutputInfo<Label> outputInfo;
    private final int k;
    private final L2Distance distance = new L2Distance();
    private final SGDVector[] vectors;
    private final int[] labelIds;
    private final int n;
    private final int dims;
    /** Training rows as floats, feature-major: {@code t[f * n + j]}. */
    private final float[] t;
    /** Squared norms of the float training rows, and their error-bound terms {@code c * ||b||^2}. */
    private final float[] norms;
    private final float[] normSlack;
    /** The relative error bound {@code c}, see the class comment. */
    private final float c;

    private KnnScorer(Selection selection, TransformerMap transformer, boolean densify, Model<Label> knn,
                      KNNModelProto proto) {
        this.selection = selection;
        this.transformer = transformer;
        this.densify = densify;
        this.featureMap = knn.getFeatureIDMap();
        List<String> names = new ArrayList<>(featureMap.keySet());
        names.sort(null);
        this.sortedFeatureNames = List.copyOf(names);
        this.outputInfo = knn.getOutputIDInfo();
        this.k = proto.getK();
        this.n = proto.getVectorsCount();
        this.dims = featureMap.size();
        this.vectors = new SGDVector[n];
        this.labelIds = new int[n];
        this.t = new float[dims * n];
        this.norms = new float[n];
        this.normSlack = new float[n];
        this.c = (float) ((dims + 16) * Math.scalb(1.0, -21));
        for (int j = 0; j < n; j++) {
            Tensor tensor = Tensor.deserialize(proto.getVectors(j));
            if (!(tensor instanceof SGDVector v) || v.size() != dims) {
                throw new IllegalArgumentException("training vector " + j + " is not a vector of " + dims + " features");
            }
            vectors[j] = v;
            Output<?> output = Output.deserialize(proto.getOutputs(j));
            if (!(output instanceof Label label)) {
                throw new IllegalArgumentException("training output " + j + " is not a label");
            }
            int id = outputInfo.getID(label);
            if (id < 0) {
                throw new IllegalArgumentException("training label " + label.getLabel() + " is outside the model's domain");
            }
            labelIds[j] = id;
            float sum = 0;
            for (VectorTuple e : v) {
                if (!(Math.abs(e.value) <= MAX_MAGNITUDE)) {
                    throw new IllegalArgumentException("training value " + e.value + " out of the float path's range");
                }
                float f = (float) e.value;
                t[e.index * n + j] = f;
                sum += f * f;
            }
            norms[j] = sum;
            normSlack[j] = c * sum;
        }
    }

    /**
     * A scorer for {@code model} when it is a kNN model this class reproduces exactly (L2 distance, majority
     * vote, brute-force neighbours, at least k training rows), alone or inside a {@code TransformedModel};
     * otherwise {@code null}, and the caller uses Tribuo itself.
     */
    static KnnScorer of(Model<Label> model) {
        TransformerMap transformer = null;
        boolean densify = false;
        Model<Label> inner = model;
        if (model instanceof TransformedModel<Label> tm) {
            transformer = tm.getTransformerMap();
            densify = tm.getDensify();
            inner = tm.getInnerModel();
        }
        if (!(inner instanceof KNNModel<Label>)) {
            return null;
        }
        KNNModelProto proto;
        try {
            ModelProto serialized = inner.serialize();
            proto = serialized.getSerializedData().unpack(KNNModelProto.class);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return null;
        }
        if (!proto.getDistance().getClassName().equals(L2Distance.class.getName())
                || !proto.getCombiner().getClassName().equals(VotingCombiner.class.getName())
                || proto.getK() < 1 || proto.getVectorsCount() < proto.getK()) {
            return null;
        }
        Selection selection;
        if (transformer != null) {
            // TransformedModel predicts row by row: KNNModel.predict(Example), the sorting path.
            selection = Selection.SORTED;
        } else if (proto.getNumThreads() > 1) {
            // Batch path on several threads: only the streams backend sorts as predict(Example) does.
            if (!proto.getParallelBackend().equals(KNNModel.Backend.STREAMS.name())) {
                return null;
            }
            selection = Selection.SORTED;
        } else {
            if (!proto.getNeighboursQueryFactory().getClassName().equals(NeighboursBruteForceFactory.class.getName())) {
                return null;
            }
            selection = Selection.HEAP;
        }
        try {
            return new KnnScorer(selection, transformer, densify, inner, proto);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    Selection selection() {
        return selection;
    }

    int trainingRows() {
        return n;
    }

    /**
     * Votes for a block of examples, as Tribuo's {@link VotingCombiner} counts them.
     *
     * @param scores   out: rows x labels, in the model's output id order: each label's share of the k votes
     * @param winners  out: per row, the output id Tribuo predicts (the first id with the highest score)
     */
    void score(List<Example<Label>> examples, double[] scores, int[] winners) {
        int rows = examples.size();
        int labels = outputInfo.size();
        for (int start = 0; start < rows; start += QUERY_BLOCK) {
            int end = Math.min(rows, start + QUERY_BLOCK);
            scoreBlock(examples, start, end, scores, labels, winners);
        }
    }

    private void scoreBlock(List<Example<Label>> examples, int start, int end, double[] scores, int labels,
                            int[] winners) {
        int rows = end - start;
        SGDVector[] inputs = new SGDVector[rows];
        float[] q = new float[rows * dims];
        double[] qNorm = new double[rows];
        boolean[] exactOnly = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            Example<Label> example = examples.get(start + r);
            inputs[r] = input(example);
            double sum = 0;
            for (VectorTuple e : inputs[r]) {
                if (!(Math.abs(e.value) <= MAX_MAGNITUDE)) {
                    exactOnly[r] = true;
                }
                float f = (float) e.value;
                q[r * dims + e.index] = -2f * f;
                sum += (double) f * f;
            }
            qNorm[r] = sum;
        }

        RowState[] states = new RowState[rows];
        for (int r = 0; r < rows; r++) {
            states[r] = selection == Selection.SORTED ? new SortedState() : new HeapState();
        }
        float[] s = new float[CHUNK];
        for (int j0 = 0; j0 < n; j0 += CHUNK) {
            int len = Math.min(CHUNK, n - j0);
            for (int r = 0; r < rows; r++) {
                if (exactOnly[r]) {
                    continue;
                }
                partialDistances(q, r * dims, j0, len, s);
                float na = (float) qNorm[r];
                float lowBase = na - c * na - Float.MIN_NORMAL;
                float highBase = na + c * na + Float.MIN_NORMAL;
                states[r].scan(s, j0, len, lowBase, highBase, inputs[r]);
            }
        }
        for (int r = 0; r < rows; r++) {
            int[] neighbours = exactOnly[r] ? exactNeighbours(inputs[r]) : states[r].neighbours(inputs[r]);
            vote(neighbours, scores, (start + r) * labels, labels, winners, start + r);
        }
    }

    /** The query row as Tribuo builds it: transformed as the TransformedModel does, then its vector. */
    private SGDVector input(Example<Label> example) {
        Example<Label> e = example;
        if (transformer != null) {
            e = densify ? transformer.transformExample(example, sortedFeatureNames) : transformer.transformExample(example);
        }
        SGDVector input = e.size() == featureMap.size()
                ? DenseVector.createDenseVector(e, featureMap, false)
                : SparseVector.createSparseVector(e, featureMap, false);
        if (selection == Selection.SORTED && input.numActiveElements() == 0) {
            throw new IllegalArgumentException("No features found in Example " + example);
        }
        return input;
    }

    /** {@code s[i] = ||b_j||^2 - 2 a.b_j} for the chunk's training rows {@code j = j0 + i}, in float. */
    private void partialDistances(float[] q, int qOffset, int j0, int len, float[] s) {
        System.arraycopy(norms, j0, s, 0, len);
        int f = 0;
        for (; f + 3 < dims; f += 4) {
            float a0 = q[qOffset + f];
            float a1 = q[qOffset + f + 1];
            float a2 = q[qOffset + f + 2];
            float a3 = q[qOffset + f + 3];
            if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
                continue;
            }
            int o0 = f * n + j0;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            for (int i = 0; i < len; i++) {
                s[i] += a0 * t[o0 + i] + a1 * t[o1 + i] + a2 * t[o2 + i] + a3 * t[o3 + i];
            }
        }
        for (; f < dims; f++) {
            float a = q[qOffset + f];
            if (a == 0f) {
                continue;
            }
            int o = f * n + j0;
            for (int i = 0; i < len; i++) {
                s[i] += a * t[o + i];
            }
        }
    }

    private double exact(SGDVector input, int j) {
        // Argument order as in Tribuo: predict(Example) measures training row to input, the brute-force query
        // input to training row.
        return selection == Selection.SORTED
                ? distance.computeDistance(vectors[j], input)
                : distance.computeDistance(input, vectors[j]);
    }

    /** Every distance exact: for rows whose values are beyond the float path's range. */
    private int[] exactNeighbours(SGDVector input) {
        RowState state = selection == Selection.SORTED ? new SortedState() : new HeapState();
        for (int j0 = 0; j0 < n; j0 += CHUNK) {
            int len = Math.min(CHUNK, n - j0);
            state.scanExactly(j0, len, input);
        }
        return state.neighbours(input);
    }

    private void vote(int[] neighbours, double[] scores, int offset, int labels, int[] winners, int row) {
        // VotingCombiner: each of the k predictions adds 1/k to its label's score; the first id with the highest
        // score wins.
        double weight = 1.0 / neighbours.length;
        for (int j : neighbours) {
            scores[offset + labelIds[j]] += weight;
        }
        double max = Double.NEGATIVE_INFINITY;
        int winner = -1;
        for (int i = 0; i < labels; i++) {
            if (scores[offset + i] > max) {
                max = scores[offset + i];
                winner = i;
            }
        }
        winners[row] = winner;
    }

    /** The neighbour search of one query row, fed chunk by chunk in training order. */
    private interface RowState {
        /**
         * @param s        {@code ||b||^2 - 2 a.b} for the chunk
         * @param lowBase  {@code ||a||^2 (1 - c)}, less a hair: lower bound = {@code s - c ||b||^2 + lowBase}
         * @param highBase {@code ||a||^2 (1 + c)}, plus a hair: upper bound = {@code s + c ||b||^2 + highBase}
         */
        void scan(float[] s, int j0, int len, float lowBase, float highBase, SGDVector input);

        void scanExactly(int j0, int len, SGDVector input);

        int[] neighbours(SGDVector input);
    }

    /**
     * Stable sort by exact distance, first k. Keeps the k smallest upper bounds seen so far ({@code bound} is
     * the largest of them) and every row whose lower bound is at most {@code bound} when it is seen; {@code bound}
     * only falls, so every row that could be among the k nearest is kept.
     */
    private final class SortedState implements RowState {
        private final float[] uppers = new float[k];
        private int filled;
        private float bound = Float.POSITIVE_INFINITY;
        private int[] candidates = new int[Math.max(16, 2 * k)];
        private float[] lowers = new float[candidates.length];
        private int count;

        @Override
        public void scan(float[] s, int j0, int len, float lowBase, float highBase, SGDVector input) {
            float[] slack = normSlack;
            for (int i = 0; i < len; i++) {
                float low = s[i] - slack[j0 + i] + lowBase;
                if (low <= bound) {
                    keep(j0 + i, low, s[i] + slack[j0 + i] + highBase);
                }
            }
        }

        @Override
        public void scanExactly(int j0, int len, SGDVector input) {
            for (int i = 0; i < len; i++) {
                keep(j0 + i, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            }
        }

        private void keep(int j, float low, float high) {
            if (count == candidates.length) {
                candidates = Arrays.copyOf(candidates, count * 2);
                lowers = Arrays.copyOf(lowers, count * 2);
            }
            candidates[count] = j;
            lowers[count] = low;
            count++;
            if (high < bound || filled < k) {
                // Insert into the sorted k smallest upper bounds.
                int i = filled < k ? filled++ : k - 1;
                while (i > 0 && uppers[i - 1] > high) {
                    uppers[i] = uppers[i - 1];
                    i--;
                }
                uppers[i] = high;
                if (filled == k) {
                    bound = uppers[k - 1];
                }
            }
        }

        @Override
        public int[] neighbours(SGDVector input) {
            int m = 0;
            double[] d = new double[count];
            for (int i = 0; i < count; i++) {
                if (lowers[i] <= bound) {
                    d[m] = exact(input, candidates[i]);
                    candidates[m] = candidates[i];
                    m++;
                }
            }
            // Stable by (distance, training row): candidates are in training order.
            Integer[] idx = new Integer[m];
            for (int i = 0; i < m; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> Double.compare(d[a], d[b]));
            int[] result = new int[k];
            for (int i = 0; i < k; i++) {
                result[i] = candidates[idx[i]];
            }
            return result;
        }
    }

    /** Tribuo's NeighboursBruteForce.query replayed: same queue, same offers, same polls. */
    private final class HeapState implements RowState {
        private final PriorityQueue<Entry> queue = new PriorityQueue<>(k);
        /** Rows whose lower bound exceeds this cannot be offered: the queue's top, squared. */
        private double skipAbove = Double.POSITIVE_INFINITY;

        @Override
        public void scan(float[] s, int j0, int len, float lowBase, float highBase, SGDVector input) {
            float[] slack = normSlack;
            for (int i = 0; i < len; i++) {
                int j = j0 + i;
                if (j < k) {
                    offerFirst(j, input);
                } else {
                    float low = s[i] - slack[j] + lowBase;
                    if (low <= skipAbove) {
                        offer(j, input);
                    }
                }
            }
        }

        @Override
        public void scanExactly(int j0, int len, SGDVector input) {
            for (int i = 0; i < len; i++) {
                int j = j0 + i;
                if (j < k) {
                    offerFirst(j, input);
                } else {
                    offer(j, input);
                }
            }
        }

        private void offerFirst(int j, SGDVector input) {
            queue.offer(new Entry(j, exact(input, j)));
            if (queue.size() == k) {
                updateSkip();
            }
        }

        private void offer(int j, SGDVector input) {
            double d = exact(input, j);
            if (Double.compare(d, queue.peek().value) < 0) {
                Entry e = queue.poll();
                e.index = j;
                e.value = d;
                queue.offer(e);
                updateSkip();
            }
        }

        private void updateSkip() {
            double top = queue.peek().value;
            // A row with squared distance above top^2 (by more than rounding) has a distance above top.
            skipAbove = top * top * (1 + 1e-9) + Double.MIN_NORMAL;
        }

        @Override
        public int[] neighbours(SGDVector input) {
            int[] result = new int[k];
            int i = 0;
            for (Entry e : queue) {
                result[i++] = e.index;
            }
            return result;
        }
    }

    /** As NeighboursBruteForce's MutablePair: reverse order by distance, so the queue's head is the farthest. */
    private static final class Entry implements Comparable<Entry> {
        int index;
        double value;

        Entry(int index, double value) {
            this.index = index;
            this.value = value;
        }

        @Override
        public int compareTo(Entry o) {
            return Double.compare(o.value, this.value);
        }
    }
}
