package dev.moe.runtime.scoring;

import dev.moe.api.ExpertProvenance;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.runtime.bundle.BundleFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loaded experts whose model was trained on the very file a run tests on, by the SHA-256 their provenance records
 * ({@link ExpertProvenance#TRAINING_DATA_SHA256}; Tribuo models keep it when trained from a file). Such an expert has
 * seen the test rows: its figures are optimistic, and so are the mixture's and the baselines' that use it. Nothing
 * can find this after the fact but the model's own record, so moe says it rather than let the report flatter it.
 */
public final class InSampleExperts {

    private InSampleExperts() {
    }

    /**
     * One sentence per expert trained on {@code data} (all of it or a split of it); none when no expert records a
     * training file, so that only then is the file read (once) for its hash.
     *
     * @param data the file the run's rows come from; null (rows not from a file) says nothing
     */
    public static List<String> notices(List<AlignedExpert> experts, Path data) {
        return notices(experts, data, () -> BundleFormat.fileSha256(data));
    }

    /** As {@link #notices(List, Path)}, the file's SHA-256 from {@code sha256} (shared with another check of it). */
    static List<String> notices(List<AlignedExpert> experts, Path data, java.util.function.Supplier<String> sha256Of) {
        List<AlignedExpert> recorded = experts.stream()
                .filter(e -> e.expert().provenance().containsKey(ExpertProvenance.TRAINING_DATA_SHA256)).toList();
        if (recorded.isEmpty() || data == null || !Files.isRegularFile(data)) {
            return List.of();
        }
        String sha256;
        try {
            sha256 = sha256Of.get();
        } catch (RuntimeException e) {
            return List.of(); // a check that cannot read the file says nothing; the run itself has read it
        }
        List<String> notices = new ArrayList<>();
        for (AlignedExpert e : recorded) {
            Map<String, String> p = e.expert().provenance();
            if (!Arrays.asList(p.get(ExpertProvenance.TRAINING_DATA_SHA256).split(",")).contains(sha256)) {
                continue;
            }
            String part = p.get(ExpertProvenance.TRAINING_DATA_PART);
            notices.add("expert '" + e.id() + "' was trained on " + (part == null ? data.getFileName() + " itself"
                    : "the " + part + " of " + data.getFileName())
                    + " (its model's provenance records the file's SHA-256): " + (part == null ? "every test row was" : "many test rows were")
                    + " among its training rows, so its figures, and the mixture's and baselines' with it, are"
                    + " optimistic; give moe its trainer instead (cross-fitted here) or a model trained on other rows");
        }
        return notices;
    }
}
