package dev.moe.runtime.evaluation;

import dev.moe.experts.tribuo.TribuoExpertProvider;
import dev.moe.runtime.config.MoeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A sentence for each baseline row that a report leaves out, saying why: no row disappears without a word. */
public final class BaselineNotes {

    private BaselineNotes() {
    }

    /**
     * @param models  the models reported, each with the repeats it has figures for
     * @param repeats the repeats run
     */
    public static List<String> of(MoeConfig config, Map<String, Integer> models, int repeats) {
        List<String> notes = new ArrayList<>();
        // Tribuo's ensemble is built from the experts of the built-in tribuo provider (TribuoExpert) only.
        long tribuoExperts = config.experts().stream().filter(e -> TribuoExpertProvider.NAME.equals(e.provider())).count();
        Integer ensemble = models.get(Baselines.TRIBUO_ENSEMBLE);
        if (tribuoExperts < 2) {
            notes.add(Baselines.TRIBUO_ENSEMBLE + " is not shown: Tribuo's soft vote needs at least two experts of the tribuo"
                    + " provider, and " + (tribuoExperts == 0 ? "none is" : "only one is"));
        } else if (ensemble == null) {
            notes.add(Baselines.TRIBUO_ENSEMBLE + " is left out: Tribuo refused the " + tribuoExperts + " tribuo experts as one"
                    + " ensemble (it takes only models trained on the same features and labels)");
        } else if (ensemble < repeats) {
            notes.add(Baselines.TRIBUO_ENSEMBLE + " is left out of " + (repeats - ensemble) + " of "
                    + repeats + " repeats, where Tribuo refused the experts as one ensemble (their features or labels"
                    + " differed), so it has no paired difference");
        }
        return notes;
    }
}
