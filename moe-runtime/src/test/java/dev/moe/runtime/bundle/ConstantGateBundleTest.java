package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.FeatureScaler;
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

    private Path write(GateNetwork gate, String name) {
        SaveRequest base = BundleFixtures.seedMixture().request();
        MixtureModel model = new MixtureModel(gate, new ProductRouting(), base.model().experts(), base.model().labelNames());
        Path file = dir.resolve(name);
        new BundleWriter(BundleFixtures.REGISTRY).write(new SaveRequest(model, base.featureNames(), Map.of(), base.experts(),
                base.labelColumn(), base.provenance(), base.configText()), file);
        return file;
    }
}
