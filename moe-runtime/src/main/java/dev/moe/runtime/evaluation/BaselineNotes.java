package dev.moe.runtime.evaluation;

import dev.moe.api.BaselineProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** A sentence for each baseline row that a report leaves out, saying why: no row disappears without a word. */
public final class BaselineNotes {

    private BaselineNotes() {
    }

    /**
     * The baselines found through {@link BaselineProvider} (e.g. {@code tribuo-ensemble}) that did not apply in every
     * repeat, each with the provider's own requirement.
     *
     * @param models  the models reported, each with the repeats it has figures for
     * @param repeats the repeats run
     */
    public static List<String> of(Map<String, Integer> models, int repeats) {
        List<String> notes = new ArrayList<>();
        for (BaselineProvider provider : ServiceLoader.load(BaselineProvider.class, BaselineNotes.class.getClassLoader())) {
            Integer shown = models.get(provider.name());
            if (shown == null) {
                notes.add(provider.name() + " is not shown: it " + provider.requirement() + "; these experts do not meet that");
            } else if (shown < repeats) {
                notes.add(provider.name() + " is left out of " + (repeats - shown) + " of " + repeats + " repeats, where"
                        + " it did not apply (it " + provider.requirement() + "), so it has no paired difference");
            }
        }
        return notes;
    }
}
