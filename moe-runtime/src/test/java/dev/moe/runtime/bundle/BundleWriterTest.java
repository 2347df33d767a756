package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {

    @TempDir
    Path dir;

    @AfterEach
    void loadsWorkAgain() {
        TestProviders.Pretrained.FAIL_LOADS.set(false);
    }

    /** A config that trains an expert whose provider never saves is refused before anything is trained. */
    @Test
    void trainingAnExpertItsProviderNeverSavesIsRefusedBeforeTraining() throws Exception {
        BundleWriter writer = new BundleWriter(TestProviders.registry(dir.resolve("plugin")));
        Path target = dir.resolve("m.moe");
        MoeException e = assertThrows(MoeException.class, () -> writer.refuseNeverSaved(
                List.of(new MoeConfig.ExpertConfig("pre", "pretrained-linear", true, null, Map.of())), target));
        assertEquals("cannot save " + target + ": expert 'pre' would be trained by provider 'pretrained-linear', which cannot save"
                + " its experts (it does not implement canSave/save/read), and a trained expert cannot be loaded again from its"
                + " parameters; nothing was trained", e.getMessage());
        // Loaded (its provider's default: it cannot train), it is saved by reference; a provider with canSave is asked
        // after training; an unknown provider is the registry's to report.
        writer.refuseNeverSaved(List.of(new MoeConfig.ExpertConfig("pre", "pretrained-linear", null, null, Map.of()),
                new MoeConfig.ExpertConfig("f", "fails-mid-save", true, null, Map.of()),
                new MoeConfig.ExpertConfig("x", "nobody", true, null, Map.of())), target);
        assertFalse(Files.exists(target));
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailureBetweenWritingAndRenamingLeavesThePreviousBundleIntact() throws Exception {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        Path target = dir.resolve("model.moe");
        new BundleWriter(BundleFixtures.REGISTRY).write(trained.request(), target);
        byte[] before = Files.readAllBytes(target);

        BundleWriter crashing = new BundleWriter(BundleFixtures.REGISTRY, (complete, to) -> {
            // Everything is written: the complete new bundle sits in the temporary file, the old one at the target.
            assert Files.size(complete) > 1000;
            throw new IOException("simulated crash before the rename");
        });
        MoeException e = assertThrows(MoeException.class, () -> crashing.write(trained.request("top-k", Map.of("k", 1)), target));
        assertEquals("cannot write model bundle " + target + ": simulated crash before the rename", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("model.moe"), filesIn(dir));
        assertEquals("softmax-dense", new BundleReader(BundleFixtures.REGISTRY).read(target).model().strategy().name());
    }

    @Test
    void aProviderFailingMidWriteLeavesThePreviousBundleIntactAndNoTemporaryFile() throws Exception {
        ProviderRegistry registry = TestProviders.registry(Files.createDirectories(dir.resolve("plugin")));
        Path out = Files.createDirectories(dir.resolve("out"));
        Path target = out.resolve("model.moe");
        Files.writeString(target, "the previous bundle");
        MixtureModel model = TestProviders.mixture(List.of(new TestProviders.LinearExpert("good", 1f),
                new TestProviders.LinearExpert("doomed", 2f)), 3);
        SaveRequest request = TestProviders.request(model, List.of(
                new SaveRequest.ExpertSource("pretrained-linear", Map.of(), dir, false),
                new SaveRequest.ExpertSource("fails-mid-save", Map.of(), dir, true)));
        MoeException e = assertThrows(MoeException.class, () -> new BundleWriter(registry).write(request, target));
        assertEquals("cannot save " + target + ": expert 'doomed': provider 'fails-mid-save' failed to save it: "
                + "java.lang.IllegalStateException: disk on fire", e.getMessage());
        assertEquals("the previous bundle", Files.readString(target));
        assertEquals(List.of("model.moe"), filesIn(out));
    }

    @Test
    void aTrainedExpertItsProviderCannotSaveIsRefusedBeforeAnythingIsWritten() throws Exception {
        ProviderRegistry registry = TestProviders.registry(dir.resolve("plugin"));
        MixtureModel model = TestProviders.mixture(List.of(new TestProviders.LinearExpert("fitted", 1f)), 3);
        SaveRequest request = TestProviders.request(model,
                List.of(new SaveRequest.ExpertSource("pretrained-linear", Map.of(), dir, true)));
        Path target = dir.resolve("never.moe");
        MoeException e = assertThrows(MoeException.class, () -> new BundleWriter(registry).write(request, target));
        assertEquals("cannot save " + target + ": expert 'fitted' was trained by provider 'pretrained-linear', which cannot save "
                + "its experts (it does not implement canSave/save/read), and a trained expert cannot be loaded again from its "
                + "parameters", e.getMessage());
        assertFalse(Files.exists(target));

        // One that implements canSave, and said false: that it "does not implement canSave" sent a plugin's author looking
        // for a method they had written (the Java library's save asked a second load of the plugin, which did not know the
        // expert's class).
        SaveRequest picky = TestProviders.request(model, List.of(new SaveRequest.ExpertSource("picky", Map.of(), dir, true)));
        e = assertThrows(MoeException.class, () -> new BundleWriter(registry).write(picky, target));
        assertEquals("cannot save " + target + ": expert 'fitted' was trained by provider 'picky', whose canSave returned false"
                + " for it (" + TestProviders.LinearExpert.class.getName() + "), and a trained expert cannot be loaded again from"
                + " its parameters", e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aLoadedExpertItsProviderCannotSaveIsSavedByReferenceAndLoadedAgain() throws Exception {
        ProviderRegistry registry = TestProviders.registry(dir.resolve("plugin"));
        MixtureModel model = TestProviders.mixture(List.of(new TestProviders.LinearExpert("linear", 1.5f),
                new TestProviders.LinearExpert("steep", 4f)), 9);
        SaveRequest request = TestProviders.request(model, List.of(
                new SaveRequest.ExpertSource("pretrained-linear", Map.of("scale", 1.5), dir, false),
                new SaveRequest.ExpertSource("pretrained-linear", Map.of("scale", 4.0), dir, false)));
        Path target = dir.resolve("ref.moe");
        BundleManifest m = new BundleWriter(registry).write(request, target);
        BundleManifest.ExpertEntry e = m.experts().get(1);
        assertEquals("reference", e.storage());
        assertNull(e.entry());
        assertEquals(Map.of("scale", 4.0), e.params());
        assertEquals(dir.toString(), e.baseDirectory());
        assertEquals(List.of("feature1", "feature0"), e.featureNames());
        assertEquals(List.of("gate/means.f32", "gate/scales.f32", "gate/parameters.f32"), List.copyOf(m.entries().keySet()));

        SavedMixture loaded = new BundleReader(registry).read(target);
        FloatMatrix rows = SyntheticSeedSource.generate(300, 4).features();
        assertArrayEquals(model.predict(rows).probabilities().values(), loaded.model().predict(rows).probabilities().values());

        // Without the provider the bundle cannot be loaded, and says what it needs: it came from the class path.
        MoeException missing = assertThrows(MoeException.class, () -> new BundleReader(BundleFixtures.REGISTRY).read(target));
        assertEquals(target + ": needs expert provider 'pretrained-linear' (from classpath (test-classes/)), not installed here "
                + "(known expert providers: " + String.join(", ", BundleFixtures.REGISTRY.expertProviders().keySet())
                + "; what was on moe's class path when the mixture was saved loads from the class path only: put its jar and the"
                + " jars it needs on it again (a Spark job: in --jars, from moe-spark/target/submit-lib))", missing.getMessage());

        // A plugin whose code throws while the bundle loads is named, with what it threw.
        TestProviders.Pretrained.FAIL_LOADS.set(true);
        MoeException thrown = assertThrows(MoeException.class, () -> new BundleReader(registry).read(target));
        assertEquals(target + ": expert 'linear': provider 'pretrained-linear' (from classpath (test-classes/)) failed while "
                + "loading it: java.lang.IllegalStateException: boom while loading", thrown.getMessage());
    }

    @Test
    void aReferencedExpertWhoseFeaturesChangedIsRefused() throws Exception {
        ProviderRegistry registry = TestProviders.registry(dir.resolve("plugin"));
        MixtureModel model = TestProviders.mixture(List.of(new TestProviders.LinearExpert("linear", 1f)), 9);
        Path target = dir.resolve("ref.moe");
        new BundleWriter(registry).write(TestProviders.request(model,
                List.of(new SaveRequest.ExpertSource("pretrained-linear", Map.of(), dir, false))), target);
        Path edited = dir.resolve("edited.moe");
        BundleReaderTest.rewriteWithManifest(target, edited, (name, b) -> b, manifest -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                manifest.get("experts").get(0)).putArray("featureNames").add("feature1").add("feature0").add("feature3"));
        MoeException e = assertThrows(MoeException.class, () -> new BundleReader(registry).read(edited));
        assertEquals(edited + ": expert 'linear' now reads 2 features [feature1, feature0], but was saved reading 3 "
                + "[feature1, feature0, feature3]; its provider 'pretrained-linear' has changed", e.getMessage());
    }

    @Test
    void expertsOfAnUnknownProviderCannotBeSaved() {
        MixtureModel model = TestProviders.mixture(List.<Expert>of(new TestProviders.LinearExpert("x", 1f)), 1);
        SaveRequest request = TestProviders.request(model, List.of(new SaveRequest.ExpertSource("nobody", Map.of(), dir, false)));
        MoeException e = assertThrows(MoeException.class,
                () -> new BundleWriter(BundleFixtures.REGISTRY).write(request, dir.resolve("x.moe")));
        assertEquals(true, e.getMessage().startsWith("unknown expert provider 'nobody'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.moe")));
    }
}
