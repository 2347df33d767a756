package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.routing.ConstantRouting;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.TopKRouting;
import dev.moe.gating.routing.UniformRouting;
import dev.moe.gating.training.GateOptions;
import dev.moe.gating.training.GateSelection;
import java.util.List;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The gate's routing-loss, trainer and early-stopping keys: read from YAML, checked, mapped to {@link GateOptions}. */
class GateOptionsFactoryRoutingTest {

    private static final String HEAD = """
            data: { source: synthetic-seed }
            experts:
              - { id: e, provider: nd4j-mlp }
            """;

    private static MoeConfig parse(String gate) {
        return ConfigLoader.parse(HEAD + "gate:\n" + gate, Path.of("exp.yaml"));
    }

    private static String error(String gate) {
        return assertThrows(MoeException.class, () -> parse(gate)).getMessage();
    }

    @Test
    void everyKeyReachesTheOptions() {
        MoeConfig c = parse("""
                  hidden: []
                  load-balance-coefficient: 0.01
                  importance-coefficient: 0.1
                  load-coefficient: 0.2
                  z-loss-coefficient: 0.001
                  trainer: em
                  em-step-epochs: 5
                  validation-fraction: 0.2
                  patience: 30
                """);
        GateOptions o = GateOptionsFactory.from(c.gate(), 9, 1000);
        assertEquals(new GateOptions.AuxiliaryLosses(0.01, 0.1, 0.2, 0.001), o.auxiliaryLosses());
        assertEquals(GateOptions.Method.EM, o.method());
        assertEquals(5, o.emStepEpochs());
        assertEquals(new GateOptions.EarlyStopping(0.2, 30), o.earlyStopping());
    }

    @Test
    void defaultsAreARegularisedLinearGateOnCalibratedExpertsWithEarlyStoppingWhenRowsAllow() {
        GateOptions o = GateOptionsFactory.from(parse("  epochs: 200\n").gate(), 9, 1000);
        assertEquals(GateOptions.AuxiliaryLosses.NONE, o.auxiliaryLosses());
        assertEquals(GateOptions.Method.GRADIENT, o.method());
        assertEquals(java.util.List.of(), o.hidden());
        assertEquals(new GateOptions.EarlyStopping(MoeConfig.GateConfig.DEFAULT_VALIDATION_FRACTION, MoeConfig.GateConfig.DEFAULT_PATIENCE),
                o.earlyStopping());
        assertEquals(MoeConfig.GateConfig.DEFAULT_WEIGHT_DECAY, o.weightDecay());
        assertTrue(o.uniformStart());
        assertTrue(o.calibrate());
        assertEquals(GateInputs.FEATURES, o.inputs());
        // Too few gate rows to hold a fifth out: no early stopping unless asked for.
        assertEquals(GateOptions.EarlyStopping.NONE, GateOptionsFactory.from(parse("  epochs: 200\n").gate(), 9, 99).earlyStopping());
        // A validation fraction alone gets the default patience; 0 turns early stopping off.
        assertEquals(new GateOptions.EarlyStopping(0.1, MoeConfig.GateConfig.DEFAULT_PATIENCE),
                GateOptionsFactory.from(parse("  validation-fraction: 0.1\n").gate(), 9, 1000).earlyStopping());
        assertEquals(GateOptions.EarlyStopping.NONE,
                GateOptionsFactory.from(parse("  validation-fraction: 0\n").gate(), 9, 1000).earlyStopping());
        // Fine-tuning changes the experts: no calibration, no early stopping by default.
        GateOptions tuned = GateOptionsFactory.from(parse("  choose: gate\n  fine-tune-experts: true\n").gate(), 9, 1000);
        assertFalse(tuned.calibrate());
        assertEquals(GateOptions.EarlyStopping.NONE, tuned.earlyStopping());
    }

