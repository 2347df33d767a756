package dev.moe.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark standalone cluster on this machine, started from the Spark jars Maven resolved (no download): a master and
 * two workers, each in its own JVM, and each executor a JVM of its own launched by its worker, as on a real cluster.
 * The workers' SPARK_HOME is a folder whose {@code jars/} links to those jars: what executors get on their class path
 * from the installation. moe, ND4J, Tribuo and the plugins are not there; they reach executors only as a user ships
 * them ({@code spark.jars}, {@code --jars}). One cluster per test JVM, stopped when the JVM exits.
 */
final class StandaloneCluster {

    private static StandaloneCluster shared;

    final String masterUrl;
    final Path home;
    final List<Path> distribution;
    private final List<Process> processes;

    private StandaloneCluster(String masterUrl, Path home, List<Path> distribution, List<Process> processes) {
        this.masterUrl = masterUrl;
        this.home = home;
        this.distribution = distribution;
        this.processes = processes;
    }

    static synchronized StandaloneCluster shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start(2);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    private static StandaloneCluster start(int workers) throws IOException, InterruptedException {
        String listed = Files.readString(Path.of(System.getProperty("moe.sparkDistribution"))).trim();
        List<Path> jars = Arrays.stream(listed.split(File.pathSeparator)).map(Path::of).toList();
        Path home = Files.createTempDirectory("moe-spark-home-");
        Path jarsDir = Files.createDirectories(home.resolve("jars"));
        Set<String> names = new HashSet<>();
        for (Path jar : jars) {
            if (names.add(jar.getFileName().toString())) {
                Files.createSymbolicLink(jarsDir.resolve(jar.getFileName()), jar);
            }
        }
        Path logs = Files.createDirectories(home.resolve("logs"));
        int port = freePort();
        int ui = freePort();
        String master = "spark://127.0.0.1:" + port;
        List<Process> processes = new ArrayList<>();
        processes.add(launch(home, jars, logs.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(ui)));
        for (int i = 0; i < workers; i++) {
            processes.add(launch(home, jars, logs.resolve("worker-" + i + ".log"), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--webui-port", "0", "--cores", "1", "--memory", "1200m",
                    "--work-dir", home.resolve("work-" + i).toString(), master));
        }
        StandaloneCluster cluster = new StandaloneCluster(master, home, jars, processes);
        cluster.awaitWorkers(ui, workers, logs);
        return cluster;
    }

    /** The worker environment: SPARK_HOME (where executors' class path comes from), and nothing of moe's native settings. */
    private static Process launch(Path home, List<Path> classPath, Path log, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m"));
        command.addAll(addOpens());
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()), main));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.remove("OPENBLAS_CORETYPE");
        env.remove("MOE_NATIVE_NOTE");
        env.remove("MOE_PLUGINS");
        return builder.start();
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The {@code --add-opens} flags Spark needs on Java 17 (moe-spark's pom, property spark.add-opens). */
    static List<String> addOpens() {
        return Arrays.stream(System.getProperty("moe.sparkAddOpens", "").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private void awaitWorkers(int ui, int workers, Path logs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String state = "";
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    stop();
                    throw new IllegalStateException("a cluster process ended early: " + tails(logs));
                }
            }
            try (InputStream in = URI.create("http://127.0.0.1:" + ui + "/json/").toURL().openStream()) {
                state = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (state.replace(" ", "").contains("\"aliveworkers\":" + workers)) {
                    return;
                }
            } catch (IOException notYet) {
                // The master is still starting.
            }
            Thread.sleep(250);
        }
        stop();
        throw new IllegalStateException("the workers did not register within 120 s: " + state + tails(logs));
    }

    private static String tails(Path logs) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                String text = Files.readString(log);
                out.append("\n--- ").append(log.getFileName()).append(":\n").append(text.substring(Math.max(0, text.length() - 3000)));
            }
        }
        return out.toString();
    }

    /** A session on this cluster for the test JVM as driver (any other session of the JVM is stopped first). */
    SparkSession session(String app, Map<String, String> conf) {
        if (SparkSession.getActiveSession().isDefined()) {
            SparkSession.getActiveSession().get().stop();
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        SparkSession.Builder builder = SparkSession.builder().master(masterUrl).appName(app)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.memory", "1g")
                .config("spark.sql.shuffle.partitions", "2");
        conf.forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        awaitExecutors(spark, 2);
        return spark;
    }

    /** Tasks go to executors that have registered: wait for both, so that each job really spreads over two JVMs. */
    static void awaitExecutors(SparkSession spark, int executors) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("executors did not start within 120 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** What executors need of moe, as the README's spark-submit line ships it: target/submit-lib and the module's jar. */
    static List<Path> submitJars() throws IOException {
        Path module = Path.of(System.getProperty("moe.sparkModule"));
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(module.resolve("target/submit-lib"))) {
            files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        jars.add(module.resolve("target/moe-spark-" + System.getProperty("moe.projectVersion") + ".jar"));
        return jars;
    }

    /** The test classes' folder, for tests whose own functions run on the executors. */
    static Path testClasses() {
        return Path.of(URI.create(StandaloneCluster.class.getProtectionDomain().getCodeSource().getLocation().toString()));
    }

    synchronized void stop() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> all = Files.walk(home)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
