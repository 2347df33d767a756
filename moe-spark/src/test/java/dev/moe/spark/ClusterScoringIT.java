package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring and evaluating saved mixtures on a standalone cluster ({@link StandaloneCluster}: every executor its own JVM)
 * with the test JVM as driver: the same rows as {@code moe predict} (labels exactly, numbers to 1e-6) and the same
 * accuracies and row count as {@code moe evaluate}, for the seed mixture and for a mixture whose expert lives in a
 * plugin jar that only the job's files bring to the executors. One application serves every test (executors start
 * once); moe reaches the executors through {@code spark.executor.extraClassPath} here, and as {@code --jars} in
 * {@link SparkSubmitIT}.
 */
class ClusterScoringIT {

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static SparkSession spark;
    static String kernel;
    static Path plugins;
    static Path wineModel;
    static Path wineCsv;
    static Path seedModel;
    static Path seedCsv;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = StandaloneCluster.shared();
        plugins = PluginFixtures.pluginsFolder(dir);
        wineModel = dir.resolve("wine.moe");
        PluginFixtures.writeModel(plugins, wineModel);
        wineCsv = PluginFixtures.longWine(dir, 40);
        seedModel = dir.resolve("seed.moe");
        SparkFixtures.writeModel(seedModel);
        seedCsv = dir.resolve("seed.csv");
        SparkFixtures.writeCsv(seedCsv, 20_000, 11);
        List<String> classPath = new ArrayList<>(StandaloneCluster.submitJars().stream().map(Path::toString).toList());
        classPath.add(StandaloneCluster.testClasses().toString());
        kernel = kernelForThisProcessor();
        Map<String, String> conf = new HashMap<>(Map.of(
                "spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, classPath),
                // About 250 KiB per partition: several partitions, spread over both executors.
                "spark.sql.files.maxPartitionBytes", String.valueOf(256 << 10)));
        if (kernel != null) {
            conf.put("spark.executorEnv.OPENBLAS_CORETYPE", kernel);
        }
        spark = cluster.session("moe cluster tests", conf);
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void theSeedMixtureOnTheClusterGivesMoePredictsRowsAndMoeEvaluatesCounts() throws IOException {
        SavedMixture single = new BundleReader(ProviderRegistry.fromClassPath()).read(seedModel);
        assertSameAsSingleProcess(single, seedModel, seedCsv, null);
    }

    @Test
    void aPluginExpertIsShippedToTheExecutorsAndScoresAsMoePredict() throws IOException {
        SavedMixture single = PluginFixtures.read(wineModel, plugins);
        assertSameAsSingleProcess(single, wineModel, wineCsv, plugins);
    }