    @Test
    void newGateKeysReachTheOptions() {
        GateOptions o = GateOptionsFactory.from(parse("""
                  choose: gate
                  inputs: both
                  weight-decay: 0.05
                  uniform-start: false
                  calibrate: false
                """).gate(), 9, 1000);
        assertEquals(GateInputs.BOTH, o.inputs());
        assertEquals(0.05, o.weightDecay());
        assertFalse(o.uniformStart());
        assertFalse(o.calibrate());
    }

    @Test
    void autoChoosesAmongTheConfiguredCandidatesAndGateTrainsOne() {
        MoeConfig auto = parse("  candidates: [uniform, constant, signals, both]\n");
        GateOptions options = GateOptionsFactory.from(auto.gate(), 9, 1000);
        List<GateSelection.Candidate> candidates = GateOptionsFactory.candidates(auto, new TopKRouting(2, 1), options);
        assertEquals(List.of("uniform", "constant", "signals", "both"), candidates.stream().map(GateSelection.Candidate::name).toList());
        // Averaging is the uniform baseline exactly: nothing trained, nothing calibrated.
        assertEquals(0, candidates.get(0).options().epochs());
        assertFalse(candidates.get(0).options().calibrate());
        assertTrue(candidates.get(0).strategy() instanceof UniformRouting);
        assertTrue(candidates.get(1).strategy() instanceof ConstantRouting);
        assertEquals("top-k", candidates.get(2).strategy().name());
        assertEquals(GateInputs.SIGNALS, candidates.get(2).options().inputs());
        assertEquals(GateInputs.BOTH, candidates.get(3).options().inputs());

        // A -raw candidate is the same combiner on the experts' uncalibrated outputs.
        MoeConfig withRaw = parse("  candidates: [uniform, constant, signals, constant-raw, signals-raw]\n");
        List<GateSelection.Candidate> raw = GateOptionsFactory.candidates(withRaw, new SoftmaxDenseRouting(1),
                GateOptionsFactory.from(withRaw.gate(), 9, 1000));
        assertEquals(List.of("uniform", "constant", "signals", "constant-raw", "signals-raw"),
                raw.stream().map(GateSelection.Candidate::name).toList());
        assertEquals(List.of(false, true, true, false, false), raw.stream().map(d -> d.options().calibrate()).toList());
        assertTrue(raw.get(3).strategy() instanceof ConstantRouting);
        assertEquals(GateInputs.SIGNALS, raw.get(4).options().inputs());
        assertEquals("softmax-dense", raw.get(4).strategy().name());
        // With calibration off a -raw candidate is its plain twin: trained once; alone it stays.
        MoeConfig uncalibrated = parse("  calibrate: false\n  candidates: [uniform, constant, constant-raw, experts-raw]\n");
        assertEquals(List.of("uniform", "constant", "experts-raw"), GateOptionsFactory.candidates(uncalibrated, new SoftmaxDenseRouting(1),
                GateOptionsFactory.from(uncalibrated.gate(), 9, 1000)).stream().map(GateSelection.Candidate::name).toList());

        // The default: averaging and the experts' weighted product (calibrated; product-raw is its raw twin).
        MoeConfig defaults = parse("  calibrate: true\n");
        List<GateSelection.Candidate> byDefault = GateOptionsFactory.candidates(defaults, new SoftmaxDenseRouting(1),
                GateOptionsFactory.from(defaults.gate(), 9, 1000));
        assertEquals(List.of("uniform", "product"), byDefault.stream().map(GateSelection.Candidate::name).toList());
        assertTrue(byDefault.get(1).strategy() instanceof ProductRouting);
        assertTrue(byDefault.get(1).options().calibrate());
        // A gate section that describes a network adds that gate (by its inputs) to the defaults: not left unused.
        for (String[] section : new String[][] {{"  hidden: [16]\n", "features"}, {"  inputs: signals\n", "signals"},
                {"  dropout: 0.1\n", "features"}}) {
            MoeConfig described = parse(section[0]);
            assertEquals(List.of("uniform", "product", section[1]), GateOptionsFactory.candidates(described, new SoftmaxDenseRouting(1),
                    GateOptionsFactory.from(described.gate(), 9, 1000)).stream().map(GateSelection.Candidate::name).toList(), section[0]);
        }
        MoeConfig tuned = parse("  choose: gate\n  fine-tune-experts: true\n  calibrate: false\n");
        assertEquals("exp.yaml: gate.fine-tune-experts trains the experts with a gate, but the product strategy fits its exponents"
                + " to frozen experts' outputs: name another strategy, or turn fine-tuning off",
                assertThrows(MoeException.class, () -> GateOptionsFactory.candidates(tuned, new ProductRouting(),
                        GateOptionsFactory.from(tuned.gate(), 9, 1000))).getMessage());
        MoeConfig productRaw = parse("  candidates: [product, product-raw]\n");
        assertEquals(List.of(true, false), GateOptionsFactory.candidates(productRaw, new SoftmaxDenseRouting(1),
                GateOptionsFactory.from(productRaw.gate(), 9, 1000)).stream().map(d -> d.options().calibrate()).toList());
        // The product reads no signals whatever gate.inputs says; product-signals reads them, under the product.
        MoeConfig bySignals = parse("  inputs: signals\n  candidates: [product, product-signals]\n");
        List<GateSelection.Candidate> products = GateOptionsFactory.candidates(bySignals, new SoftmaxDenseRouting(1),
                GateOptionsFactory.from(bySignals.gate(), 9, 1000));
        assertEquals(List.of(GateInputs.FEATURES, GateInputs.SIGNALS), products.stream().map(d -> d.options().inputs()).toList());
        assertTrue(products.get(1).strategy() instanceof ProductRouting);
        assertEquals(GateInputs.FEATURES, GateOptionsFactory.candidates(bySignals, new ProductRouting(),
                GateOptionsFactory.from(bySignals.gate(), 9, 1000)).get(0).options().inputs());

        MoeConfig fixed = parse("  choose: gate\n  inputs: signals\n");
        List<GateSelection.Candidate> one = GateOptionsFactory.candidates(fixed, new SoftmaxDenseRouting(1),
                GateOptionsFactory.from(fixed.gate(), 9, 1000));
        assertEquals(1, one.size());
        assertEquals("signals", one.get(0).name());
        // A strategy that learns no per-row weights is the combiner itself.
        assertEquals(List.of("uniform"), GateOptionsFactory.candidates(auto, new UniformRouting(), options).stream()
                .map(GateSelection.Candidate::name).toList());
        assertEquals(MoeConfig.GateConfig.DEFAULT_CANDIDATES, parse("  epochs: 10\n").gate().candidatesOrDefault());
        // Naming a routing strategy, or fine-tuning, asks for one gate; listing candidates asks for a choice.
        assertEquals("auto", parse("  epochs: 10\n").gateChoice());
        assertEquals("gate", ConfigLoader.parse(HEAD + "routing: { strategy: top-k }\n", Path.of("exp.yaml")).gateChoice());
        assertEquals("gate", parse("  fine-tune-experts: true\n").gateChoice());
        assertEquals("auto", ConfigLoader.parse(HEAD + "gate: { candidates: [uniform, signals] }\nrouting: { strategy: top-k }\n",
                Path.of("exp.yaml")).gateChoice());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("exp.yaml: line 5: gate.load-balance-coefficient must not be negative, got -0.1", error("  load-balance-coefficient: -0.1\n"));
        assertEquals("exp.yaml: line 5: gate.z-loss-coefficient must not be negative, got -1.0", error("  z-loss-coefficient: -1.0\n"));
        assertEquals("exp.yaml: line 5: gate.trainer must be gradient or em, got 'adam'", error("  trainer: adam\n"));
        assertEquals("exp.yaml: line 5: gate.em-step-epochs applies to trainer: em only", error("  em-step-epochs: 3\n"));
        assertEquals("exp.yaml: line 5: gate.trainer: em trains the gate with frozen experts; it cannot be used with fine-tune-experts",
                error("  trainer: em\n  fine-tune-experts: true\n"));
        assertEquals("exp.yaml: line 5: gate.validation-fraction must be in [0, 1), got 1.0", error("  validation-fraction: 1.0\n"));
        assertEquals("exp.yaml: line 6: gate.patience needs gate.validation-fraction above 0 (the rows it watches)",
                error("  validation-fraction: 0\n  patience: 10\n"));
        assertEquals("exp.yaml: line 5: gate.choose must be auto or gate, got 'best'", error("  choose: best\n"));
        assertEquals("exp.yaml: line 5: gate.candidates: unknown candidate 'stacking'; known: uniform, constant, product, product-signals,"
                        + " features, signals, experts, both, constant-raw, product-raw, product-signals-raw, features-raw, signals-raw,"
                        + " experts-raw, both-raw",
                error("  candidates: [uniform, stacking]\n"));
        // Averaging reads the experts' own outputs already: there is no calibrated one to set it against.
        assertTrue(error("  candidates: [uniform-raw]\n").startsWith("exp.yaml: line 5: gate.candidates: unknown candidate 'uniform-raw'"));
        assertTrue(error("  candidates: [uniform, prodcut]\n").startsWith(
                "exp.yaml: line 5: gate.candidates: unknown candidate 'prodcut' (did you mean 'product'?); known: uniform,"));
        assertEquals("gate.activations: unknown activation 'rleu' (did you mean 'relu'?); known: relu, leaky-relu, identity",
                assertThrows(MoeException.class, () -> GateOptionsFactory.from(parse("  hidden: [4]\n  activations: [rleu]\n").gate(),
                        9, 1000)).getMessage());
        assertEquals("exp.yaml: line 5: gate.candidates: 'uniform' is listed twice", error("  candidates: [uniform, uniform]\n"));
        assertEquals("exp.yaml: line 6: gate.candidates are what choose: auto chooses among; with choose: gate set gate.inputs",
                error("  choose: gate\n  candidates: [uniform]\n"));
        assertEquals("exp.yaml: line 6: gate.inputs must be one of features, signals, experts, both, got 'logits'",
                error("  choose: gate\n  inputs: logits\n"));
        assertEquals("exp.yaml: line 6: gate.inputs is for choose: gate; choose: auto tries the inputs named in gate.candidates",
                error("  choose: auto\n  inputs: signals\n"));
        assertEquals("exp.yaml: line 6: gate.fine-tune-experts trains one gate together with its experts: add gate.choose: gate",
                error("  choose: auto\n  fine-tune-experts: true\n"));
        assertEquals("exp.yaml: line 7: gate.calibrate: fine-tuned experts change during training, so they cannot be calibrated beforehand",
                error("  choose: gate\n  fine-tune-experts: true\n  calibrate: true\n"));
        assertEquals("exp.yaml: line 5: gate.weight-decay must not be negative, got -1.0", error("  weight-decay: -1.0\n"));
        assertEquals("exp.yaml: line 5: gate.floor-margin must not be negative, got -1.0", error("  floor-margin: -1\n"));
        assertEquals("exp.yaml: line 6: gate.floor-margin is for choose: auto (how clearly averaging must win the choice);"
                + " choose: gate trains one gate and chooses nothing", error("  choose: gate\n  floor-margin: 1\n"));
        assertEquals(MoeConfig.GateConfig.DEFAULT_FLOOR_MARGIN, parse("  epochs: 10\n").gate().floorMarginOrDefault());
        assertEquals(0.5, parse("  floor-margin: 0.5\n").gate().floorMarginOrDefault());
        assertEquals("exp.yaml: line 6: gate.patience must be positive, got 0", error("  validation-fraction: 0.2\n  patience: 0\n"));
        assertEquals("exp.yaml: line 5: unknown key 'gate.load-balance-coeficient' (did you mean 'load-balance-coefficient'?)",
                error("  load-balance-coeficient: 0.01\n"));
    }
}
