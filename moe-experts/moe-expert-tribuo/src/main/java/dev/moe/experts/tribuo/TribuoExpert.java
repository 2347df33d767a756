package dev.moe.experts.tribuo;

import dev.moe.api.AbstractExpert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertSignature;
import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.transform.TransformedModel;

/**
 * A Tribuo classification model as an {@link dev.moe.api.Expert}. Each {@link #predict} call splits its rows into blocks of a
 * fixed size, turns each block into Tribuo examples and scores the blocks side by side on the machine's cores
 * ({@link BlockParallel}): one batch call to the model per block (Tribuo's batch path where the model has one,
 * such as XGBoost's), or, for a kNN model, {@link KnnScorer}, which gives Tribuo's own neighbours and votes from
 * a batched distance product. The blocks do not depend on the core count, nor do the results. Immutable;
 * Tribuo models are safe for concurrent predictions, so this expert is too.
 */
public final class TribuoExpert extends AbstractExpert {

    private final Model<Label> model;
    private final List<String> featureNames;
    private final List<String> labelNames;
    private final boolean usesScores;
    /** Feature names in Tribuo's order (sorted), and for each the column of the input block that holds it. */
    private final String[] sortedNames;
    private final int[] sortedColumns;
    /**
     * Whether the model was trained outside moe, on doubles parsed from text (Tribuo's loaders): then a value is given
     * as the decimal its float was read from (1.6, not the float's 1.600000023841858), or a tree whose threshold is
     * exactly 1.6 sends the row the other way than Tribuo's own predict on the same file does. Not for a kNN model,
     * whose fast path measures distances on the floats.
     */
    private final boolean decimalValues;
    /** By sorted feature, whether a 0 is left out of the example ({@link CategoricalFields}); null: every value is given. */
    private final boolean[] absentWhenZero;
    private final Map<String, Integer> labelIndex;
    /** For each of the model's output ids, the column of {@link #predict}'s result. */
    private final int[] idColumns;
    /** The model's fast paths, found on the first prediction (null before). */
    private volatile FastPaths fast;

    /**
     * What scores this model faster than Tribuo's predict, with the same numbers: {@code knn} (with its
     * {@code knnColumns}, null when rows go through examples) or {@code xgboost} (with its columns); both null
     * for other models.
     */
    private record FastPaths(KnnScorer knn, int[] knnColumns, XGBoostScorer xgboost, int[] xgboostColumns) { }
    /**
     * {@code -Dmoe.tribuo.fast-path=false}: score through Tribuo's own predict on the calling thread, one call for
     * the whole input, as moe did before the batched paths (the same numbers, slower); read on each call, so that a
     * benchmark can compare both in one JVM.
     */
    public static final String FAST_PATH_PROPERTY = "moe.tribuo.fast-path";
    /** Rows per parallel block: Tribuo's batch call per block, or the kNN distance product's blocks. */
    static final int BLOCK_ROWS = 512;
    static final int KNN_BLOCK_ROWS = 2 * KnnScorer.QUERY_BLOCK;

