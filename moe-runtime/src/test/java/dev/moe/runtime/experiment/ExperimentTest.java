package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.moe.runtime.MoeModule;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.report.EvaluationReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExperimentTest {

    static final String SMALL_SEED = """
            seed: 7
            data: { source: synthetic-seed, rows: 3000 }
            split: { experts: 0.5, gate: 0.3, test: 0.2, balance-experts: true }
            experts:
              - { id: expert1, provider: nd4j-mlp, subset: { labels: ["0", "1"] }, params: { hidden: 16, epochs: 150, learning-rate: 0.01 } }
              - { id: expert2, provider: nd4j-mlp, subset: { labels: ["1", "2"] }, params: { hidden: 16, epochs: 150, learning-rate: 0.01 } }
              - { id: expert3, provider: nd4j-mlp, subset: { labels: ["0", "2"] }, params: { hidden: 16, epochs: 150, learning-rate: 0.01 } }
            gate: { hidden: [], epochs: 300, learning-rate: 0.05 }
            """;

    private static EvaluationReport run(String yaml) {
        MoeConfig config = ConfigLoader.parse(yaml, Path.of("small.yaml"));
        return Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()))
                .getInstance(Experiment.class).run(ProgressListener.SILENT);
    }

    @Test
    void theMixtureBeatsEverySpecialistOnTheSeedProblem() {
        EvaluationReport report = run(SMALL_SEED);
        assertEquals(600, report.testRows());
        assertEquals(900, report.gateTrainRows());
        double moe = report.result("moe").accuracy();
        for (String expert : new String[] {"expert1", "expert2", "expert3"}) {
            double acc = report.result(expert).accuracy();
            // Each specialist never saw one class: at most about 2/3 of the rows can be right.
            assertTrue(acc < 0.6, expert + " " + acc);
            assertTrue(moe > acc + 0.05, "moe " + moe + " vs " + expert + " " + acc);
        }
        assertTrue(moe > 0.6, "moe " + moe);
    }

    @Test
    void sameSeedSameFiguresAndRepeatsAggregate() {
        String yaml = SMALL_SEED.replace("epochs: 150", "epochs: 20").replace("epochs: 300", "epochs: 30") + "repeat: 2\n";
        EvaluationReport a = run(yaml);
        EvaluationReport b = run(yaml);
        assertEquals(a.results(), b.results());
        assertEquals(2, a.result("moe").perRepeat().size());
        assertEquals(java.util.List.of(7L, 8L), a.seeds());
    }
}
