package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.gating.training.GateOptions;
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
        GateOptions o = GateOptionsFactory.from(c.gate(), 9);
        assertEquals(new GateOptions.AuxiliaryLosses(0.01, 0.1, 0.2, 0.001), o.auxiliaryLosses());
        assertEquals(GateOptions.Method.EM, o.method());
        assertEquals(5, o.emStepEpochs());
        assertEquals(new GateOptions.EarlyStopping(0.2, 30), o.earlyStopping());
    }

    @Test
    void defaultsAreGradientTrainingWithoutAuxiliaryLossesOrEarlyStopping() {
        GateOptions o = GateOptionsFactory.from(parse("  hidden: []\n").gate(), 9);
        assertEquals(GateOptions.AuxiliaryLosses.NONE, o.auxiliaryLosses());
        assertEquals(GateOptions.Method.GRADIENT, o.method());
        assertEquals(GateOptions.EarlyStopping.NONE, o.earlyStopping());
        // A validation fraction alone gets the default patience.
        assertEquals(new GateOptions.EarlyStopping(0.1, MoeConfig.GateConfig.DEFAULT_PATIENCE),
                GateOptionsFactory.from(parse("  validation-fraction: 0.1\n").gate(), 9).earlyStopping());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("exp.yaml: gate.load-balance-coefficient must not be negative, got -0.1", error("  load-balance-coefficient: -0.1\n"));
        assertEquals("exp.yaml: gate.z-loss-coefficient must not be negative, got -1.0", error("  z-loss-coefficient: -1.0\n"));
        assertEquals("exp.yaml: gate.trainer must be gradient or em, got 'adam'", error("  trainer: adam\n"));
        assertEquals("exp.yaml: gate.em-step-epochs applies to trainer: em only", error("  em-step-epochs: 3\n"));
        assertEquals("exp.yaml: gate.trainer: em trains the gate with frozen experts; it cannot be used with fine-tune-experts",
                error("  trainer: em\n  fine-tune-experts: true\n"));
        assertEquals("exp.yaml: gate.validation-fraction must be in [0, 1), got 1.0", error("  validation-fraction: 1.0\n"));
        assertEquals("exp.yaml: gate.patience needs gate.validation-fraction above 0 (the rows it watches)", error("  patience: 10\n"));
        assertEquals("exp.yaml: gate.patience must be positive, got 0", error("  validation-fraction: 0.2\n  patience: 0\n"));
        assertEquals("exp.yaml: line 5: unknown key 'gate.load-balance-coeficient' (did you mean 'load-balance-coefficient'?)",
                error("  load-balance-coeficient: 0.01\n"));
    }
}
