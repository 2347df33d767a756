package dev.moe.runtime.evaluation;

import dev.moe.api.RoutingStrategy;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import dev.moe.runtime.config.MoeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code moe evaluate} reports, serialised as the JSON report. {@code results} (one entry per model,
 * with {@code model} and {@code accuracy}) is the stable part scripts read.
 *
 * @param moeConfusion     the mixture's confusion matrix summed over the repeats (rows: true label)
 * @param moePerClass      the mixture's per-label precision, recall and F1, each averaged over the repeats that define it
 * @param routing          how the gate routed the test rows, averaged over the repeats
 * @param gateWeights      per expert, its gate weight on each test row of the first repeat
 * @param gateLossFirstRepeat the gate's mean training loss per epoch, first repeat
 * @param comparisons      the mixture against every other row, paired over the repeats
 * @param notices          plain sentences for a person: where the mixture lost, and to what
 * @param notes            plain sentences on baseline rows left out, and why
 * @param gate             how the combiner was chosen and trained in each repeat
 * @param testRowsFingerprints per repeat, which rows were scored ({@link TestRows}; null where not known): equal lists
 *                         mean two reports can be compared repeat by repeat
 * @param unlabelledRows   rows of the data file left out for having no label ({@code data.unlabelled}); null (and not
 *                         written) when none was
 */