    /**
     * @param featureNames the columns {@link #predict} takes, in order; must include every feature the model knows
     * @param labelNames   the columns {@link #predict} returns; exactly the labels of the model's domain
     * @param provenance   where the model came from, as a flat map ({@link ExpertProvenance#fromMap});
     *                     {@code probabilities} is added here
     */
    TribuoExpert(String id, Model<Label> model, List<String> featureNames, List<String> labelNames,
                 Map<String, String> provenance, ProbabilityMode mode) {
        super(new ExpertSignature(id, featureNames, labelNames, ExpertProvenance.fromMap(provenance, TribuoExpertProvider.NAME)
                .with("probabilities", mode.usesScores(model.generatesProbabilities()) ? "scores" : "one-hot")));
        this.model = model;
        this.featureNames = featureNames();
        this.labelNames = labelNames();
        this.usesScores = mode.usesScores(model.generatesProbabilities());

        Integer[] order = new Integer[this.featureNames.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(this.featureNames::get));
        sortedNames = new String[order.length];
        sortedColumns = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            sortedNames[i] = this.featureNames.get(order[i]);
            sortedColumns[i] = order[i];
        }
        absentWhenZero = CategoricalFields.absentWhenZero(model, sortedNames);
        // Not for kNN: its fast path (KnnScorer) measures distances on the float values, and must agree with example().
        Model<Label> inner = model instanceof TransformedModel<Label> t ? t.getInnerModel() : model;
        decimalValues = !ModelMetadata.trainedByMoe(model) && !(inner instanceof KNNModel);
        Set<String> domain = labelDomain(model);
        if (!domain.equals(new HashSet<>(this.labelNames)) || domain.size() != this.labelNames.size()) {
            throw new IllegalArgumentException("label names " + this.labelNames + " are not the model's labels " + domain);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < this.labelNames.size(); i++) {
            index.put(this.labelNames.get(i), i);
        }
        this.labelIndex = Map.copyOf(index);
        this.idColumns = new int[model.getOutputIDInfo().size()];
        for (int i = 0; i < idColumns.length; i++) {
            idColumns[i] = column(model.getOutputIDInfo().getOutput(i).getLabel());
        }
    }

    /**
     * A Tribuo model already trained in memory, as an expert (for the Java API: no file needed). It reads the model's
     * features and predicts its labels, as the {@code tribuo} provider's {@code load} would, with its default
     * {@code probabilities: auto}: the model's scores where Tribuo says they are probabilities, else one-hot rows.
     * Saved into a mixture by the {@code tribuo} provider like any of its experts.
     *
     * @param id names the expert in reports and saved mixtures
     */
    public static TribuoExpert of(String id, Model<Label> model) {
        Objects.requireNonNull(model, "model");
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put(TribuoExpertProvider.PROVIDER, TribuoExpertProvider.NAME);
        provenance.put("model", "in memory");
        ModelMetadata.algorithm(model).ifPresent(a -> provenance.put("algorithm", a));
        TribuoExpertProvider.describeModel(model, provenance);
        return new TribuoExpert(id, model, ModelMetadata.featureNames(model), ModelMetadata.labelNames(model), provenance,
                ProbabilityMode.AUTO);
    }

    /**
     * Trains a Tribuo trainer on moe's rows and wraps the model as an expert (for the Java API: experts given as
     * trainers, trained once per cross-fitting fold). The model records the rows' feature and label names as the
     * {@code tribuo} provider's trained models do, so it saves and loads the same way.
     *
     * @param invocationCount the trainer's invocation count for this fit (Tribuo derives its random draws from it),
     *                        so that fits run side by side stay reproducible
     * @throws ExpertException when Tribuo refuses the rows
     */
    public static TribuoExpert train(String id, Trainer<Label> trainer, TrainingSet rows, int invocationCount) {
        Objects.requireNonNull(trainer, "trainer");
        List<String> labels = TribuoExpertProvider.seenLabels(rows);
        String algorithm = trainer.getClass().getSimpleName();
        Model<Label> model;
        try {
            // One fit at a time per trainer: a Tribuo trainer keeps its random state and invocation count in itself.
            synchronized (trainer) {
                model = trainer.train(TribuoExpertProvider.dataset(id, rows),
                        ModelMetadata.instanceProvenance(rows.featureNames(), labels, algorithm), invocationCount);
            }
        } catch (RuntimeException e) {
            throw new ExpertException("expert '" + id + "': Tribuo could not train " + algorithm + " on " + rows.rows()
                    + " rows: " + e.getMessage(), e);
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put(TribuoExpertProvider.PROVIDER, TribuoExpertProvider.NAME);
        provenance.put("algorithm", algorithm);
        provenance.put("training-rows", String.valueOf(rows.rows()));
        TribuoExpertProvider.describeModel(model, provenance);
        return new TribuoExpert(id, model, rows.featureNames(), labels, provenance, ProbabilityMode.AUTO);
    }

    /** The model's label names in Tribuo's id order. */
    static List<String> labelNamesInIdOrder(Model<Label> model) {
        List<String> names = new ArrayList<>();
        model.getOutputIDInfo().forEach(pair -> names.add(pair.getB().getLabel()));
        return names;
    }

    private static Set<String> labelDomain(Model<Label> model) {
        Set<String> names = new HashSet<>();
        for (Label label : model.getOutputIDInfo().getDomain()) {
            names.add(label.getLabel());
        }
        return names;
    }

    /** Whether rows are the model's normalised scores ({@code true}) or one-hot predicted labels. */
    boolean usesScores() {
        return usesScores;
    }

    /** The Tribuo model behind this expert (for saving, or for a Tribuo ensemble). */
    public Model<Label> model() {
        return model;
    }

    @Override
    public FloatMatrix predict(FloatMatrix features) {
        requireColumns(features);
        int columns = featureNames.size();
        int rows = features.rows();
        int labels = labelNames.size();
        FloatMatrix out = FloatMatrix.zeros(rows, labels);
        if (rows == 0) {
            return out;
        }
        float[] in = features.values();
        // Checked here, in row order, so that the row named does not depend on which block fails first.
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < columns; i++) {
                float v = in[r * columns + sortedColumns[i]];
                if (!Float.isFinite(v)) {
                    throw new ExpertException("expert '" + id() + "': row " + r + ", feature '" + sortedNames[i]
                            + "' is " + v + "; Tribuo models take finite values only");
                }
            }
        }
        float[] o = out.values();
        if (!Boolean.parseBoolean(System.getProperty(FAST_PATH_PROPERTY, "true"))) {
            predictRows(in, 0, rows, o, null);
            return out;
        }
        FastPaths paths = fastPaths();
        int block = paths.knn() != null ? KNN_BLOCK_ROWS : BLOCK_ROWS;
        int blocks = (rows + block - 1) / block;
        BlockParallel.run(blocks, b -> predictRows(in, b * block, Math.min(rows, (b + 1) * block), o, paths));
        return out;
    }

    /** Tribuo's own predictions for the block, one call on this thread, no fast path: the reference for tests. */
    FloatMatrix predictThroughTribuo(FloatMatrix features) {
        FloatMatrix out = FloatMatrix.zeros(features.rows(), labelNames.size());
        predictRows(features.values(), 0, features.rows(), out.values(), null);
        return out;
    }

    /** Rows {@code from .. to-1} of the block into {@code o}: through a fast path when given one, else Tribuo's. */
    private void predictRows(float[] in, int from, int to, float[] o, FastPaths paths) {
        if (paths != null && paths.knn() != null) {
            writeVotes(paths.knn(), paths.knnColumns(), in, from, to, o);
            return;
        }
        if (paths != null && paths.xgboost() != null) {
            float[][] p = paths.xgboost().probabilities(in, featureNames.size(), from, to - from, paths.xgboostColumns());
            if (p != null) {
                writeProbabilities(p, o, from);
                return;
            }
        }
        List<Example<Label>> examples = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            examples.add(example(in, r));
        }
        int labels = labelNames.size();
        List<Prediction<Label>> predictions = model.predict(examples);
        for (int r = from; r < to; r++) {
            Prediction<Label> prediction = predictions.get(r - from);
            if (usesScores) {
                writeScores(prediction, o, r * labels, r);
            } else {
                o[r * labels + column(prediction.getOutput().getLabel())] = 1f;
            }
        }
    }

    /** Row {@code r} of the block as the Tribuo example the model is given. */
    private Example<Label> example(float[] in, int r) {
        int columns = featureNames.size();
        double[] values = new double[columns];
        for (int i = 0; i < columns; i++) {
            float v = in[r * columns + sortedColumns[i]];
            values[i] = decimalValues ? decimal(v) : v;
        }
        if (absentWhenZero == null) {
            return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, sortedNames, values);
        }
        List<String> present = new ArrayList<>(columns);
        double[] presentValues = new double[columns];
        for (int i = 0; i < columns; i++) {
            if (!(absentWhenZero[i] && values[i] == 0)) {
                presentValues[present.size()] = values[i];
                present.add(sortedNames[i]);
            }
        }
        return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, present.toArray(String[]::new),
                Arrays.copyOf(presentValues, present.size()));
    }

    /** The decimal a float was read from: itself when it is a small whole number (letter's 16 features: 0.2 of predict's time). */
    static double decimal(float v) {
        return Math.abs(v) < 0x1p24f && v == Math.rint(v) ? v : Double.parseDouble(Float.toString(v));
    }

    /** The kNN fast path: the same numbers {@link #writeScores} or the one-hot branch give for Tribuo's prediction. */
    private void writeVotes(KnnScorer knn, int[] knnColumns, float[] in, int from, int to, float[] o) {
        int rows = to - from;
        int ids = idColumns.length;
        int labels = labelNames.size();
        double[] scores = new double[rows * ids];
        int[] winners = new int[rows];
        knn.score(in, featureNames.size(), from, rows, knnColumns, r -> example(in, r), scores, winners);
        for (int i = 0; i < rows; i++) {
            int offset = (from + i) * labels;
            if (!usesScores) {
                o[offset + idColumns[winners[i]]] = 1f;
                continue;
            }
            // As writeScores: the sum in the prediction map's order (output ids), then each score over it.
            double sum = 0;
            for (int id = 0; id < ids; id++) {
                sum += scores[i * ids + id];
            }
            for (int id = 0; id < ids; id++) {
                o[offset + idColumns[id]] = (float) (scores[i * ids + id] / sum);
            }
        }
    }

    /**
     * XGBoost's fast path: the numbers {@link #writeScores} or the one-hot branch give for the prediction Tribuo's
     * XGBoostClassificationConverter makes of the same probabilities (Label scores widened to double; the first id
     * with the highest score predicted).
     */
    private void writeProbabilities(float[][] p, float[] o, int from) {
        int labels = labelNames.size();
        for (int i = 0; i < p.length; i++) {
            int row = from + i;
            int offset = row * labels;
            double max = Double.NEGATIVE_INFINITY;
            int winner = -1;
            double sum = 0;
            boolean valid = true;
            for (int id = 0; id < p[i].length; id++) {
                double s = p[i][id];
                if (s > max) {
                    max = s;
                    winner = id;
                }
                valid &= s >= 0 && !Double.isInfinite(s);
                sum += s;
            }
            if (!usesScores || !(sum > 0)) {
                if (usesScores && !valid) {
                    throw new ExpertException("expert '" + id() + "': the model's scores on row " + row
                            + " are not probabilities; use probabilities: one-hot");
                }
                o[offset + idColumns[winner]] = 1f;
                continue;
            }
            if (!valid) {
                throw new ExpertException("expert '" + id() + "': the model's scores on row " + row
                        + " are not probabilities; use probabilities: one-hot");
            }
            for (int id = 0; id < p[i].length; id++) {
                o[offset + idColumns[id]] = (float) (p[i][id] / sum);
            }
        }
    }

    /** The kNN fast path for this model, built on first use; {@code null} when the model is not one it reproduces. */
    KnnScorer knnScorer() {
        return fastPaths().knn();
    }

    /** Whether this expert scores through {@link XGBoostScorer}. */
    boolean usesXGBoostScorer() {
        return fastPaths().xgboost() != null;
    }

    private FastPaths fastPaths() {
        FastPaths paths = fast;
        if (paths == null) {
            synchronized (this) {
                paths = fast;
                if (paths == null) {
                    KnnScorer knn = KnnScorer.of(model);
                    // The XGBoost scorer gives the booster every value: not for rows whose zeros must be absent.
                    XGBoostScorer xgboost = knn == null && absentWhenZero == null ? XGBoostScorer.of(model) : null;
                    int[] xgboostColumns = xgboost == null ? null
                            : XGBoostScorer.directColumns(model.getFeatureIDMap(), featureNames);
                    if (xgboostColumns == null) {
                        xgboost = null;
                    }
                    paths = new FastPaths(knn, knn == null ? null : knn.directColumns(featureNames), xgboost,
                            xgboostColumns);
                    fast = paths;
                }
            }
        }
        return paths;
    }

    private void writeScores(Prediction<Label> prediction, float[] out, int offset, int row) {
        double sum = 0;
        for (Label score : prediction.getOutputScores().values()) {
            double s = score.getScore();
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new ExpertException("expert '" + id() + "': the model's score for label '" + score.getLabel()
                        + "' on row " + row + " is " + s + ", not a probability; use probabilities: one-hot");
            }
            sum += s;
        }
        if (!(sum > 0)) {
            // No mass at all: fall back to the predicted label rather than divide by zero.
            out[offset + column(prediction.getOutput().getLabel())] = 1f;
            return;
        }
        for (Label score : prediction.getOutputScores().values()) {
            out[offset + column(score.getLabel())] = (float) (score.getScore() / sum);
        }
    }

    private int column(String label) {
        Integer c = labelIndex.get(label);
        if (c == null) {
            throw new IllegalStateException("expert '" + id() + "': model predicted label '" + label
                    + "' outside its domain " + labelNames);
        }
        return c;
    }

    @Override
    public String toString() {
        return "TribuoExpert[" + id() + ", " + provenance().get("model-class") + ", " + featureNames.size() + " features, "
                + labelNames + "]";
    }
}
