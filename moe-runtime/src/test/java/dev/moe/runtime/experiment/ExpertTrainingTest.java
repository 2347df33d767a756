package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-fitting's bookkeeping, with an expert that remembers which rows (by their id column) it trained on. */
class ExpertTrainingTest {

    static final AtomicInteger TRAININGS = new AtomicInteger();
    static final AtomicInteger LOADS = new AtomicInteger();
    static final AtomicInteger CLOSES = new AtomicInteger();

    /** Says "seen" (probability 1) for a row whose id it trained on, "unseen" otherwise. */
    public static final class Memorising implements ExpertProvider {
        @Override
        public String name() {
            return "memorising";
        }

        @Override
        public boolean canTrain() {
            return true;
        }

        @Override
        public Expert load(ExpertSpec spec) {
            LOADS.incrementAndGet();
            return new Memory(spec.id(), Set.of());
        }

        @Override
        public Expert train(ExpertSpec spec, TrainingSet data) {
            TRAININGS.incrementAndGet();
            Set<Float> ids = new HashSet<>();
            int id = data.featureNames().indexOf("id");
            for (int r = 0; r < data.rows(); r++) {
                ids.add(data.features().get(r, id));
            }
            return new Memory(spec.id(), ids);
        }
    }

    record Memory(String id, Set<Float> seen) implements Expert {
        @Override
        public List<String> featureNames() {
            return List.of("id");
        }

        @Override
        public List<String> labelNames() {
            return List.of("seen", "unseen");
        }

        @Override
        public Map<String, String> provenance() {
            return Map.of();
        }

        @Override
        public void close() {
            CLOSES.incrementAndGet();
        }

        @Override
        public FloatMatrix predict(FloatMatrix rows) {
            FloatMatrix p = FloatMatrix.zeros(rows.rows(), 2);
            for (int r = 0; r < rows.rows(); r++) {
                p.set(r, seen.contains(rows.get(r, 0)) ? 0 : 1, 1f);
            }
            return p;
        }
    }

    @TempDir
    Path dir;

    private MoeConfig config(String split) throws Exception {
        StringBuilder csv = new StringBuilder("id,x,label\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i).append(',').append(i % 7).append(',').append(i % 3 == 0 ? "seen" : "unseen").append('\n');
        }
        Files.writeString(dir.resolve("rows.csv"), csv);
        return ConfigLoader.parse("""
                data: { source: csv, path: rows.csv }
                split: %s
                experts:
                  - { id: fitted, provider: memorising }
                  - { id: pretrained, provider: memorising, train: false }
                """.formatted(split), dir.resolve("c.yaml"));
    }

    private ExpertFactory factory() throws Exception {
        Path services = Files.createDirectories(dir.resolve("plugin/META-INF/services"));
        Files.writeString(services.resolve(ExpertProvider.class.getName()), Memorising.class.getName() + "\n");
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("plugin").toUri().toURL()}, getClass().getClassLoader());
        return new ExpertFactory(ProviderRegistry.discover(loader, null));
    }

    @Test
    void everyTrainingRowIsScoredByAnExpertThatNeverSawItAndTheFinalExpertSeesThemAll() throws Exception {
        MoeConfig config = config("{ test: 0.2, cross-fit: 4 }");
        Dataset data = CsvSource.read(dir.resolve("rows.csv"), "label");
        SplitPlan plan = SplitPlan.plan(data.rows(), config.split(), 5);
        assertArrayEquals(plan.expertPool(), plan.gateRows());
        assertEquals(80, plan.gateRows().length);
        TRAININGS.set(0);
        LOADS.set(0);
        CLOSES.set(0);
        ExpertTraining.Result result = new ExpertTraining(factory(), config).crossFitted(data, plan, 4, 5, ProgressListener.SILENT, "");
        assertEquals(4 + 1, TRAININGS.get(), "four folds and the final fit");
        assertEquals(1, LOADS.get(), "a pretrained expert is loaded once and used as it is");
        assertEquals(4, CLOSES.get(), "each fold's fit is closed once its out-of-fold outputs are in; the final ones stay open");

        int seen = data.labelNames().indexOf("seen");
        FloatMatrix outOfFold = result.gateData().expertProbabilities().get(0);
        assertEquals(80, outOfFold.rows());
        for (int r = 0; r < outOfFold.rows(); r++) {
            assertEquals(0f, outOfFold.get(r, seen), "training row " + plan.gateRows()[r] + " was scored by an expert that trained on it");
        }
        FloatMatrix finalOnTraining = result.experts().get(0).predict(data.features().selectRows(plan.gateRows()));
        FloatMatrix finalOnTest = result.experts().get(0).predict(data.features().selectRows(plan.testRows()));
        for (int r = 0; r < finalOnTraining.rows(); r++) {
            assertEquals(1f, finalOnTraining.get(r, seen), "the final expert trains on every training row");
        }
        for (int r = 0; r < finalOnTest.rows(); r++) {
            assertEquals(0f, finalOnTest.get(r, seen), "no expert trains on a test row");
        }
        assertArrayEquals(data.features().selectRows(plan.gateRows()).values(), result.gateData().features().values());
    }

    @Test
    void aThreeWaySplitScoresTheGateRowsWithExpertsTrainedOnThePoolOnly() throws Exception {
        MoeConfig config = config("{ experts: 0.5, gate: 0.3, test: 0.2 }");
        Dataset data = CsvSource.read(dir.resolve("rows.csv"), "label");
        SplitPlan plan = SplitPlan.plan(data.rows(), config.split(), 5);
        TRAININGS.set(0);
        ExpertTraining.Result result = new ExpertTraining(factory(), config).threeWay(data, plan, 5, ProgressListener.SILENT, "");
        assertEquals(1, TRAININGS.get());
        assertEquals(30, result.gateData().rows());
        int seen = data.labelNames().indexOf("seen");
        FloatMatrix gate = result.gateData().expertProbabilities().get(0);
        for (int r = 0; r < gate.rows(); r++) {
            assertEquals(0f, gate.get(r, seen));
        }
        assertTrue(result.experts().get(0).predict(data.features().selectRows(plan.expertPool())).get(0, seen) == 1f);
    }
}