public record EvaluationReport(
        String config,
        String dataset,
        String strategy,
        String strategyParameters,
        int repeats,
        List<Long> seeds,
        int testRows,
        int gateTrainRows,
        List<String> labels,
        List<ModelResult> results,
        int[][] moeConfusion,
        List<ClassSummary> moePerClass,
        Routing routing,
        Map<String, List<Float>> gateWeights,
        List<Double> gateLossFirstRepeat,
        List<Comparison> comparisons,
        List<String> notices,
        Gate gate,
        List<String> notes,
        List<String> testRowsFingerprints,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Long unlabelledRows) {

    public EvaluationReport(String config, String dataset, String strategy, String strategyParameters, int repeats,
                            List<Long> seeds, int testRows, int gateTrainRows, List<String> labels, List<ModelResult> results,
                            int[][] moeConfusion, List<ClassSummary> moePerClass, Routing routing,
                            Map<String, List<Float>> gateWeights, List<Double> gateLossFirstRepeat, List<Comparison> comparisons,
                            List<String> notices, Gate gate, List<String> notes, List<String> testRowsFingerprints) {
        this(config, dataset, strategy, strategyParameters, repeats, seeds, testRows, gateTrainRows, labels, results,
                moeConfusion, moePerClass, routing, gateWeights, gateLossFirstRepeat, comparisons, notices, gate, notes,
                testRowsFingerprints, null);
    }

    /** This report with the count of rows left out for having no label; itself when none was. */
    public EvaluationReport withUnlabelledRows(long rows) {
        return rows == 0 ? this : new EvaluationReport(config, dataset, strategy, strategyParameters, repeats, seeds, testRows,
                gateTrainRows, labels, results, moeConfusion, moePerClass, routing, gateWeights, gateLossFirstRepeat, comparisons,
                notices, gate, notes, testRowsFingerprints, rows);
    }

    /**
     * The mixture minus another model, repeat by repeat on the same test rows (a paired comparison).
     *
     * @param accuracyDifference      mean of (moe - model) accuracy over the repeats
     * @param accuracyStandardError   its standard error (sample sd / sqrt(repeats)); 0 for one repeat
     * @param logLossDifference       mean of (moe - model) log-loss (negative: the mixture is better)
     * @param logLossStandardError    its standard error
     * @param kind                    {@code expert} or {@code baseline}
     */
    public record Comparison(String model, String kind, double accuracyDifference, double accuracyStandardError,
                             double logLossDifference, double logLossStandardError) {

        /** Whether the mixture named fewer test labels right than this model over the repeats. */
        public boolean mixtureLess() {
            return accuracyDifference < 0;
        }
    }

    /**
     * @param chosen     the combiner used in each repeat
     * @param candidates per candidate, its cross-validated log-loss and accuracy on the gate's rows, means over the
     *                   repeats (empty when nothing was chosen)
     * @param bestEpoch  per repeat, the epochs the final gate trained (with early stopping, the epoch kept)
     * @param validationLoss per repeat, the early-stopping rows' log-loss at that epoch (NaN without early stopping)
     * @param temperatures per expert, its calibration temperature, mean over the repeats
     * @param floors     per expert, its calibration floor, mean over the repeats
     * @param candidatesPerRepeat per repeat, every candidate's cross-validated figures (with its distance from the
     *                   best and that distance's standard error, which the one-standard-error rule compares)
     * @param floorMargin how many standard errors averaging's log-loss had to be below the best learned candidate's
     *                   for averaging to be chosen ({@code gate.floor-margin}; 0: the plain minimum)
     * @param averagingFloor whether that margin applied, as the choice ran (false: the plain minimum chose, or
     *                   nothing was chosen)
     */
    public record Gate(List<String> chosen, List<CandidateScore> candidates, List<Integer> bestEpoch,
                       List<Double> validationLoss, Map<String, Double> temperatures, Map<String, Double> floors,
                       List<List<dev.moe.gating.training.GateSelection.Score>> candidatesPerRepeat,
                       Map<String, Double> productExponents, int productRepeats, double floorMargin,
                       boolean averagingFloor, int denseWarmupEpochs) {

        /** This record with the config's gate.dense-warmup-epochs: the loss chart marks where the strategy takes over. */
        public Gate withDenseWarmupEpochs(int epochs) {
            return new Gate(chosen, candidates, bestEpoch, validationLoss, temperatures, floors, candidatesPerRepeat,
                    productExponents, productRepeats, floorMargin, averagingFloor, epochs);
        }
    }

    public record CandidateScore(String candidate, double logLoss, double accuracy, int timesChosen) { }

    /**
     * Routing diagnostics of the test rows, means over the repeats.
     *
     * @param fairShare      k / E: the share of rows each expert would get under perfectly even routing
     * @param gateEntropy    mean entropy of a row's weights, in nats
     * @param loadCv         coefficient of variation of the experts' shares of rows (0 for dense routing)
     * @param importanceCv   coefficient of variation of the experts' mean weights
     * @param oracleAccuracy share of rows that at least one expert gets right: the ceiling of any gate
     * @param classes        per true label, whom the gate weighted most there and how right that expert was
     */
    public record Routing(double fairShare, double gateEntropy, double loadCv, double importanceCv, double oracleAccuracy,
                          double deadExperts, List<ExpertRouting> experts,
                          List<dev.moe.runtime.evaluation.ClassRouting> classes) { }

    /**
     * @param share          share of test rows routed to it (weight above 0)
     * @param utilization    share / fair share: 1 is its fair part, 0 dead
     * @param meanWeight     its mean gate weight
     * @param deadRepeats    in how many repeats no test row was routed to it
     * @param routedAccuracy its accuracy on the rows routed to it (mean over the repeats where it got any); NaN if none
     */
    public record ExpertRouting(String expert, double share, double utilization, double meanWeight, int deadRepeats,
                                double routedAccuracy) { }

    public record ClassSummary(String label, double precision, double recall, double f1, double support) { }

    /**
     * One label's figures over the repeats, each averaged over the repeats where it is defined: recall where the label
     * had test rows, precision where it was predicted, F1 where either. A repeat whose test rows lack a rare label
     * (shuttle's Bpv.Open) has no recall of it; counted as 0, it halved the recall of a label predicted right every time.
     * A figure no repeat defines is 0, as Tribuo gives it.
     */
    static ClassSummary classSummary(String name, int label, List<ClassificationMetrics> repeats) {
        List<Double> precision = new ArrayList<>();
        List<Double> recall = new ArrayList<>();
        List<Double> f1 = new ArrayList<>();
        for (ClassificationMetrics m : repeats) {
            ClassificationMetrics.ClassMetrics figures = m.perClass().get(label);
            int predicted = 0;
            for (int[] row : m.confusion()) {
                predicted += row[label];
            }
            if (predicted > 0) {
                precision.add(figures.precision());
            }
            if (figures.support() > 0) {
                recall.add(figures.recall());
            }
            if (predicted > 0 || figures.support() > 0) {
                f1.add(figures.f1());
            }
        }
        return new ClassSummary(name, precision.isEmpty() ? 0 : ModelResult.mean(precision),
                recall.isEmpty() ? 0 : ModelResult.mean(recall), f1.isEmpty() ? 0 : ModelResult.mean(f1),
                ModelResult.mean(repeats.stream().map(m -> (double) m.perClass().get(label).support()).toList()));
    }

    /** The mixture's row in reports. */
    public static final String MOE = "moe";

    public static EvaluationReport aggregate(MoeConfig config, RoutingStrategy strategy, List<RunResult> runs) {
        EvaluationReport r = aggregate(String.valueOf(config.source()), strategy.name(), strategy.describe(), runs, true);
        Integer warmup = config.gate().denseWarmupEpochs();
        return warmup == null || warmup == 0 ? r : new EvaluationReport(r.config, r.dataset, r.strategy, r.strategyParameters,
                r.repeats, r.seeds, r.testRows, r.gateTrainRows, r.labels, r.results, r.moeConfusion, r.moePerClass, r.routing,
                r.gateWeights, r.gateLossFirstRepeat, r.comparisons, r.notices, r.gate.withDenseWarmupEpochs(warmup), r.notes,
                r.testRowsFingerprints, r.unlabelledRows);
    }

    /**
     * The report of one or more repeats.
     *
     * @param config             names where the run came from (a config file, a saved mixture)
     * @param strategyParameters the strategy's parameters in words
     * @param baselinesRun       whether the baselines were run (a trained config), so that a missing one gets a note;
     *                           a saved mixture is scored with its experts and uniform only
     */
    public static EvaluationReport aggregate(String config, String strategy, String strategyParameters, List<RunResult> runs,
                                             boolean baselinesRun) {
        RunResult first = runs.get(0);
        Map<String, List<ClassificationMetrics>> byModel = new LinkedHashMap<>();
        List<Long> seeds = new ArrayList<>();
        for (RunResult run : runs) {
            seeds.add(run.seed());
            run.metrics().forEach((model, m) -> byModel.computeIfAbsent(model, k -> new ArrayList<>()).add(m));
        }
        List<ModelResult> results = new ArrayList<>();
        byModel.forEach((model, values) -> results.add(ModelResult.of(model, values)));

        List<ClassificationMetrics> moe = byModel.get(MOE);
        int c = first.labelNames().size();
        int[][] confusion = new int[c][c];
        for (ClassificationMetrics m : moe) {
            for (int t = 0; t < c; t++) {
                for (int p = 0; p < c; p++) {
                    confusion[t][p] += m.confusion()[t][p];
                }
            }
        }
        List<ClassSummary> perClass = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            perClass.add(classSummary(first.labelNames().get(t), t, moe));
        }

        Routing routing = averageRouting(runs, confusion);
        Map<String, List<Float>> weights = new LinkedHashMap<>();
        for (int k = 0; k < first.expertIds().size(); k++) {
            List<Float> column = new ArrayList<>();
            for (int r = 0; r < first.testWeights().rows(); r++) {
                column.add(first.testWeights().get(r, k));
            }
            weights.put(first.expertIds().get(k), column);
        }

        List<Double> loss = new ArrayList<>();
        for (double l : first.gateLoss()) {
            loss.add(l);
        }
        List<Comparison> comparisons = compare(results, first.expertIds());
        Gate gate = gate(runs);
        String chosenStrategy = mixtureName(gate, strategy);
        return new EvaluationReport(config, first.dataset(), strategy, strategyParameters,
                runs.size(), seeds, first.testRows(), first.gateRows(), first.labelNames(), results, confusion, perClass,
                routing, weights, loss, comparisons, notices(comparisons, runs.size(), chosenStrategy, first.testRows()), gate,
                baselinesRun ? BaselineNotes.of(repeatsPerModel(results), runs.size()) : List.of(),
                runs.stream().map(RunResult::testRowsFingerprint).toList());
    }

    private static Map<String, Integer> repeatsPerModel(List<ModelResult> results) {
        Map<String, Integer> repeats = new LinkedHashMap<>();
        results.forEach(r -> repeats.put(r.model(), r.perRepeat().size()));
        return repeats;
    }

    /** Every model but the mixture, against the mixture, repeat by repeat. */
    static List<Comparison> compare(List<ModelResult> results, List<String> expertIds) {
        ModelResult moe = results.stream().filter(r -> r.model().equals(MOE)).findFirst().orElseThrow();
        List<Comparison> out = new ArrayList<>();
        for (ModelResult other : results) {
            if (other == moe || other.perRepeat().size() != moe.perRepeat().size()) {
                continue;
            }
            List<Double> accuracy = new ArrayList<>();
            List<Double> logLoss = new ArrayList<>();
            for (int r = 0; r < moe.perRepeat().size(); r++) {
                accuracy.add(moe.perRepeat().get(r) - other.perRepeat().get(r));
                logLoss.add(moe.logLossPerRepeat().get(r) - other.logLossPerRepeat().get(r));
            }
            out.add(new Comparison(other.model(), expertIds.contains(other.model()) ? "expert" : "baseline",
                    levelAsZero(ModelResult.mean(accuracy)), standardError(accuracy), ModelResult.mean(logLoss), standardError(logLoss)));
        }
        return out;
    }

    /**
     * Two models right on the same number of rows in every repeat can differ by a rounding error in the mean of their
     * per-repeat differences (-2e-17, printed "-0.000" and read as a loss); any real difference is at least one row
     * in a repeat, far above 1e-9.
     */
    private static double levelAsZero(double accuracyDifference) {
        return Math.abs(accuracyDifference) < 1e-9 ? 0.0 : accuracyDifference;
    }

    /** This report with {@code first} put in front of the notices it has (this report itself when there are none). */
    public EvaluationReport withNoticesFirst(List<String> first) {
        if (first.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(first);
        all.addAll(notices);
        return new EvaluationReport(config, dataset, strategy, strategyParameters, repeats, seeds, testRows, gateTrainRows,
                labels, results, moeConfusion, moePerClass, routing, gateWeights, gateLossFirstRepeat, comparisons,
                List.copyOf(all), gate, notes, testRowsFingerprints, unlabelledRows);
    }

    /** This report of one repeat, scored on the rows {@code fingerprint} names ({@link TestRows}). */
    public EvaluationReport withTestRows(String fingerprint) {
        return new EvaluationReport(config, dataset, strategy, strategyParameters, repeats, seeds, testRows, gateTrainRows,
                labels, results, moeConfusion, moePerClass, routing, gateWeights, gateLossFirstRepeat, comparisons, notices,
                gate, notes, java.util.Collections.singletonList(fingerprint), unlabelledRows);
    }

    /**
     * The mixture as the notices name it: the combiners chosen among candidates, or, for a gate named by its routing
     * strategy (no candidates), that strategy, as the table's "strategy top-k" line names it, not the gate's inputs
     * ("features": a user who ran --strategy top-k read "the mixture (features)").
     */
    static String mixtureName(Gate gate, String strategy) {
        return gate.candidates().isEmpty() && strategy != null ? strategy : String.join(", ", new java.util.LinkedHashSet<>(gate.chosen()));
    }

    /**
     * One sentence per model the mixture lost to on mean accuracy: the best expert and every baseline, with the gap in
     * test predictions (the same rows for both, {@code testRows} a repeat), which says at once whether it is one row.
     */
    static List<String> notices(List<Comparison> comparisons, int repeats, String chosen, int testRows) {
        List<String> notices = new ArrayList<>();
        String bestExpert = comparisons.stream().filter(c -> c.kind().equals("expert"))
                .min(java.util.Comparator.comparingDouble(Comparison::accuracyDifference)).map(Comparison::model).orElse(null);
        for (Comparison c : comparisons) {
            boolean considered = c.kind().equals("baseline") || c.model().equals(bestExpert);
            if (considered && c.mixtureLess()) {
                // One repeat has no standard error: "± 0.000" would claim a certainty that was never measured.
                String error = repeats < 2 ? "" : String.format(java.util.Locale.ROOT, " ± %.3f", c.accuracyStandardError());
                long predictions = (long) testRows * repeats;
                long fewer = Math.round(-c.accuracyDifference() * predictions);
                notices.add(String.format(java.util.Locale.ROOT,
                        "the mixture (%s) is less accurate than %s%s: %+.3f%s (paired over %d repeat%s; %d of %d test predictions)",
                        chosen, c.kind().equals("expert") ? "its best expert, " : "", c.model(), c.accuracyDifference(),
                        error, repeats, repeats == 1 ? "" : "s", fewer, predictions));
            }
        }
        return notices;
    }

    private static double standardError(List<Double> values) {
        return values.size() < 2 ? 0 : ModelResult.std(values) / Math.sqrt(values.size());
    }

    private static Gate gate(List<RunResult> runs) {
        List<String> chosen = runs.stream().map(r -> r.gate().chosen()).toList();
        List<CandidateScore> candidates = new ArrayList<>();
        List<dev.moe.gating.training.GateSelection.Score> firstScores = runs.get(0).gate().candidates();
        for (int i = 0; i < firstScores.size(); i++) {
            int index = i;
            String name = firstScores.get(i).candidate();
            candidates.add(new CandidateScore(name,
                    ModelResult.mean(runs.stream().map(r -> r.gate().candidates().get(index).logLoss()).toList()),
                    ModelResult.mean(runs.stream().map(r -> r.gate().candidates().get(index).accuracy()).toList()),
                    (int) chosen.stream().filter(name::equals).count()));
        }
        Map<String, Double> temperatures = new LinkedHashMap<>();
        Map<String, Double> floors = new LinkedHashMap<>();
        List<String> ids = runs.get(0).expertIds();
        for (int k = 0; k < ids.size(); k++) {
            int expert = k;
            temperatures.put(ids.get(k), ModelResult.mean(runs.stream().map(r -> r.gate().temperatures().get(expert)).toList()));
            floors.put(ids.get(k), ModelResult.mean(runs.stream().map(r -> r.gate().floors().get(expert)).toList()));
        }
        // The product's exponents, as means over the repeats whose combiner was a product.
        List<RunResult> products = runs.stream().filter(r -> !r.gate().exponents().isEmpty()).toList();
        Map<String, Double> exponents = new LinkedHashMap<>();
        for (int k = 0; k < ids.size() && !products.isEmpty(); k++) {
            int expert = k;
            exponents.put(ids.get(k), ModelResult.mean(products.stream().map(r -> r.gate().exponents().get(expert)).toList()));
        }
        return new Gate(chosen, candidates, runs.stream().map(r -> r.gate().bestEpoch()).toList(),
                runs.stream().map(r -> r.gate().validationLoss()).toList(), temperatures, floors,
                runs.stream().map(r -> r.gate().candidates()).toList(), exponents, products.size(),
                runs.get(0).gate().floorMargin(), runs.stream().anyMatch(r -> r.gate().averagingFloor()), 0);
    }

    private static Routing averageRouting(List<RunResult> runs, int[][] moeConfusion) {
        List<RoutingDiagnostics> all = runs.stream().map(RunResult::routing).toList();
        List<ExpertRouting> experts = new ArrayList<>();
        List<String> ids = runs.get(0).expertIds();
        for (int k = 0; k < ids.size(); k++) {
            int e = k;
            List<RoutingDiagnostics.ExpertRouting> per = all.stream().map(d -> d.experts().get(e)).toList();
            List<Double> routedAccuracy = per.stream().map(RoutingDiagnostics.ExpertRouting::routedAccuracy)
                    .filter(java.util.Objects::nonNull).toList();
            experts.add(new ExpertRouting(ids.get(k),
                    ModelResult.mean(per.stream().map(RoutingDiagnostics.ExpertRouting::share).toList()),
                    ModelResult.mean(per.stream().map(RoutingDiagnostics.ExpertRouting::utilization).toList()),
                    ModelResult.mean(per.stream().map(RoutingDiagnostics.ExpertRouting::meanWeight).toList()),
                    (int) per.stream().filter(RoutingDiagnostics.ExpertRouting::dead).count(),
                    routedAccuracy.isEmpty() ? Double.NaN : ModelResult.mean(routedAccuracy)));
        }
        return new Routing(
                ModelResult.mean(all.stream().map(RoutingDiagnostics::fairShare).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::gateEntropy).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::loadCv).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::importanceCv).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::oracleAccuracy).toList()),
                ModelResult.mean(all.stream().map(d -> (double) d.deadExperts()).toList()),
                experts, dev.moe.runtime.evaluation.ClassRouting.of(all, runs.get(0).labelNames(), ids, moeConfusion));
    }

    public ModelResult result(String model) {
        return results.stream().filter(r -> r.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + model));
    }
}
