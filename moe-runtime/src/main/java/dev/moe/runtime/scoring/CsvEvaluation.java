package dev.moe.runtime.scoring;

import dev.moe.api.ExpertException;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.evaluation.EvaluationReport;
import java.nio.file.Path;
import java.util.Map;

/**
 * A saved mixture on a labelled CSV file: every expert alone, their average and the mixture, counted a block of rows
 * at a time ({@link EvaluationCounts}). The label column is the one the mixture was trained with; a label that no expert of the mixture
 * predicts is refused with its line, since no weighting of the experts could ever get it right.
 *
 * <p>This thread reads and parses; blocks are scored on every core ({@link ParallelBlocks}) and their counts merged
 * in file order.
 */
public final class CsvEvaluation {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvEvaluation.class);

    /**
     * @param data   the CSV's file name
     * @param counts what was counted on its rows
     */
    public record Result(String data, EvaluationCounts counts, dev.moe.runtime.data.Unlabelled unlabelled) {

        public Result(String data, EvaluationCounts counts) {
            this(data, counts, null);
        }

        public long rows() {
            return counts.rows();
        }

        /** By model: each expert's id in the mixture's order, then {@code uniform} and {@code moe}. */
        public Map<String, Double> accuracy() {
            return counts.accuracies();
        }

        /** The report {@code moe evaluate} writes, for these rows. */
        public EvaluationReport report(SavedMixture mixture) {
            return SavedMixtureReport.of(mixture, data, counts).withUnlabelledRows(unlabelled == null ? 0 : unlabelled.rows());
        }
    }

    private CsvEvaluation() {
    }

    public static Result evaluate(SavedMixture mixture, Path input) {
        return evaluate(mixture, input, CsvPredictions.BATCH_ROWS);
    }

    public static Result evaluate(SavedMixture mixture, Path input, int batchRows) {
        MixtureModel model = mixture.model();
        RowValues values = new RowValues(model.labelNames(), mixture.labelColumn(), mixture.labelsKnownToExperts());
        EvaluationCounts[] counts = {EvaluationCounts.of(model)};
        dev.moe.runtime.data.Unlabelled unlabelled;
        // The rows the training data left out for their label (data.unlabelled, saved with the mixture) are left out here too.
        try (CsvSource.Rows reader = CsvSource.Rows.open(input).leavingOut(mixture.unlabelled());
             ParallelBlocks<EvaluationCounts> scoring = new ParallelBlocks<>(part -> counts[0] = counts[0].plus(part))) {
            int labelColumn = InputColumns.label(input.toString(), reader.header(), mixture.labelColumn());
            EncodedInput columns = new EncodedInput(mixture.encoding(), input.toString(), reader.header());
            for (CsvSource.Block block = columns.next(reader, batchRows, labelColumn); block != null;
                 block = columns.next(reader, batchRows, labelColumn)) {
                int[] labels = new int[block.rows()];
                for (int r = 0; r < labels.length; r++) {
                    labels[r] = values.label(block.labels().get(r), input + ": line " + block.lines()[r] + ", ");
                }
                CsvSource.Block scored = block;
                scoring.submit(() -> {
                    EvaluationCounts part = EvaluationCounts.of(model);
                    try {
                        part.add(model, scored.features(), labels);
                    } catch (ExpertException e) {
                        throw new MoeException(input + ": " + CsvPredictions.linesOf(scored) + ": " + e.getMessage(), e);
                    }
                    return part;
                });
            }
            scoring.finish();
            columns.report(input);
            unlabelled = reader.unlabelled();
        }
        if (unlabelled != null) {
            LOG.warn("{}", unlabelled.warning(input.toString()));
        }
        if (counts[0].rows() == 0) {
            throw new MoeException(input + ": no data rows after the header"
                    + (unlabelled == null ? "" : " but the " + unlabelled.rows() + " without a label (data.unlabelled)"));
        }
        return new Result(input.getFileName().toString(), counts[0], unlabelled);
    }
}
