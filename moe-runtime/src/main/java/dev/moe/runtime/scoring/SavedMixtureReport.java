package dev.moe.runtime.scoring;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.ExpertCalibration;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.evaluation.ClassificationMetrics;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.evaluation.GateSummary;
import dev.moe.runtime.evaluation.RunResult;
import dev.moe.runtime.evaluation.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved mixture's counts on labelled rows as the report {@code moe evaluate} writes for a trained config (console
 * table, JSON, HTML), one "repeat" on the given rows. What a saved mixture cannot tell (how its gate was chosen and
 * trained, the weight of every row) is left empty, and the renderers leave those parts out.
 */
public final class SavedMixtureReport {

    private SavedMixtureReport() {
    }

    /**
     * @param data   names the labelled rows (a file name)
     * @param counts what was counted on them
     */
    public static EvaluationReport of(SavedMixture mixture, String data, EvaluationCounts counts) {
        MixtureModel model = mixture.model();
        Map<String, ClassificationMetrics> metrics = new LinkedHashMap<>();
        for (String m : counts.models()) {
            metrics.put(m, counts.metrics(m));
        }
        List<String> expertIds = counts.models().subList(0, model.experts().size());
        BundleManifest.Strategy strategy = mixture.manifest().strategy();
        // A product whose exponents follow the experts' signals is a gate on them under the product strategy.
        String combiner = model.exponentsFollowSignals() ? dev.moe.gating.training.SignalPool.NAME : strategy.name();
        GateSummary gate = new GateSummary(combiner, List.of(), 0, Double.NaN,
                model.calibrations().stream().map(ExpertCalibration::temperature).toList(),
                model.calibrations().stream().map(ExpertCalibration::floor).toList(), model.productExponents(), 0, false);
        Long seed = mixture.manifest().provenance() == null ? null : mixture.manifest().provenance().seed();
        RunResult run = new RunResult(seed == null ? 0 : seed, data, counts.labelNames(), Math.toIntExact(counts.rows()), 0,
                metrics, new double[0], FloatMatrix.zeros(0, expertIds.size()), expertIds, counts.routing(), gate, null);
        return EvaluationReport.aggregate("saved mixture " + mixture.file().getFileName(), strategy.name(),
                strategy.description() == null ? "" : strategy.description(), List.of(run), false);
    }

    /**
     * The report, with a notice in front when {@code data} is the very file the mixture was trained on (its bytes have
     * the SHA-256 the saved mixture records): most of its rows trained the experts and the combiner, so every figure
     * on it is optimistic, the more so for an expert that memorises (kNN, a deep tree). The file is read again only when
     * it could be that one: the recorded name, or the recorded number of rows (a renamed copy), so that evaluating
     * other data costs nothing more. Likewise a notice for each loaded expert whose own model was trained on
     * {@code data} ({@link InSampleExperts}), and for each loaded expert that lacks labels of the mixture
     * ({@link AbsentLabels}). With {@code recordRows} (for a JSON report) it also records {@code data}'s SHA-256 as the
     * rows it was scored on ({@link TestRows}), so that another mixture's report on the same file can be compared with
     * it ({@code moe compare}); the file is then read once more, once in all whichever check needs its hash too. A file
     * that cannot be read now leaves it unrecorded.
     */
    public static EvaluationReport withTrainingFileNotice(EvaluationReport report, SavedMixture mixture, Path data,
                                                          boolean recordRows) {
        // Every check that needs the file's hash shares it: it is read once at most.
        String[] hash = new String[1];
        java.util.function.Supplier<String> sha256 = () -> hash[0] != null ? hash[0] : (hash[0] = BundleFormat.fileSha256(data));
        List<String> notices = new java.util.ArrayList<>(InSampleExperts.notices(mixture.model().experts(), data, sha256));
        notices.addAll(AbsentLabels.notices(absentLabels(mixture), report));
        EvaluationReport noticed = withMixtureTrainingFile(report.withNoticesFirst(notices), mixture, data, sha256);
        if (!recordRows || !Files.isRegularFile(data)) {
            return noticed;
        }
        try {
            return noticed.withTestRows(TestRows.ofFile(sha256.get()));
        } catch (RuntimeException e) {
            return noticed;
        }
    }

    /**
     * The saved mixture's loaded experts that lack labels it knows ({@link AbsentLabels}): a loaded expert is one its
     * config gave a {@code model} file (the bundle does not record the config's {@code train} key; a {@code model} is
     * what makes an expert loaded by default).
     */
    static java.util.Map<String, List<String>> absentLabels(SavedMixture mixture) {
        List<BundleManifest.ExpertEntry> entries = mixture.manifest().experts();
        return AbsentLabels.of(mixture.model().experts(),
                k -> k < entries.size() && entries.get(k).params() != null && entries.get(k).params().containsKey("model"),
                mixture.model().labelNames());
    }

    private static EvaluationReport withMixtureTrainingFile(EvaluationReport report, SavedMixture mixture, Path data,
                                                            java.util.function.Supplier<String> sha256) {
        BundleManifest.Provenance p = mixture.manifest().provenance();
        if (p == null || p.dataFileSha256() == null || !Files.isRegularFile(data)) {
            return report;
        }
        boolean sameName = data.getFileName().toString().equals(p.data());
        boolean sameRows = p.dataRows() != null && p.dataRows() == report.testRows();
        try {
            if (!sameName && !sameRows || !sha256.get().equals(p.dataFileSha256())) {
                return report;
            }
        } catch (RuntimeException e) {
            return report; // a check that cannot read the file says nothing; the evaluation itself has read it
        }
        String trained = p.dataRows() == null || p.testRows() == null ? "most of its rows"
                : (p.dataRows() - p.testRows()) + " of its rows (all but the " + p.testRows() + " test rows of seed " + p.seed() + ")";
        return report.withNoticesFirst(List.of(data.getFileName() + " is the file this mixture was trained on (the SHA-256 it records): "
                + trained + " trained the experts and the combiner, so these figures are optimistic; evaluate on rows it has not seen"));
    }
}
