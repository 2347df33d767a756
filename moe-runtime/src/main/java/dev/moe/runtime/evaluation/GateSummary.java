package dev.moe.runtime.evaluation;

import dev.moe.gating.training.GateSelection;
import java.util.List;

/**
 * How the combiner came about in one repeat.
 *
 * @param chosen         the candidate used ({@code uniform}, {@code constant}, a gate by its inputs)
 * @param candidates     every candidate's cross-validated log-loss and accuracy on the gate's rows; empty when
 *                       nothing was chosen
 * @param bestEpoch      the epochs the final gate trained (with early stopping, the epoch it went back to)
 * @param validationLoss the early-stopping rows' log-loss at that epoch; NaN without early stopping
 * @param temperatures   each expert's calibration temperature (1 when not calibrated)
 * @param floors         each expert's calibration floor (0 when not calibrated)
 * @param exponents      each expert's exponent when the combiner is the experts' weighted product; else empty
 * @param floorMargin    the choice's rule: how many standard errors averaging's log-loss had to be below the best
 *                       learned candidate's (0: the plain minimum; irrelevant when nothing was chosen)
 * @param averagingFloor whether that margin applied: the rule {@link GateSelection} ran (false: the plain minimum
 *                       chose, or nothing was chosen)
 */
public record GateSummary(String chosen, List<GateSelection.Score> candidates, int bestEpoch, double validationLoss,
                          List<Double> temperatures, List<Double> floors, List<Double> exponents, double floorMargin,
                          boolean averagingFloor) { }