    private static void assertSameAsSingleProcess(SavedMixture single, Path model, Path csv, Path pluginsFolder) throws IOException {
        Path expected = dir.resolve(model.getFileName() + ".single.csv");
        CsvPredictions.write(single, csv, expected);
        SparkMixture mixture = SparkMixture.load(spark, model, SparkMixture.BATCH_ROWS, pluginsFolder);
        Dataset<Row> input = SparkMixture.read(spark, csv.toString());
        assertTrue(input.javaRDD().getNumPartitions() >= 2, "partitions: " + input.javaRDD().getNumPartitions());
        Path out = dir.resolve(model.getFileName() + ".cluster");
        mixture.predictToCsv(input, out.toString(), null);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected), PluginFixtures.partLines(out));

        SparkEvaluation evaluation = mixture.evaluate(input);
        CsvEvaluation.Result want = CsvEvaluation.evaluate(single, csv);
        assertEquals(want.rows(), evaluation.rows());
        assertEquals(want.accuracy(), evaluation.accuracy());
    }

    /** The Spark ML stage on the cluster: the plugin-expert mixture's labels and probabilities are moe predict's. */
    @Test
    void theMlStageScoresThePluginMixtureOnTheExecutors() throws IOException {
        Path expected = dir.resolve("stage.single.csv");
        CsvPredictions.write(PluginFixtures.read(wineModel, plugins), wineCsv, expected);
        List<String> want = Files.readAllLines(expected);
        MixtureTransformer stage = MixtureTransformer.fromBundle(wineModel, plugins);
        List<Row> rows = stage.transform(SparkMixture.read(spark, wineCsv.toString())).select("prediction", "probability").collectAsList();
        assertEquals(want.size() - 1, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] w = want.get(i + 1).split(",");
            assertEquals(w[0], rows.get(i).getString(0), "row " + i);
            double[] p = ((org.apache.spark.ml.linalg.Vector) rows.get(i).get(1)).toArray();
            for (int j = 0; j < p.length; j++) {
                assertEquals(Double.parseDouble(w[2 + j]), p[j], 1e-6, "row " + i + ", class " + j);
            }
        }
    }

    /**
     * The executors are two JVMs other than the driver, and the OpenBLAS kernel reaches them with the one line the
     * README gives ({@code spark.executorEnv.OPENBLAS_CORETYPE}): OpenBLAS there reports that kernel as the one it runs,
     * with the one thread per product moe chooses by itself.
     */
    @Test
    void executorsAreOtherJvmsAndTheKernelReachesThemWithOneLine() {
        Assumptions.assumeTrue(kernel != null, "no AVX2 here: no kernel to choose");
        List<String> facts = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(IntStream.range(0, 8).boxed().toList(), 8)
                .mapPartitions(new ExecutorFacts()).collect();
        Set<String> pids = facts.stream().map(f -> f.split("\\|")[0]).collect(Collectors.toSet());
        assertEquals(2, pids.size(), facts.toString());
        assertTrue(!pids.contains(String.valueOf(ProcessHandle.current().pid())), facts.toString());
        for (String f : facts) {
            String[] parts = f.split("\\|");
            assertEquals(kernel, parts[1], f);
            assertEquals(kernel.toLowerCase(Locale.ROOT), parts[2].toLowerCase(Locale.ROOT), f);
            assertEquals("1", parts[3], "moe's one OpenBLAS thread per product, set by moe itself: " + f);
        }
    }

    /**
     * What an executor JVM says about itself: pid, OPENBLAS_CORETYPE, the kernel OpenBLAS runs, and OpenBLAS's threads
     * once moe chose its kernels (as loading a mixture does).
     */
    static final class ExecutorFacts implements FlatMapFunction<Iterator<Integer>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<String> call(Iterator<Integer> ignored) throws IOException {
            dev.moe.gating.nn.Kernels.forBackend();
            // The OpenBLAS that ND4J and moe loaded (JavaCPP maps no binding for these two functions): ask it by name.
            String path = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith("/libopenblas.so.0"))
                    .map(l -> l.substring(l.indexOf('/'))).findFirst().orElseThrow();
            com.sun.jna.NativeLibrary blas = com.sun.jna.NativeLibrary.getInstance(path);
            String core = blas.getFunction("openblas_get_corename").invokeString(new Object[0], false).trim();
            int threads = blas.getFunction("openblas_get_num_threads").invokeInt(new Object[0]);
            return List.of(ProcessHandle.current().pid() + "|" + System.getenv("OPENBLAS_CORETYPE") + "|" + core + "|" + threads).iterator();
        }
    }

    /** The kernel bin/native-env.sh chooses here: SKYLAKEX with AVX-512, HASWELL with AVX2 and FMA, else none. */
    static String kernelForThisProcessor() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return null;
        }
        String flags = " " + Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst().orElse(":")
                .split(":", 2)[1] + " ";
        if (Stream.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl").allMatch(f -> flags.contains(" " + f + " "))) {
            return "SKYLAKEX";
        }
        return flags.contains(" avx2 ") && flags.contains(" fma ") ? "HASWELL" : null;
    }
}
