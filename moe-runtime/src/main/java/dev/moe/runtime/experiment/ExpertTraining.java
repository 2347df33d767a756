package dev.moe.runtime.experiment;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.nn.Permutations;
import dev.moe.gating.training.GateData;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.scoring.ParallelBlocks;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Builds the configured experts for one repeat and the rows the gate learns from, in one of two ways:
 *
 * <ul>
 *   <li>a three-way split: each expert trains on its subset of the experts' pool; the gate's rows are scored by
 *       those experts, which never saw them;</li>
 *   <li>cross-fitting (as scikit-learn's {@code StackingClassifier} does with {@code cross_val_predict}): the
 *       training rows are cut into K folds; each trainable expert is trained K times, each time without one fold,
 *       and scores that fold, so every training row gets an out-of-fold output; the gate learns from those, and the
 *       final experts are trained on all training rows. No row is spent on one side only. A pretrained expert is
 *       loaded once and used as it is.</li>
 * </ul>
 *
 * Independent fits run side by side on the cores; each has its own seed, so results do not depend on the cores.
 */
final class ExpertTraining {

    /** @param experts the final experts; @param gateData the gate's rows with the experts' (out-of-fold) outputs */
    record Result(List<AlignedExpert> experts, GateData gateData) { }

    private final ExpertFactory factory;
    private final MoeConfig config;

    ExpertTraining(ExpertFactory factory, MoeConfig config) {
        this.factory = factory;
        this.config = config;
    }

    Result threeWay(Dataset data, SplitPlan plan, long seed, ProgressListener progress, String prefix) {
        List<int[]> subsets = ExpertSubsets.select(data, plan.expertPool(), config.experts(),
                config.split().balanceExpertsOrDefault(), seed);
        progress.step(prefix + describe("building", config.experts().size(), 1));
        List<Callable<AlignedExpert>> fits = new ArrayList<>();
        for (int e = 0; e < config.experts().size(); e++) {
            int index = e;
            fits.add(() -> build(index, data, subsets.get(index), seed));
        }
        List<AlignedExpert> experts = runAll(fits, progress);
        FloatMatrix gateFeatures = data.features().selectRows(plan.gateRows());
        int[] gateLabels = Permutations.select(data.labels(), plan.gateRows());
        return new Result(experts, GateData.of(gateFeatures, gateLabels, experts));
    }

    Result crossFitted(Dataset data, SplitPlan plan, int folds, long seed, ProgressListener progress, String prefix) {
        int[] rows = plan.gateRows();
        int[] labels = Permutations.select(data.labels(), rows);
        int[] fold = Permutations.stratifiedFolds(labels, folds, new SplittableRandom(Experiment.mix(seed, 3)));
        int e = config.experts().size();
        boolean[] trains = new boolean[e];
        int fitsPerTrainedExpert = folds + 1;
        List<Callable<AlignedExpert>> fits = new ArrayList<>();
        List<int[]> finalSubsets = ExpertSubsets.select(data, rows, config.experts(), config.split().balanceExpertsOrDefault(), seed);
        List<List<int[]>> foldSubsets = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            int[] pool = positions(rows, Permutations.foldRows(fold, f, false));
            foldSubsets.add(ExpertSubsets.select(data, pool, config.experts(), config.split().balanceExpertsOrDefault(),
                    Experiment.mix(seed, 100 + f)));
        }
        int trained = 0;
        for (int k = 0; k < e; k++) {
            int index = k;
            trains[k] = factory.trains(config.experts().get(k));
            fits.add(() -> build(index, data, finalSubsets.get(index), seed));
            if (trains[k]) {
                trained++;
                for (int f = 0; f < folds; f++) {
                    int foldIndex = f;
                    fits.add(() -> build(index, data, foldSubsets.get(foldIndex).get(index), Experiment.mix(seed, 100 + foldIndex)));
                }
            }
        }
        progress.step(prefix + describe("cross-fitting", trained, fitsPerTrainedExpert)
                + (trained < e ? ", loading " + (e - trained) : ""));
        List<AlignedExpert> built = runAll(fits, progress);

        FloatMatrix features = data.features().selectRows(rows);
        List<AlignedExpert> experts = new ArrayList<>();
        List<Callable<FloatMatrix>> scoring = new ArrayList<>();
        int next = 0;
        for (int k = 0; k < e; k++) {
            AlignedExpert finalExpert = built.get(next++);
            experts.add(finalExpert);
            if (!trains[k]) {
                scoring.add(() -> finalExpert.predict(features));
                continue;
            }
            List<AlignedExpert> foldExperts = built.subList(next, next + folds);
            next += folds;
            scoring.add(() -> outOfFold(foldExperts, features, fold, data.labelNames().size()));
        }
        List<FloatMatrix> outputs = runAll(scoring, ProgressListener.SILENT);
        for (AlignedExpert fit : built) {
            if (!experts.contains(fit)) {
                fit.expert().close(); // a fold's fit: its out-of-fold outputs are all it was for
            }
        }
        return new Result(experts, new GateData(features, labels, outputs));
    }

    /** Each row scored by the fold expert that did not train on it. */
    private static FloatMatrix outOfFold(List<AlignedExpert> foldExperts, FloatMatrix features, int[] fold, int labels) {
        FloatMatrix out = FloatMatrix.zeros(features.rows(), labels);
        for (int f = 0; f < foldExperts.size(); f++) {
            int[] heldOut = Permutations.foldRows(fold, f, true);
            FloatMatrix p = foldExperts.get(f).predict(features.selectRows(heldOut));
            for (int i = 0; i < heldOut.length; i++) {
                System.arraycopy(p.values(), i * labels, out.values(), heldOut[i] * labels, labels);
            }
        }
        return out;
    }

    private AlignedExpert build(int index, Dataset data, int[] subset, long seed) {
        MoeConfig.ExpertConfig expertConfig = config.experts().get(index);
        Expert expert = factory.create(expertConfig, data, subset, config.baseDirectory(), Experiment.mix(seed, index + 1));
        try {
            return AlignedExpert.align(expert, data.featureNames(), data.labelNames());
        } catch (ExpertException ex) {
            throw new MoeException("experts[" + expertConfig.id() + "]: " + ex.getMessage());
        }
    }

    private static String describe(String verb, int experts, int fitsEach) {
        int cores = Runtime.getRuntime().availableProcessors();
        return verb + " " + experts + " expert" + (experts == 1 ? "" : "s")
                + (fitsEach > 1 ? " (" + fitsEach + " fits each: " + (fitsEach - 1) + " folds and the final one)" : "")
                + " on " + cores + " core" + (cores == 1 ? "" : "s");
    }

    /**
     * Runs the tasks side by side; results in the tasks' order, the first failure rethrown. Each result is counted to
     * {@code progress} as an expert's fit. Up to twice as many tasks as cores all run at once, the system sharing the
     * cores out: three equal fits on two cores then take 1.5 fits' time, not two (two, then the third alone). More
     * run one per core, so that memory stays a few fits' worth.
     */
    private static <T> List<T> runAll(List<Callable<T>> tasks, ProgressListener progress) {
        List<T> results = new ArrayList<>(tasks.size());
        progress.expertFit(0, tasks.size());
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = tasks.size() <= 2 * cores ? Math.max(1, tasks.size()) : cores;
        try (ParallelBlocks<T> pool = new ParallelBlocks<>(threads, result -> {
            results.add(result);
            progress.expertFit(results.size(), tasks.size());
        })) {
            for (Callable<T> task : tasks) {
                pool.submit(task);
            }
            pool.finish();
        }
        return results;
    }

    /** {@code rows[positions[i]]} for each i: fold positions back to data set rows. */
    private static int[] positions(int[] rows, int[] positions) {
        int[] out = Permutations.select(rows, positions);
        Arrays.sort(out);
        return out;
    }
}
