package dev.moe.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Suggestions for a mistyped name (a config key, an expert provider, a routing strategy, a parameter's value):
 * "did you mean ...?". In the API so that providers' own messages suggest the way moe's do.
 */
public final class NearestName {

    private NearestName() {
    }

    /**
     * The known name nearest to {@code name} by edit distance, when it is close enough to be a typo (at most 2 edits,
     * or a third of the name's length).
     *
     * @param name  what was written
     * @param known the names that exist, in the order ties go
     * @return the nearest known name, or null when none is that close
     */
    public static String closest(String name, Collection<?> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        Set<String> seen = new HashSet<>();
        List<String> candidates = new ArrayList<>();
        for (Object k : known) {
            if (seen.add(String.valueOf(k))) {
                candidates.add(String.valueOf(k));
            }
        }
        for (String candidate : candidates) {
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The suggestion to append to a message.
     *
     * @param name  what was written
     * @param known the names that exist
     * @return {@code " (did you mean 'x'?)"} for the nearest known name, or {@code ""} when none is close
     */
    public static String didYouMean(String name, Collection<?> known) {
        String nearest = closest(name, known);
        return nearest == null ? "" : " (did you mean '" + nearest + "'?)";
    }
}
