package dev.moe.experts.tribuo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntFunction;
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
import org.tribuo.math.protos.TensorProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.Transformer;
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
 * <p>Immutable and safe for concurrent use. Tribuo keeps the training vectors private: they are read by reflection
 * (Tribuo is on the class path), or from the model's protobuf form when reflection is refused; either way a model
 * loaded from a file gets the fast path too.
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
    /** Per feature id, the transformer's steps for it (null: none); null without a transformer. */
    private final List<Transformer>[] transformers;
    private final List<String> sortedFeatureNames;
    private final ImmutableFeatureMap featureMap;
    private final ImmutableOutputInfo<Label> outputInfo;
    private final int k;
    private final L2Distance distance = new L2Distance();
    private final SGDVector[] vectors;
    private final int[] labelIds;
    private final int n;
    private final int dims;
    /**
     * Training rows as floats, by chunk of {@link #CHUNK} rows and feature: {@code t[chunk][f][j - chunk * CHUNK]}.
     * One array per chunk and feature, indexed from 0: C2 (Java 17) vectorises the product loop over such arrays,
     * not over one array at an offset (measured: 5 GFLOP/s against 20-35 on this machine).
     */
    private final float[][][] t;
    /** Per chunk: {@code ||b||^2 - c ||b||^2}, where the lower bounds start, and {@code 2 c ||b||^2}. */
    private final float[][] lowNorms;
    private final float[][] twoSlack;
    /** The relative error bound {@code c}, see the class comment. */
    private final float c;

    private KnnScorer(Selection selection, TransformerMap transformer, boolean densify, Model<Label> knn, Parts parts) {
        this.selection = selection;
        this.transformer = transformer;
        this.densify = densify;
        this.featureMap = knn.getFeatureIDMap();
        List<String> names = new ArrayList<>(featureMap.keySet());
        names.sort(null);
        this.sortedFeatureNames = List.copyOf(names);
        this.outputInfo = knn.getOutputIDInfo();
        if (transformer == null) {
            this.transformers = null;
        } else {
            @SuppressWarnings("unchecked")
            List<Transformer>[] steps = new List[featureMap.size()];
            for (int id = 0; id < steps.length; id++) {
                steps[id] = transformer.get(featureMap.get(id).getName());
            }
            this.transformers = steps;
        }
        this.k = parts.k();
        this.n = parts.vectors().length;
        this.dims = featureMap.size();
        this.vectors = parts.vectors();
        this.labelIds = new int[n];
        int chunks = (n + CHUNK - 1) / CHUNK;
        this.t = new float[chunks][dims][];
        this.lowNorms = new float[chunks][];
        this.twoSlack = new float[chunks][];
        for (int ch = 0; ch < chunks; ch++) {
            int len = Math.min(CHUNK, n - ch * CHUNK);
            for (int f = 0; f < dims; f++) {
                t[ch][f] = new float[len];
            }
            lowNorms[ch] = new float[len];
            twoSlack[ch] = new float[len];
        }
        this.c = (float) ((dims + 16) * Math.scalb(1.0, -21));
        for (int j = 0; j < n; j++) {
            SGDVector v = vectors[j];
            if (v == null || v.size() != dims) {
                throw new IllegalArgumentException("training vector " + j + " is not a vector of " + dims + " features");
            }
            int id = outputInfo.getID(parts.labels()[j]);
            if (id < 0) {
                throw new IllegalArgumentException("training label " + parts.labels()[j] + " is outside the model's domain");
            }
            labelIds[j] = id;
            float sum = 0;
            for (VectorTuple e : v) {
                if (!(Math.abs(e.value) <= MAX_MAGNITUDE)) {
                    throw new IllegalArgumentException("training value " + e.value + " out of the float path's range");
                }
                float f = (float) e.value;
                t[j / CHUNK][e.index][j % CHUNK] = f;
                sum += f * f;
            }
            lowNorms[j / CHUNK][j % CHUNK] = sum - c * sum;
            twoSlack[j / CHUNK][j % CHUNK] = 2 * c * sum;
        }
    }

    /**
     * What the scorer needs of a KNNModel, which keeps it all private. {@code distance}, {@code combiner} and
     * {@code queryFactory} are class names; {@code backend} is the parallel backend's name.
     */
    record Parts(int k, int numThreads, String backend, String distance, String combiner, String queryFactory,
                 SGDVector[] vectors, Label[] labels) {

        /** Read through reflection: instant, and Tribuo is on the class path (the unnamed module). */
        static Parts reflected(KNNModel<Label> model) throws ReflectiveOperationException {
            Object[] pairs = (Object[]) field(model, "vectors");
            SGDVector[] vectors = new SGDVector[pairs.length];
            Label[] labels = new Label[pairs.length];
            for (int j = 0; j < pairs.length; j++) {
                Pair<?, ?> pair = (Pair<?, ?>) pairs[j];
                vectors[j] = (SGDVector) pair.getA();
                labels[j] = (Label) pair.getB();
            }
            return new Parts((Integer) field(model, "k"), (Integer) field(model, "numThreads"),
                    ((KNNModel.Backend) field(model, "parallelBackend")).name(),
                    field(model, "dist").getClass().getName(), field(model, "combiner").getClass().getName(),
                    field(model, "neighboursQueryFactory").getClass().getName(), vectors, labels);
        }

        private static Object field(Object target, String name) throws ReflectiveOperationException {
            Field f = KNNModel.class.getDeclaredField(name);
            f.setAccessible(true);
            Object value = f.get(target);
            if (value == null) {
                throw new NoSuchFieldException(name + " is null");
            }
            return value;
        }

        /**
         * Read from the model's protobuf form: the public route, for when reflection is refused (Tribuo on the
         * module path) or Tribuo's fields change. Vectors are unpacked by their classes' factories directly: Tribuo's
         * Tensor.deserialize looks the factory up by reflection for every vector (seconds for 14,000 rows).
         */
        static Parts serialized(KNNModel<Label> model) throws InvalidProtocolBufferException {
            ModelProto serialized = model.serialize();
            KNNModelProto proto = serialized.getSerializedData().unpack(KNNModelProto.class);
            int count = proto.getVectorsCount();
            if (count != proto.getOutputsCount()) {
                throw new IllegalArgumentException(count + " vectors for " + proto.getOutputsCount() + " outputs");
            }
            SGDVector[] vectors = new SGDVector[count];
            Label[] labels = new Label[count];
            for (int j = 0; j < count; j++) {
                vectors[j] = vector(proto.getVectors(j));
                Output<?> output = Output.deserialize(proto.getOutputs(j));
                if (!(output instanceof Label label)) {
                    throw new IllegalArgumentException("training output " + j + " is not a label");
                }
                labels[j] = label;
            }
            return new Parts(proto.getK(), proto.getNumThreads(), proto.getParallelBackend(),
                    proto.getDistance().getClassName(), proto.getCombiner().getClassName(),
                    proto.getNeighboursQueryFactory().getClassName(), vectors, labels);
        }

        private static SGDVector vector(TensorProto proto) throws InvalidProtocolBufferException {
            if (proto.getClassName().equals(DenseVector.class.getName())) {
                return DenseVector.deserializeFromProto(proto.getVersion(), proto.getClassName(), proto.getSerializedData());
            }
            if (proto.getClassName().equals(SparseVector.class.getName())) {
                return SparseVector.deserializeFromProto(proto.getVersion(), proto.getClassName(), proto.getSerializedData());
            }
            Tensor tensor = Tensor.deserialize(proto);
            if (!(tensor instanceof SGDVector v)) {
                throw new IllegalArgumentException("training vector of class " + proto.getClassName());
            }
            return v;
        }
    }

    /**
     * A scorer for {@code model} when it is a kNN model this class reproduces exactly (L2 distance, majority
     * vote, brute-force neighbours, at least k training rows), alone or inside a {@code TransformedModel};
     * otherwise {@code null}, and the caller uses Tribuo itself.
     */
    static KnnScorer of(Model<Label> model) {
        return of(model, true);
    }

    /** @param reflect read the model's parts by reflection (else from its protobuf form, as when reflection fails) */
    static KnnScorer of(Model<Label> model, boolean reflect) {
        TransformerMap transformer = null;
        boolean densify = false;
        Model<Label> inner = model;
        if (model instanceof TransformedModel<Label> tm) {
            transformer = tm.getTransformerMap();
            densify = tm.getDensify();
            inner = tm.getInnerModel();
        }
        if (!(inner instanceof KNNModel<Label> knn)) {
            return null;
        }
        Parts parts = null;
        if (reflect) {
            try {
                parts = Parts.reflected(knn);
            } catch (ReflectiveOperationException | RuntimeException e) {
                parts = null;
            }
        }
        if (parts == null) {
            try {
                parts = Parts.serialized(knn);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                return null;
            }
        }
        if (!parts.distance().equals(L2Distance.class.getName())
                || !parts.combiner().equals(VotingCombiner.class.getName())
                || parts.k() < 1 || parts.vectors().length < parts.k()) {
            return null;
        }
        Selection selection;
        if (transformer != null) {
            // TransformedModel predicts row by row: KNNModel.predict(Example), the sorting path.
            selection = Selection.SORTED;
        } else if (parts.numThreads() > 1) {
            // Batch path on several threads: only the streams backend sorts as predict(Example) does.
            if (!parts.backend().equals(KNNModel.Backend.STREAMS.name())) {
                return null;
            }
            selection = Selection.SORTED;
        } else {
            if (!parts.queryFactory().equals(NeighboursBruteForceFactory.class.getName())) {
                return null;
            }
            selection = Selection.HEAP;
        }
        try {
            return new KnnScorer(selection, transformer, densify, inner, parts);
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
     * For rows that hold exactly the model's features: for each of the model's feature ids, the column holding it
     * ({@link #score} then builds Tribuo's vector straight from the floats, without an Example); otherwise null.
     */
    int[] directColumns(List<String> columnNames) {
        if (columnNames.size() != dims) {
            return null;
        }
        int[] columns = new int[dims];
        for (int id = 0; id < dims; id++) {
            columns[id] = columnNames.indexOf(featureMap.get(id).getName());
            if (columns[id] < 0) {
                return null;
            }
        }
        return columns;
    }

    /**
     * Votes for rows {@code from .. from+count-1} of a row-major block, as Tribuo's {@link VotingCombiner} counts them.
     *
     * @param in            the block, {@code columns} floats a row
     * @param directColumns {@link #directColumns}, or null: then each row goes through {@code example}
     * @param example       row (of the block) to Tribuo's example, as the expert builds it
     * @param scores        out: count x labels, in the model's output id order: each label's share of the k votes
     * @param winners       out: per row, the output id Tribuo predicts (the first id with the highest score)
     */
    void score(float[] in, int columns, int from, int count, int[] directColumns, IntFunction<Example<Label>> example,
               double[] scores, int[] winners) {
        int labels = outputInfo.size();
        for (int start = 0; start < count; start += QUERY_BLOCK) {
            int end = Math.min(count, start + QUERY_BLOCK);
            scoreBlock(in, columns, from, directColumns, example, start, end, scores, labels, winners);
        }
    }

    private void scoreBlock(float[] in, int columns, int from, int[] directColumns, IntFunction<Example<Label>> example,
                            int start, int end, double[] scores, int labels, int[] winners) {
        int rows = end - start;
        SGDVector[] inputs = new SGDVector[rows];
        float[] q = new float[rows * dims];
        double[] qNorm = new double[rows];
        boolean[] exactOnly = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            int row = from + start + r;
            inputs[r] = directColumns == null ? null : directInput(in, row * columns, directColumns);
            if (inputs[r] == null) {
                inputs[r] = input(example.apply(row));
            }
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
                lowerBounds(q, r * dims, j0 / CHUNK, len, s);
                float na = (float) qNorm[r];
                float lowBase = na - c * na - Float.MIN_NORMAL;
                float highBase = na + c * na + Float.MIN_NORMAL;
                states[r].scan(s, twoSlack[j0 / CHUNK], j0, len, lowBase, highBase - lowBase, inputs[r]);
            }
        }
        for (int r = 0; r < rows; r++) {
            int[] neighbours = exactOnly[r] ? exactNeighbours(inputs[r]) : states[r].neighbours(inputs[r]);
            vote(neighbours, scores, (start + r) * labels, labels, winners, start + r);
        }
    }

    /**
     * The query row as Tribuo builds it from an example holding exactly the model's features: each value through
     * the feature's transformers (TransformerMap.applyTransformerList, as ArrayExample.transform applies them), into
     * a dense vector by feature id (as DenseVector.createDenseVector). Null when a value turns NaN: Tribuo's own
     * path then reports it.
     */
    private SGDVector directInput(float[] in, int offset, int[] directColumns) {
        double[] values = new double[dims];
        for (int id = 0; id < dims; id++) {
            double v = in[offset + directColumns[id]];
            if (transformers != null) {
                v = TransformerMap.applyTransformerList(v, transformers[id]);
            }
            if (Double.isNaN(v)) {
                return null;
            }
            values[id] = v;
        }
        return DenseVector.createDenseVector(values);
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

    /**
     * {@code s[i] = ||b_j||^2 - c ||b_j||^2 - 2 a.b_j} for the chunk's training rows {@code j}, in float: with
     * {@code ||a||^2 (1 - c)} added, a lower bound of the squared distance (the query row holds {@code -2 a}).
     */
    private void lowerBounds(float[] q, int qOffset, int chunk, int len, float[] s) {
        System.arraycopy(lowNorms[chunk], 0, s, 0, len);
        float[][] tc = t[chunk];
        int f = 0;
        for (; f + 3 < dims; f += 4) {
            float a0 = q[qOffset + f];
            float a1 = q[qOffset + f + 1];
            float a2 = q[qOffset + f + 2];
            float a3 = q[qOffset + f + 3];
            if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
                continue;
            }
            float[] t0 = tc[f];
            float[] t1 = tc[f + 1];
            float[] t2 = tc[f + 2];
            float[] t3 = tc[f + 3];
            for (int i = 0; i < len; i++) {
                s[i] += a0 * t0[i] + a1 * t1[i] + a2 * t2[i] + a3 * t3[i];
            }
        }
        for (; f < dims; f++) {
            float a = q[qOffset + f];
            if (a == 0f) {
                continue;
            }
            float[] t0 = tc[f];
            for (int i = 0; i < len; i++) {
                s[i] += a * t0[i];
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
         * @param s        {@code ||b||^2 (1 - c) - 2 a.b} for the chunk
         * @param twoSlack {@code 2 c ||b||^2} for the chunk
         * @param lowBase  {@code ||a||^2 (1 - c)}, less a hair: lower bound = {@code s + lowBase}
         * @param width    {@code 2 c ||a||^2}, plus a hair: upper bound = {@code lower + twoSlack + width}
         */
        void scan(float[] s, float[] twoSlack, int j0, int len, float lowBase, float width, SGDVector input);

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
        private int[] candidates = new int[Math.max(64, 4 * k)];
        private float[] lowers = new float[candidates.length];
        private int count;

        @Override
        public void scan(float[] s, float[] twoSlack, int j0, int len, float lowBase, float width, SGDVector input) {
            for (int i = 0; i < len; i++) {
                float low = s[i] + lowBase;
                if (low <= bound) {
                    keep(j0 + i, low, low + twoSlack[i] + width);
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
            // Exact distances of the rows still in the running, kept sorted by (distance, training row) as they
            // come (in training order): an insertion that moves a row only past strictly larger distances is
            // Tribuo's stable sort. Only the first k places matter.
            int[] best = new int[k];
            double[] bestDistance = new double[k];
            int filledBest = 0;
            for (int i = 0; i < count; i++) {
                if (lowers[i] > bound) {
                    continue;
                }
                double d = exact(input, candidates[i]);
                if (filledBest == k && Double.compare(d, bestDistance[k - 1]) >= 0) {
                    continue;
                }
                int at = filledBest < k ? filledBest++ : k - 1;
                while (at > 0 && Double.compare(bestDistance[at - 1], d) > 0) {
                    best[at] = best[at - 1];
                    bestDistance[at] = bestDistance[at - 1];
                    at--;
                }
                best[at] = candidates[i];
                bestDistance[at] = d;
            }
            return best;
        }
    }

    /** Tribuo's NeighboursBruteForce.query replayed: same queue, same offers, same polls. */
    private final class HeapState implements RowState {
        private final PriorityQueue<Entry> queue = new PriorityQueue<>(k);
        /** Rows whose lower bound exceeds this cannot be offered: the queue's top, squared. */
        private double skipAbove = Double.POSITIVE_INFINITY;

        @Override
        public void scan(float[] s, float[] twoSlack, int j0, int len, float lowBase, float width, SGDVector input) {
            for (int i = 0; i < len; i++) {
                int j = j0 + i;
                if (j < k) {
                    offerFirst(j, input);
                } else {
                    float low = s[i] + lowBase;
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
