package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.evaluation.ModelResult;
import java.nio.file.Path;
import java.util.List;
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
            gate: { choose: gate, hidden: [], epochs: 300, learning-rate: 0.05 }
            """;

    private static EvaluationReport run(String yaml) {
        MoeConfig config = ConfigLoader.parse(yaml, Path.of("small.yaml"));
        Experiment experiment = Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()))
                .getInstance(Experiment.class);
        return EvaluationReport.aggregate(config, experiment.strategy(), experiment.run(ProgressListener.SILENT));
    }

    @Test
    void theProgressNamesEachExpertWhileItPredictsTheTestRows() {
        // The line said "evaluating" for as long as a slow plugin expert took, without its name.
        MoeConfig config = ConfigLoader.parse(SMALL_SEED.replace("rows: 3000", "rows: 300").replace("epochs: 150", "epochs: 5")
                .replace("epochs: 300", "epochs: 5"), Path.of("small.yaml"));
        Experiment experiment = Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()))
                .getInstance(Experiment.class);
        java.util.List<String> steps = new java.util.ArrayList<>();
        experiment.run(new ProgressListener() {
            @Override
            public void step(String description) {
                steps.add(description);
            }
        });
        int evaluating = steps.indexOf("evaluating");
        assertEquals(java.util.List.of("evaluating", "evaluating expert expert1", "evaluating expert expert2",
                "evaluating expert expert3", "evaluating the mixture and baselines"), steps.subList(evaluating, steps.size()));
    }

    @Test
    void aSplitTooSmallForTheDataNamesTheKeyOnce() {
        String yaml = SMALL_SEED.replace("rows: 3000", "rows: 3");
        MoeException e = assertThrows(MoeException.class, () -> run(yaml));
        assertTrue(e.getMessage().startsWith("small.yaml: split: leaves "), e.getMessage());
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
    void fineTuningTheExpertsWithTheGateLowersTheTrainingLoss() {
        String tuned = SMALL_SEED.replace("gate: { choose: gate, hidden: [], epochs: 300, learning-rate: 0.05 }",
                "gate: { choose: gate, hidden: [], epochs: 300, learning-rate: 0.05, fine-tune-experts: true, expert-learning-rate: 0.01 }");
        Experiment.TrainedRun frozen = experiment(SMALL_SEED).train(7, "", ProgressListener.SILENT);
        Experiment.TrainedRun joint = experiment(tuned).train(7, "", ProgressListener.SILENT);
        // The experts are tuned side by side on the cores: the same seed still gives the same numbers, bit for bit.
        assertArrayEquals(joint.gateLoss(), experiment(tuned).train(7, "", ProgressListener.SILENT).gateLoss());
        double frozenLoss = frozen.gateLoss()[frozen.gateLoss().length - 1];
        double jointLoss = joint.gateLoss()[joint.gateLoss().length - 1];
        // Experts that may learn the third class on the gate rows fit them better than frozen specialists can.
        assertTrue(jointLoss < frozenLoss - 0.02, "frozen " + frozenLoss + ", fine-tuned " + jointLoss);
        assertEquals("true", joint.model().experts().get(0).expert().provenance().get("fine-tuned"));
        assertEquals(null, frozen.model().experts().get(0).expert().provenance().get("fine-tuned"));
    }

    private static Experiment experiment(String yaml) {
        MoeConfig config = ConfigLoader.parse(yaml, Path.of("small.yaml"));
        return Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath())).getInstance(Experiment.class);
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

    /** The report with its gate's recorded choice rule replaced. */
    private static EvaluationReport withGateFloor(EvaluationReport r, boolean averagingFloor) {
        EvaluationReport.Gate g = r.gate();
        EvaluationReport.Gate gate = new EvaluationReport.Gate(g.chosen(), g.candidates(), g.bestEpoch(), g.validationLoss(),
                g.temperatures(), g.floors(), g.candidatesPerRepeat(), g.productExponents(), g.productRepeats(), g.floorMargin(),
                averagingFloor, g.denseWarmupEpochs());
        return new EvaluationReport(r.config(), r.dataset(), r.strategy(), r.strategyParameters(), r.repeats(), r.seeds(),
                r.testRows(), r.gateTrainRows(), r.labels(), r.results(), r.moeConfusion(), r.moePerClass(), r.routing(),
                r.gateWeights(), r.gateLossFirstRepeat(), r.comparisons(), r.notices(), gate, r.notes(), r.testRowsFingerprints());
    }

    @Test
    void theReportNamesTheRoutingOnlyForACombinerThatRoutes() {
        String yaml = SMALL_SEED.replace("epochs: 150", "epochs: 20")
                .replace("gate: { choose: gate, hidden: [], epochs: 300, learning-rate: 0.05 }", "gate: { candidates: [constant, signals] }");
        String table = dev.moe.runtime.report.ReportWriter.table(run(yaml));
        assertTrue(table.matches("(?s).*\\ncombiner (constant|signals) \\(routing softmax-dense for gates\\)\\R.*"), table);
        // Without averaging among the candidates there is no floor: the plain minimum chose.
        assertTrue(table.replaceAll("\\s+", " ").contains("(log-loss, accuracy; the lowest log-loss, ties to the earlier candidate):"), table);
        // With it, the choice's rule as configured (gate.floor-margin) reaches the report.
        EvaluationReport withFloor = run(yaml.replace("candidates: [constant, signals] }", "candidates: [uniform, constant] }"));
        assertTrue(withFloor.gate().averagingFloor());
        String floor = dev.moe.runtime.report.ReportWriter.table(withFloor);
        assertTrue(floor.replaceAll("\\s+", " ").contains("averaging only where its log-loss is lower by more than 2 standard errors"), floor);
        // The reports say the rule the choice recorded, not one guessed again from the candidates' names.
        EvaluationReport recordedPlain = withGateFloor(withFloor, false);
        assertTrue(dev.moe.runtime.report.ReportWriter.table(recordedPlain).replaceAll("\\s+", " ")
                .contains("(log-loss, accuracy; the lowest log-loss, ties to the earlier candidate):"));
        assertTrue(dev.moe.runtime.report.HtmlReport.render(recordedPlain, "")
                .contains("The lowest log-loss (ties to the earlier candidate) was trained on all of them."));
        EvaluationReport marginZero = run(yaml.replace("candidates: [constant, signals] }",
                "candidates: [uniform, constant], floor-margin: 0 }"));
        assertFalse(marginZero.gate().averagingFloor());
        String plainMinimum = dev.moe.runtime.report.ReportWriter.table(marginZero);
        assertTrue(plainMinimum.replaceAll("\\s+", " ").contains("(log-loss, accuracy; the lowest log-loss, ties to the earlier candidate):"),
                plainMinimum);
    }

    @Test
    void aProductsExponentsReachTheReport() {
        String yaml = SMALL_SEED.replace("epochs: 150", "epochs: 20")
                .replace("gate: { choose: gate, hidden: [], epochs: 300, learning-rate: 0.05 }", "gate: { candidates: [product] }")
                + "repeat: 2\n";
        Experiment.TrainedRun run = experiment(yaml).train(7, "", ProgressListener.SILENT);
        java.util.List<Double> exponents = run.model().productExponents();
        assertEquals(3, exponents.size());
        assertEquals(exponents, run.gate().exponents());
        EvaluationReport report = run(yaml);
        assertEquals(2, report.gate().productRepeats());
        assertEquals(java.util.List.of("expert1", "expert2", "expert3"), java.util.List.copyOf(report.gate().productExponents().keySet()));
        String table = dev.moe.runtime.report.ReportWriter.table(report);
        assertTrue(table.contains("product exponents (mean over 2 repeats): expert1 "));
        // The product weighs the experts without the routing strategy, so the report names the product, not a routing.
        assertTrue(table.contains("combiner product 2/2\n") || table.contains("combiner product 2/2\r\n"), table);
        // For a terminal of 60 columns the sentences are wrapped at 60 (the rows of the table itself are as they are), the
        // same words.
        String narrow = dev.moe.runtime.report.ReportWriter.table(report, 60);
        java.util.Set<String> models = new java.util.HashSet<>(report.results().stream().map(r -> r.model()).toList());
        models.add("model");
        for (String line : narrow.lines().skip(1).toList()) {
            assertTrue(models.contains(line.split(" ")[0]) || line.length() <= 60, "wider than 60 columns: " + line);
        }
        assertEquals(table.replaceAll("\\s+", " "), narrow.replaceAll("\\s+", " "));
        // Any other combiner has none.
        assertEquals(java.util.List.of(), experiment(SMALL_SEED.replace("epochs: 150", "epochs: 20")).train(7, "", ProgressListener.SILENT)
                .gate().exponents());
    }

    /**
     * On a terminal too narrow for a row of the results, the figures and the paired differences come as two tables
     * (50 columns here), and narrower still each model as a sentence (40): every line fits, no figure is parted from its
     * standard error or its name, nothing is lost; at 100 columns the table is as it was.
     */
    @Test
    void theResultsReadOnANarrowTerminal() {
        String yaml = SMALL_SEED.replace("epochs: 150", "epochs: 20") + "repeat: 2\n";
        EvaluationReport report = run(yaml);
        String wide = dev.moe.runtime.report.ReportWriter.table(report);
        assertEquals(wide, dev.moe.runtime.report.ReportWriter.table(report, 100));
        assertTrue(wide.lines().anyMatch(l -> l.startsWith("expert1 ") && l.matches(".* [+-]\\d\\.\\d{3} ± \\d\\.\\d{3}")), wide);
        String[] figures = report.results().stream().map(r -> String.format(java.util.Locale.ROOT, "%s %.3f ± %.3f",
                r.model(), r.accuracy(), r.std())).toArray(String[]::new);

        String two = dev.moe.runtime.report.ReportWriter.table(report, 50);
        assertTrue(two.lines().allMatch(l -> l.length() <= 50), two);
        List<String> lines = two.lines().toList();
        assertTrue(lines.contains("model     moe - model"), two);
        for (EvaluationReport.Comparison c : report.comparisons()) {
            assertTrue(two.contains(String.format(java.util.Locale.ROOT, "%-10s%+.3f ± %.3f", c.model(), c.accuracyDifference(),
                    c.accuracyStandardError())), c.model() + "\n" + two);
        }
        for (String figure : figures) {
            assertTrue(two.replaceAll(" +", " ").contains(figure), figure + "\n" + two);
        }

        String sentences = dev.moe.runtime.report.ReportWriter.table(report, 40);
        assertTrue(sentences.lines().allMatch(l -> l.length() <= 40 && !l.endsWith("±") && !l.strip().startsWith("±")), sentences);
        String joined = sentences.replaceAll("\\s+", " ");
        for (ModelResult r : report.results()) {
            assertTrue(joined.contains(String.format(java.util.Locale.ROOT, "%s: accuracy %.3f ± %.3f, macro-F1 %.3f, log-loss %.3f",
                    r.model(), r.accuracy(), r.std(), r.macroF1(), r.logLoss())), r.model() + "\n" + sentences);
        }
        // A name and its figure are never parted: no line ends with a model's name or a figure's label.
        for (String line : sentences.lines().toList()) {
            assertTrue(!line.matches(".*(accuracy|macro-F1|log-loss|moe - model|expert\\d)"), line + "\n" + sentences);
        }
    }
}
