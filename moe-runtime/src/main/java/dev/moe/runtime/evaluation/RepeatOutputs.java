package dev.moe.runtime.evaluation;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.training.GateSelection;
import java.util.List;

/**
 * One repeat's rows as the combiner and the test saw them, for trying another combiner on the very same rows
 * ({@code moe evaluate --outputs FILE}).
 *
 * @param combiner         the combiner chosen (or trained) in this repeat
 * @param candidates       the candidates the choice cross-validated, in order; empty when nothing was chosen
 * @param gateFeatures     the combiner's training rows (the gate's rows), their features as the experts read them
 * @param gateLabels       their labels (indices into {@code labelNames})
 * @param gateExperts      per expert, its probabilities on those rows: out of fold under cross-fitting
 * @param choice           the choice's folds and out-of-fold losses on those rows; null when nothing was chosen
 * @param testFeatures     the test rows' features
 * @param testLabels       their labels
 * @param testExperts      per expert, its probabilities on the test rows
 * @param testMixture      the mixture's probabilities on the test rows
 */
public record RepeatOutputs(long seed, List<String> featureNames, List<String> labelNames, List<String> expertIds,
                            String combiner, List<String> candidates,
                            FloatMatrix gateFeatures, int[] gateLabels, List<FloatMatrix> gateExperts,
                            GateSelection.Evidence choice,
                            FloatMatrix testFeatures, int[] testLabels, List<FloatMatrix> testExperts,
                            FloatMatrix testMixture) { }
