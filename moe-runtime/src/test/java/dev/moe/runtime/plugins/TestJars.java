package dev.moe.runtime.plugins;

import java.io.IOException;
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
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds small jars in a test: Java sources compiled against the test's class path (and extra jars), plus resources. */
public final class TestJars {

    private TestJars() {
    }

    /**
     * @param sources   class name to source text
     * @param resources path in the jar to text (service files, pom.properties)
     * @param classPath extra jars to compile against (before the test's own class path)
     */
    public static Path jar(Path jar, Map<String, String> sources, Map<String, String> resources, List<Path> classPath)
            throws IOException {
        Path work = Files.createTempDirectory(jar.getParent(), "build-");
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17", "-nowarn", "-cp",
                String.join(java.io.File.pathSeparator, Stream.concat(classPath.stream().map(Path::toString),
                        Stream.of(System.getProperty("java.class.path"))).toList())));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("the tests need a JDK (javax.tools), not a JRE");
        }
        if (compiler.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test sources failed to compile: " + sources.keySet());
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> e : resources.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                write(out, e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A copy of {@code source} with the given resources added or replaced: another build of the same classes. */
    public static Path copyWith(Path source, Path target, Map<String, String> resources) throws IOException {
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(source.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (JarEntry entry : java.util.Collections.list(in.entries())) {
                if (!resources.containsKey(entry.getName())) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
            for (Map.Entry<String, String> e : resources.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                write(out, e.getValue());
                out.closeEntry();
            }
        }
        return target;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
