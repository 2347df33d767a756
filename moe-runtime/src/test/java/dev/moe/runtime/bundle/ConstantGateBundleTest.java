package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.runtime.data.SyntheticSeedSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A row-independent gate kept as its logits is saved as the one-layer network with input weights 0 that main's
 * bundles hold, byte for byte, and such a bundle is read back as logits (no ND4J), predicting the same floats.
 */
class ConstantGateBundleTest {

    @TempDir
    Path dir;

    @Test
    void aConstantGateIsSavedAsTheZeroWeightNetworkAndReadBackAsLogits() throws Exception {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        FeatureScaler scaler = trained.model().gate().scaler();
        float[] logits = {ProductRouting.logitOf(0.7), ProductRouting.logitOf(0), ProductRouting.logitOf(1.9)};
        int columns = scaler.columns();
        float[] parameters = new float[(columns + 1) * 3];
        System.arraycopy(logits, 0, parameters, columns * 3, 3);
        GateNetwork network = new GateNetwork(scaler, Mlp.fromParameters(new int[] {columns, 3}, List.of(), 0, parameters, DataType.FLOAT));
        assertFalse(network.isConstant());

        Path fromNetwork = write(network, "network.moe");
        Path fromLogits = write(GateNetwork.constant(scaler, logits), "logits.moe");
        try (ZipFile a = new ZipFile(fromNetwork.toFile()); ZipFile b = new ZipFile(fromLogits.toFile())) {
            for (String entry : List.of(BundleFormat.GATE_MEANS, BundleFormat.GATE_SCALES, BundleFormat.GATE_PARAMETERS)) {
                assertArrayEquals(a.getInputStream(a.getEntry(entry)).readAllBytes(), b.getInputStream(b.getEntry(entry)).readAllBytes(),
                        entry);
            }
        }

        MixtureModel read = new BundleReader(BundleFixtures.REGISTRY).read(fromNetwork).model();
        assertTrue(read.gate().isConstant(), "a zero-weight gate is read as its logits");
        MixtureModel inMemory = new MixtureModel(network, new ProductRouting(), trained.model().experts(), trained.model().labelNames());
        FloatMatrix rows = SyntheticSeedSource.generate(300, 8).features();
        MixtureModel.Prediction expected = inMemory.predict(rows);
        MixtureModel.Prediction actual = read.predict(rows);
        assertArrayEquals(expected.probabilities().values(), actual.probabilities().values());
        assertArrayEquals(expected.weights().values(), actual.weights().values());
    }

    @Test
    void aProductWhoseExponentsFollowTheSignalsIsReadBackAsAGateOnThemAndPredictsTheSame() {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        int e = trained.model().experts().size();
        int m = GateInputs.SIGNALS_PER_EXPERT;
        float[] means = new float[e * m];
        float[] scales = new float[e * m];
        float[] parameters = new float[e * m * e + e];
        for (int k = 0; k < e; k++) {
            for (int i = 0; i < m; i++) {
                means[k * m + i] = 0.5f;
                scales[k * m + i] = 0.2f;
                parameters[(k * m + i) * e + k] = 0.3f * (i + 1) - 0.2f * k;
            }
            parameters[e * m * e + k] = ProductRouting.logitOf(0.4 + 0.3 * k);
        }
        GateNetwork gate = new GateNetwork(new FeatureScaler(means, scales),
                Mlp.fromParameters(new int[] {e * m, e}, List.of(), 0, parameters, DataType.FLOAT), GateInputs.SIGNALS);
        MixtureModel read = new BundleReader(BundleFixtures.REGISTRY).read(write(gate, "signals.moe")).model();
        assertEquals(GateInputs.SIGNALS, read.gate().inputs());
        MixtureModel inMemory = new MixtureModel(gate, new ProductRouting(), trained.model().experts(), trained.model().labelNames());
        FloatMatrix rows = SyntheticSeedSource.generate(300, 8).features();
        MixtureModel.Prediction expected = inMemory.predict(rows);
        MixtureModel.Prediction actual = read.predict(rows);
        assertArrayEquals(expected.probabilities().values(), actual.probabilities().values());
        // The exponents differ from row to row: their shares are not the same on every row.
        float[] w = actual.weights().values();
        assertTrue(java.util.stream.IntStream.range(1, rows.rows()).anyMatch(r -> Math.abs(w[r * e] - w[0]) > 1e-3));
    }

    private Path write(GateNetwork gate, String name) {
        SaveRequest base = BundleFixtures.seedMixture().request();
        MixtureModel model = new MixtureModel(gate, new ProductRouting(), base.model().experts(), base.model().labelNames());
        Path file = dir.resolve(name);
        new BundleWriter(BundleFixtures.REGISTRY).write(new SaveRequest(model, base.featureNames(), Map.of(), base.experts(),
                base.labelColumn(), base.provenance(), base.configText()), file);
        return file;
    }
}
