package dev.moe.runtime.experiment;

import dev.moe.gating.nn.Permutations;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The rows each trainable expert sees: the experts' pool filtered by label set and sampled by fraction,
 * then, when the split asks for it, cut to the smallest subset's size so that no specialist gets more data.
 */
public final class ExpertSubsets {

    private ExpertSubsets() {
    }

    public static List<int[]> select(Dataset data, int[] pool, List<MoeConfig.ExpertConfig> experts, boolean balance, long seed) {
        List<int[]> subsets = new ArrayList<>();
        for (int e = 0; e < experts.size(); e++) {
            MoeConfig.ExpertConfig expert = experts.get(e);
            int[] rows = pool;
            List<String> labels = expert.subset().labels();
            if (labels != null) {
                Set<Integer> wanted = new HashSet<>();
                for (String label : labels) {
                    int index = data.labelNames().indexOf(label);
                    if (index < 0) {
                        throw new MoeException("experts[" + expert.id() + "].subset.labels: no label '" + label
                                + "' in the data (labels: " + String.join(", ", data.labelNames()) + ")");
                    }
                    wanted.add(index);
                }
                rows = Arrays.stream(rows).filter(r -> wanted.contains(data.labels()[r])).toArray();
            }
            Double fraction = expert.subset().fraction();
            if (fraction != null && fraction < 1) {
                int[] order = Permutations.shuffled(rows.length, new SplittableRandom(seed + 7919L * (e + 1)));
                int keep = Math.max(1, (int) Math.round(rows.length * fraction));
                int[] sampled = new int[keep];
                for (int i = 0; i < keep; i++) {
                    sampled[i] = rows[order[i]];
                }
                Arrays.sort(sampled);
                rows = sampled;
            }
            subsets.add(rows);
        }
        if (balance) {
            int smallest = subsets.stream().mapToInt(s -> s.length).min().orElse(0);
            subsets.replaceAll(s -> Arrays.copyOf(s, smallest));
        }
        return subsets;
    }
}
