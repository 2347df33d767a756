package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.ExpertProvider;
import dev.moe.api.FloatMatrix;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin's experts in a mixture built or loaded in Java, saved from Java. */
class MixturePluginTest {

    private static final IrisData IRIS = new IrisData();

    @TempDir
    Path dir;

    /**
     * A plugin whose provider knows its experts by their class, as a plugin author writes {@code canSave}: the expert
     * is a class of the plugin's jar, defined by the plugin's class loader.
     */
    private static final String PROVIDER = """
            package prior;
            import dev.moe.api.*;
            import java.io.*;
            import java.util.*;
            public final class PriorProvider implements ExpertProvider {
                public String name() { return "prior"; }
                public boolean canTrain() { return true; }
                public boolean canLoad() { return false; }
                public boolean canSave(Expert expert) { return expert instanceof Prior; }
                public Expert train(ExpertSpec spec, TrainingSet data) {
                    float[] p = new float[data.labelNames().size()];
                    for (int label : data.labels()) p[label] += 1f / data.rows();
                    return new Prior(spec.id(), data.featureNames(), data.labelNames(), p);
                }
                public void save(Expert expert, OutputStream out) throws IOException {
                    Prior prior = (Prior) expert;
                    DataOutputStream d = new DataOutputStream(out);
                    d.writeUTF(String.join("\\t", prior.featureNames()));
                    d.writeUTF(String.join("\\t", prior.labelNames()));
                    for (float v : prior.p) d.writeFloat(v);
                    d.flush();
                }
                public Expert read(ExpertSpec spec, InputStream in) throws IOException {
                    DataInputStream d = new DataInputStream(in);
                    List<String> features = List.of(d.readUTF().split("\\t"));
                    List<String> labels = List.of(d.readUTF().split("\\t"));
                    float[] p = new float[labels.size()];
                    for (int i = 0; i < p.length; i++) p[i] = d.readFloat();
                    return new Prior(spec.id(), features, labels, p);
                }
                static final class Prior extends AbstractExpert {
                    final float[] p;
                    Prior(String id, List<String> features, List<String> labels, float[] p) {
                        super(new ExpertSignature(id, features, labels, ExpertProvenance.trained("prior", Map.of())));
                        this.p = p;
                    }
                    public FloatMatrix predict(FloatMatrix x) {
                        float[] out = new float[x.rows() * p.length];
                        for (int r = 0; r < x.rows(); r++) System.arraycopy(p, 0, out, r * p.length, p.length);
                        return new FloatMatrix(x.rows(), p.length, out);
                    }
                }
            }
            """;

    @Test
    void aPluginsTrainedExpertIsSavedAndSavedAgainAfterLoading() throws Exception {
        // Mixture.save and a loaded mixture's save found the plugins folder's providers again, in new class loaders: the
        // provider's `expert instanceof Prior` was false for its own expert, and save said "cannot save ...: expert 'prior'
        // was trained by provider 'prior', which cannot save its experts (it does not implement canSave/save/read)".
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginJar(plugins.resolve("prior-1.0.jar"));
        Mixture mixture = Mixture.builder().plugins(plugins).expert("prior", "prior", Map.of())
                .expert("logistic", "tribuo", Map.of("algorithm", "logistic-regression")).crossFitFolds(2)
                .candidates("uniform").train(IRIS.train);
        Path saved = dir.resolve("m.moe");
        mixture.save(saved);

        Mixture loaded = Mixture.load(saved, plugins);
        Path again = dir.resolve("again.moe");
        loaded.save(again, false);
        FloatMatrix rows = MixtureTest.rows(IRIS.test, mixture.featureNames());
        assertEquals(mixture.predict(rows).probabilities(), Mixture.load(again, plugins).predict(rows).probabilities());
    }

    private Path pluginJar(Path jar) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/prior"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(src.resolve("PriorProvider.java"), PROVIDER);
        String api = Path.of(ExpertProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", api, "-d", classes.toString(),
                "--release", "17", src.resolve("PriorProvider.java").toString()));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            List<Path> all = new ArrayList<>(files.filter(Files::isRegularFile).sorted().toList());
            for (Path file : all) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.moe.api.ExpertProvider"));
            write(out, "prior.PriorProvider\n");
            out.closeEntry();
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws java.io.IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
