package dev.moe.runtime.doctor;

import dev.moe.api.ExpertProvider;
import dev.moe.api.RoutingStrategyProvider;
import dev.moe.gating.nn.Blas;
import dev.moe.gating.nn.Kernels;
import dev.moe.runtime.plugins.ContextLoader;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What {@code moe doctor} prints: the facts that decide whether and how fast moe runs here (Java, ND4J's
 * backend and BLAS, threads, the OpenBLAS kernel, memory) and every provider and strategy found.
 */
public final class EnvironmentReport {

    private EnvironmentReport() {
    }

    public static Map<String, String> environment() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        facts.put("cpu cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("max heap", mib(Runtime.getRuntime().maxMemory()));
        facts.put("garbage collector", collector(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList()));
        try {
            Properties nd4j = Nd4j.getExecutioner().getEnvironmentInformation();
            facts.put("nd4j backend", Backends.detect().describe());
            facts.put("blas", String.valueOf(nd4j.getOrDefault("blas.vendor", "unknown")));
            facts.put("nd4j threads", String.valueOf(nd4j.getOrDefault("omp.threads", "unknown")));
            facts.put("nd4j data type", Nd4j.dataType().toString());
            if (Kernels.forBackend() == Kernels.DIRECT) {
                double error = Blas.selfCheck();
                facts.put("sgemm self-check", (error < 1e-5 ? "ok" : "WRONG RESULTS")
                        + String.format(Locale.ROOT, " (largest relative error %.1e against a plain product)", error));
            }
        } catch (RuntimeException | LinkageError e) {
            facts.put("nd4j backend", "NOT AVAILABLE: " + e);
        }
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        facts.put("openblas core type", coreType == null ? "chosen by OpenBLAS (OPENBLAS_CORETYPE unset)" : coreType + " (OPENBLAS_CORETYPE)");
        facts.put("cpu flags", cpuFlags());
        facts.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        String note = System.getenv("MOE_NATIVE_NOTE");
        facts.put("native settings", note == null
                ? "not chosen by moe: the ./moe launcher picks the OpenBLAS kernel and threads for this processor" : note);
        facts.put("class archive", classArchive(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return facts;
    }

    /** The class-data-sharing archive this JVM was started with, as its arguments name it (the last one counts). */
    static String classArchive(List<String> jvmArguments) {
        String archive = null;
        for (String argument : jvmArguments) {
            if (argument.startsWith("-XX:SharedArchiveFile=")) {
                archive = argument.substring("-XX:SharedArchiveFile=".length());
            }
        }
        return archive == null ? "none (./moe makes one after each build and starts from it; MOE_CDS=0 turns that off)"
                : archive + " (mapped when it matches this class path and its jars, else skipped)";
    }

    /** The collector this JVM runs, named from its collectors' management beans (each collector names them its way). */
    static String collector(List<String> beanNames) {
        String names = String.join(" ", beanNames);
        String name = names.contains("G1") ? "G1"
                : names.contains("PS ") ? "Parallel"
                : names.contains("MarkSweepCompact") ? "Serial"
                : names.contains("ZGC") ? "Z"
                : names.contains("Shenandoah") ? "Shenandoah"
                : beanNames.isEmpty() ? "none (Epsilon)" : "unknown (" + String.join(", ", beanNames) + ")";
        return name + (name.equals("Serial") ? " (./moe's choice unless MOE_JAVA_OPTS names a collector)"
                : " (./moe runs the serial one unless MOE_JAVA_OPTS names a collector)");
    }

    /** The vector extensions that decide which BLAS kernel fits this processor. */
    static String cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (!Files.isReadable(cpuinfo)) {
                return "unknown (no /proc/cpuinfo)";
            }
            String flags = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
            StringBuilder out = new StringBuilder();
            for (String f : new String[] {"avx2", "fma", "avx512f", "avx512_bf16"}) {
                if ((" " + flags + " ").contains(" " + f + " ")) {
                    out.append(out.length() == 0 ? "" : " ").append(f);
                }
            }
            return out.length() == 0 ? "no AVX2" : out.toString();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /**
     * A provider's own findings ({@link ExpertProvider#environment}), with its plugin's class loader as the context
     * loader, as its other calls get; what it throws (a native library that does not load) is the finding.
     */
    static List<String> findings(ExpertProvider provider) {
        try {
            List<String> lines = ContextLoader.withLoaderOf(provider, provider::environment);
            return lines == null ? List.of() : lines;
        } catch (RuntimeException | LinkageError e) {
            return List.of("cannot check: " + e);
        }
    }

    /** The whole report as text. */
    public static String render(ProviderRegistry registry, Path pluginsFolder) {
        StringBuilder out = new StringBuilder();
        environment().forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-20s %s%n", k, v)));
        out.append(String.format(Locale.ROOT, "%-20s %s%n", "plugins folder", pluginsFolder == null ? "(none)" : pluginsFolder));
        out.append("expert providers:").append(System.lineSeparator());
        for (ProviderRegistry.Found<ExpertProvider> f : registry.expertProviders().values()) {
            out.append(String.format(Locale.ROOT, "  %-20s %s%n", f.provider().name(), f.describe()));
            findings(f.provider()).forEach(line -> out.append(String.format(Locale.ROOT, "  %-20s %s%n", "", line)));
        }
        out.append("routing strategies:").append(System.lineSeparator());
        for (ProviderRegistry.Found<RoutingStrategyProvider> f : registry.routingProviders().values()) {
            out.append(String.format(Locale.ROOT, "  %-20s %s%n", f.provider().name(), f.describe()));
        }
        return out.toString();
    }
}
