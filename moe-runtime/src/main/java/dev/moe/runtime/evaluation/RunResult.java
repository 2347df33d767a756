package dev.moe.runtime.evaluation;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import java.util.List;
import java.util.Map;

/**
 * One repeat's figures: what an experiment (or the evaluation of a saved mixture) hands to
 * {@link EvaluationReport#aggregate}.
 *
 * @param metrics     by model: each expert's id, the baselines, then {@link EvaluationReport#MOE}
 * @param testWeights the gate's weights on the test rows (rows x experts); no rows where they were not kept
 * @param routing     how the gate routed the test rows
 * @param gate        how the combiner was chosen and trained
 * @param testRowsFingerprint which rows were scored ({@link TestRows}); null where it is not known
 */
public record RunResult(long seed, String dataset, List<String> labelNames, int testRows, int gateRows,
                        Map<String, ClassificationMetrics> metrics, double[] gateLoss, FloatMatrix testWeights,
                        List<String> expertIds, RoutingDiagnostics routing, GateSummary gate,
                        String testRowsFingerprint) { }
