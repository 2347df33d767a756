package dev.moe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What {@code ./moe} runs once per build under {@code -XX:ArchiveClassesAtExit}: the commands users run most
 * ({@code evaluate}, {@code train -o}, {@code predict}, {@code inspect}) on a small CSV of its own, through both
 * built-in providers and the Tribuo algorithms a mixture commonly holds. A class-data-sharing archive holds only the
 * classes its one JVM loaded, so a sample that only evaluated left reading a saved mixture (protobuf, Tribuo's model
 * classes) to the jars on every {@code moe predict}.
 */
public final class ClassArchiveSample {

    private static final String CONFIG = String.join("\n",
            "seed: 1",
            "data: { source: csv, path: sample.csv }",
            "split: { test: 0.3 }",
            "experts:",
            "  - { id: mlp, provider: nd4j-mlp, params: { hidden: 8, epochs: 20 } }",
            "  - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 5 } }",
            "  - { id: cart, provider: tribuo, params: { algorithm: cart } }",
            "  - { id: knn, provider: tribuo, params: { algorithm: knn, k: 3 } }",
            "  - { id: xgboost, provider: tribuo, params: { algorithm: xgboost, trees: 5 } }",
            "");

    private ClassArchiveSample() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Files.createTempDirectory("moe-class-archive-sample");
        try {
            runIn(folder);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Runs the sample's commands in {@code folder}; fails on the first that does not succeed. */
    static void runIn(Path folder) throws IOException {
        Path data = folder.resolve("sample.csv");
        Files.writeString(data, sampleCsv(300));
        Path config = Files.writeString(folder.resolve("sample.yaml"), CONFIG);
        Path model = folder.resolve("sample.moe");
        run("evaluate", config.toString(), "--quiet");
        run("train", config.toString(), "-o", model.toString(), "--quiet");
        run("predict", "-m", model.toString(), "-i", data.toString(), "-o", folder.resolve("predictions.csv").toString());
        run("inspect", model.toString());
    }

    private static void run(String... args) {
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(Writer.nullWriter()), new PrintWriter(err));
        if (status != 0) {
            throw new IllegalStateException("moe " + String.join(" ", List.of(args)) + ": exit " + status + ": " + err);
        }
    }

    /** Three labels, each a shifted cloud in four features (a fixed seed: the same file for every build). */
    static String sampleCsv(int rows) {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            for (int f = 0; f < 4; f++) {
                double shift = f == label ? 1.5 : 0;
                csv.append(String.format(Locale.ROOT, "%.4f,", random.nextGaussian() + shift));
            }
            csv.append("l").append(label).append('\n');
        }
        return csv.toString();
    }
}
