package dev.moe.runtime.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    @TempDir
    Path dir;

    @Test
    void aProviderWithoutANameIsRefusedNamingItsClassAndJar() throws Exception {
        // null was a bare "expert provider failed while loading: java.lang.NullPointerException"; a blank name was
        // registered, one no config could name.
        for (String name : new String[] {"null", "\" \""}) {
            Path folder = Files.createDirectories(dir.resolve("plugins-" + name.length()));
            Path built = TestJars.jar(Files.createDirectories(dir.resolve("build-" + name.length())).resolve("nameless-1.0.jar"), Map.of("nameless.Nameless", """
                    package nameless;
                    public final class Nameless implements dev.moe.api.ExpertProvider {
                        public String name() { return %s; }
                    }
                    """.formatted(name)), Map.of("META-INF/services/dev.moe.api.ExpertProvider", "nameless.Nameless\n"), List.of());
            Path jar = Files.copy(built, folder.resolve(built.getFileName())); // the folder holds the plugin alone
            MoeException e = assertThrows(MoeException.class,
                    () -> ProviderRegistry.discover(ProviderRegistryTest.class.getClassLoader(), folder));
            assertEquals(jar + ": expert provider nameless.Nameless has no name (its name() returned "
                    + (name.equals("null") ? "null" : "' '") + ") (every plugin in the folder is loaded before the config is"
                    + " read: its provider names are unknown until then; move it out of the folder to run without it)", e.getMessage());
        }
    }

    @Test
    void aProviderWhoseParametersAreNullIsRefusedNamingItAndItsJar() throws Exception {
        // Was "internal error: java.lang.NullPointerException: ... because \"parameters\" is null" from moe experts, and
        // from the config's check: exit 1, no plugin named.
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        Path built = TestJars.jar(Files.createDirectories(dir.resolve("build")).resolve("careless-1.0.jar"), Map.of("careless.Careless", """
                package careless;
                public final class Careless implements dev.moe.api.ExpertProvider {
                    public String name() { return "careless"; }
                    public java.util.List<dev.moe.api.ParameterSpec> parameters() { return null; }
                }
                """), Map.of("META-INF/services/dev.moe.api.ExpertProvider", "careless.Careless\n"), List.of());
        Path jar = Files.copy(built, folder.resolve(built.getFileName()));
        MoeException e = assertThrows(MoeException.class,
                () -> ProviderRegistry.discover(ProviderRegistryTest.class.getClassLoader(), folder));
        assertEquals(jar + ": expert provider 'careless' (careless.Careless) declares its parameters as null; parameters() must"
                + " list them (List.of() for none) (every plugin in the folder is loaded before the config is read: its provider"
                + " names are unknown until then; move it out of the folder to run without it)", e.getMessage());
    }

    private static final String EVERY_PLUGIN = " (every plugin in the folder is loaded before the config is read: its provider"
            + " names are unknown until then; move it out of the folder to run without it)";

    /** The registry's refusal of a folder holding {@code jar} alone. */
    private String refusal(Path jar) throws Exception {
        Path folder = Files.createTempDirectory(dir, "plugins-");
        Path installed = Files.copy(jar, folder.resolve(jar.getFileName()));
        MoeException e = assertThrows(MoeException.class,
                () -> ProviderRegistry.discover(ProviderRegistryTest.class.getClassLoader(), folder));
        String prefix = installed + ": cannot load expert provider: ";
        assertEquals(prefix, e.getMessage().substring(0, Math.min(prefix.length(), e.getMessage().length())), e.getMessage());
        assertTrue(e.getMessage().endsWith(EVERY_PLUGIN), e.getMessage());
        return e.getMessage().substring(prefix.length(), e.getMessage().length() - EVERY_PLUGIN.length());
    }

    private Path provider(String name, String source, String serviceFile) throws Exception {
        return TestJars.jar(Files.createTempDirectory(dir, "build-").resolve(name + "-1.0.jar"),
                Map.of("broken." + name, source), Map.of("META-INF/services/dev.moe.api.ExpertProvider", serviceFile), List.of());
    }

    @Test
    void aProviderThatCannotBeCreatedIsNamedWithWhatToChange() throws Exception {
        // The JDK's words were "java.lang.ExceptionInInitializerError" (no cause, no class), a constructor's exception
        // without the class it came from, and "NoSuchMethodException: P.<init>()".
        assertEquals("class broken.Static failed in its static initialiser: java.lang.NumberFormatException: For input"
                + " string: \"oops\" (fix the plugin's static fields or blocks; run with --debug for the stack trace)",
                refusal(provider("Static", """
                        package broken;
                        public final class Static implements dev.moe.api.ExpertProvider {
                            static final int N = Integer.parseInt("oops");
                            public String name() { return "static"; }
                        }
                        """, "broken.Static\n")));
        assertEquals("the constructor of broken.Ctor threw java.lang.IllegalStateException: no licence (a provider's"
                + " constructor runs whenever the plugins folder is read: leave work that can fail to load() or train())",
                refusal(provider("Ctor", """
                        package broken;
                        public final class Ctor implements dev.moe.api.ExpertProvider {
                            public Ctor() { throw new IllegalStateException("no licence"); }
                            public String name() { return "ctor"; }
                        }
                        """, "broken.Ctor\n")));
        assertEquals("class broken.Args has no public constructor without arguments, which a provider needs (ServiceLoader"
                + " creates it so; settings come in each expert's params)", refusal(provider("Args", """
                        package broken;
                        public final class Args implements dev.moe.api.ExpertProvider {
                            public Args(String settings) { }
                            public String name() { return "args"; }
                        }
                        """, "broken.Args\n")));
    }

    @Test
    void aWrongServiceFileSaysWhatIsWrongWithIt() throws Exception {
        String source = """
                package broken;
                public final class Named implements dev.moe.api.ExpertProvider { public String name() { return "named"; } }
                """;
        assertEquals("META-INF/services/dev.moe.api.ExpertProvider names class broken.Nmaed, which is in none of the plugin's"
                + " jars (a typo in the file, or a class left out of the jar)", refusal(provider("Named", source, "broken.Nmaed\n")));
        assertEquals("META-INF/services/dev.moe.api.ExpertProvider begins with a byte-order mark, which ServiceLoader reads as"
                + " part of the class name: save it as UTF-8 without one", refusal(provider("Named", source, "\uFEFFbroken.Named\r\n")));
        assertEquals("META-INF/services/dev.moe.api.ExpertProvider names class broken.Plain, which does not implement"
                + " dev.moe.api.ExpertProvider", refusal(provider("Plain", """
                        package broken;
                        public final class Plain { public String name() { return "plain"; } }
                        """, "broken.Plain\n")));
        // The JDK's words after its own prefix, and the rule of the file.
        String malformed = refusal(provider("Named", source, "broken.Named extra\n"));
        assertTrue(malformed.matches("META-INF/services/dev\\.moe\\.api\\.ExpertProvider is malformed: jar:file:.*/Named-1\\.0\\.jar!"
                + "/META-INF/services/dev\\.moe\\.api\\.ExpertProvider:1: Illegal configuration-file syntax \\(one fully qualified"
                + " class name a line; # starts a comment\\)"), malformed);
        String illegal = refusal(provider("Named", source, "broken.Na-med\n"));
        assertTrue(illegal.matches("META-INF/services/dev\\.moe\\.api\\.ExpertProvider is malformed: jar:file:.*:1: Illegal"
                + " provider-class name: broken\\.Na-med \\(one fully qualified class name a line; # starts a comment\\)"), illegal);
    }

    @Test
    void aProviderBuiltForANewerJavaSaysWhichJavaAndHowToBuildIt() throws Exception {
        Path built = provider("Later", """
                package broken;
                public final class Later implements dev.moe.api.ExpertProvider { public String name() { return "later"; } }
                """, "broken.Later\n");
        // The same class as javac --release 21 would mark it: class file version 65 (bytes 6-7 of the class file).
        Path later = dir.resolve("later-1.0.jar");
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(built.toFile());
             java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(later))) {
            for (java.util.jar.JarEntry entry : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith(".class")) {
                    bytes[6] = 0;
                    bytes[7] = (byte) (Runtime.version().feature() + 44 + 4);
                }
                out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        int running = Runtime.version().feature();
        assertEquals("class broken.Later was compiled for Java " + (running + 4) + " (class file version " + (running + 48)
                + "), and moe runs on Java " + running + ": build the plugin with --release " + running + " (Maven:"
                + " <maven.compiler.release>" + running + "</maven.compiler.release>), or run moe on Java " + (running + 4)
                + " or later", refusal(later));
    }

    @Test
    void aProviderOfMoesOwnThatIsNotOnTheClassPathNamesItsModule() {
        // moe-runtime's tests have nd4j-mlp and tribuo on their class path, not onnx or xgboost: as a Java program with
        // moe-library.
        ProviderRegistry registry = ProviderRegistry.fromClassPath();
        MoeException e = assertThrows(MoeException.class, () -> registry.expertProvider("onnx"));
        assertEquals("expert provider 'onnx' is moe's module dev.moe:moe-expert-onnx, which is not on this class path: add it"
                + " (Maven: beside moe-library; a Spark job: its jar and its libraries in --jars); known here: "
                + String.join(", ", registry.expertProviders().keySet()), e.getMessage());
        assertTrue(assertThrows(MoeException.class, () -> registry.expertProvider("onyx")).getMessage()
                .startsWith("unknown expert provider 'onyx'"));
        assertTrue(assertThrows(MoeException.class, () -> registry.expertProvider("xgboost")).getMessage()
                .startsWith("expert provider 'xgboost' is moe's module dev.moe:moe-expert-xgboost, which is not on this"
                        + " class path"));
    }

    @Test
    void twoProvidersOfOneNameSayWhatToDo() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        for (String version : new String[] {"1.0", "2.0"}) {
            Path built = TestJars.jar(Files.createDirectories(dir.resolve("build-" + version)).resolve("twice-" + version + ".jar"),
                    Map.of("twice.Twice", """
                            package twice;
                            public final class Twice implements dev.moe.api.ExpertProvider { public String name() { return "twice"; } }
                            """), Map.of("META-INF/services/dev.moe.api.ExpertProvider", "twice.Twice\n"), List.of());
            Files.copy(built, folder.resolve(built.getFileName()));
        }
        MoeException e = assertThrows(MoeException.class,
                () -> ProviderRegistry.discover(ProviderRegistryTest.class.getClassLoader(), folder));
        assertEquals("expert provider 'twice' is offered twice: by " + folder.resolve("twice-1.0.jar") + " and by "
                + folder.resolve("twice-2.0.jar") + "; a config names providers by name, so keep one of them (two versions of"
                + " one plugin?), or rename one provider", e.getMessage());
    }

    @Test
    void aPluginExpertPredictsWithItsOwnLoaderAsTheContextLoader() throws Exception {
        // load and train ran with the plugin's loader as the thread's context loader, predict with moe's: a library
        // set up lazily on the first batch (ServiceLoader, Class.forName through the context loader) failed to find the
        // plugin's own classes, with a ClassNotFoundException from the plugin's code.
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        Path built = TestJars.jar(Files.createTempDirectory(dir, "build-").resolve("lazy-1.0.jar"), Map.of("lazy.Lazy", """
                package lazy;
                import dev.moe.api.*;
                import java.util.*;
                public final class Lazy implements ExpertProvider {
                    public String name() { return "lazy"; }
                    public Expert load(ExpertSpec spec) {
                        return new AbstractExpert(new ExpertSignature(spec.id(), List.of("f"), List.of("a", "b"),
                                ExpertProvenance.trained("lazy", Map.of()))) {
                            public FloatMatrix predict(FloatMatrix x) {
                                try {
                                    Thread.currentThread().getContextClassLoader().loadClass("lazy.Lazy");
                                } catch (ClassNotFoundException e) {
                                    throw new IllegalStateException("not found through the context loader: " + e.getMessage());
                                }
                                float[] p = new float[x.rows() * 2];
                                java.util.Arrays.fill(p, 0.5f);
                                return new FloatMatrix(x.rows(), 2, p);
                            }
                        };
                    }
                }
                """), Map.of("META-INF/services/dev.moe.api.ExpertProvider", "lazy.Lazy\n"), List.of());
        Files.copy(built, folder.resolve(built.getFileName()));
        ProviderRegistry registry = ProviderRegistry.discover(ProviderRegistryTest.class.getClassLoader(), folder);
        dev.moe.api.Expert expert = registry.expertProvider("lazy").load(new dev.moe.api.ExpertSpec("e", "lazy",
                dev.moe.api.Parameters.empty("e"), dir, 1));
        dev.moe.gating.mixture.AlignedExpert aligned = dev.moe.gating.mixture.AlignedExpert.align(expert, List.of("f"), List.of("a", "b"));
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        assertEquals(new dev.moe.api.FloatMatrix(1, 2, new float[] {0.5f, 0.5f}), aligned.predict(dev.moe.api.FloatMatrix.zeros(1, 1)));
        assertEquals(before, Thread.currentThread().getContextClassLoader());
    }
}
