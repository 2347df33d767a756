package dev.moe.spark;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.report.HtmlReport;
import dev.moe.runtime.report.ReportWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code moe predict} and {@code moe evaluate} for a saved mixture on Spark:
 * <pre>
 * SparkScoring predict  -m model.moe --input data.csv|data.parquet --output DIR [--master URL] [--batch-rows N] [--plugins DIR]
 * SparkScoring evaluate -m model.moe --input labelled.csv|.parquet [--json FILE] [--html FILE] [--master URL] [--batch-rows N] [--plugins DIR]
 * </pre>
 * {@code predict} writes a folder of CSV part files (Spark's layout) whose rows, in order, are {@code moe predict}'s;
 * {@code evaluate} prints and writes the report {@code moe evaluate -m} does. {@code --data} is {@code --input}.
 * Without {@code --master} the master is spark-submit's, or {@code local[*]}. The plugins the bundle records are read
 * from {@code --plugins} (else {@code $MOE_PLUGINS}) and shipped to the executors ({@link ShippedPlugins}). Bad input ends in one line and exit
 * status 2; bad usage, exit status 64.
 */
public final class SparkScoring {

    /** Spark's setting for comparing column names as written; moe's sessions set it, as moe's own engine compares them. */
    static final String CASE_SENSITIVE = "spark.sql.caseSensitive";

    private SparkScoring() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("moe-spark: " + e.getMessage());
            err.println(USAGE);
            return 64;
        }
        // Column names are compared as written, as moe's own engine does: a file may hold both Sc.Var.Maxis and Sc.Var.maxis.
        SparkSession.Builder builder = SparkSession.builder().appName("moe " + o.command + " " + o.model.getFileName())
                .config(CASE_SENSITIVE, "true");
        if (o.master != null) {
            builder.master(o.master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        SparkSession spark = null;
        try {
            spark = builder.getOrCreate();
            long start = System.nanoTime();
            if (o.command.equals("predict")) {
                // Checked and locked before anything is read or written: Spark would empty the folder first.
                // The plugins folder is an input too: the job must not write beside the jars it runs.
                List<String> inputs = o.plugins == null ? List.of(o.input, o.model.toString())
                        : List.of(o.input, o.model.toString(), o.plugins.toString());
                try (SparkOutput output = SparkOutput.claim(o.output, inputs, o.overwrite,
                        spark.sparkContext().hadoopConfiguration())) {
                    SparkMixture mixture = SparkMixture.load(spark, o.model, o.batchRows, o.plugins);
                    Dataset<Row> input = SparkMixture.read(spark, o.input, warning -> err.println("WARN SparkMixture - " + warning));
                    LongAccumulator rows = spark.sparkContext().longAccumulator("rows");
                    CellTally cells = new CellTally();
                    spark.sparkContext().register(cells, "cells");
                    output.write(folder -> {
                        mixture.predictToCsv(input, folder, rows, cells);
                        if (rows.value() == 0) {
                            throw new MoeException(o.input + ": no data rows");
                        }
                    });
                    if (!cells.isZero()) {
                        err.println("WARN EncodedInput - " + o.input + ": " + cells.value().inOrderOf(mixture.inputColumns()).summary());
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    int partitions = input.javaRDD().getNumPartitions();
                    out.printf("predicted %d rows of %s with %s on Spark (%s, %d partition%s) in %.1f s: %s%n", rows.value(), o.input,
                            o.model, spark.sparkContext().master(), partitions, partitions == 1 ? "" : "s", seconds, o.output);
                }
            } else {
                List<OutputTarget.Input> inputs = List.of(OutputTarget.input(o.model, "the model"),
                        OutputTarget.input(Path.of(o.input), "the input"));
                try (OutputTarget json = o.json == null ? null : OutputTarget.claim(Path.of(o.json), "JSON report", o.overwrite, inputs);
                     OutputTarget html = o.html == null ? null : OutputTarget.claim(Path.of(o.html), "HTML report", o.overwrite, inputs)) {
                    SparkMixture mixture = SparkMixture.load(spark, o.model, o.batchRows, o.plugins);
                    Dataset<Row> input = SparkMixture.read(spark, o.input, warning -> err.println("WARN SparkMixture - " + warning));
                    SparkEvaluation evaluation = mixture.evaluate(input);
                    // moe's own log lines are silent here (slf4j-nop beside Spark's logging): said on stderr, as moe says them.
                    if (evaluation.cellsSummary() != null) {
                        err.println("WARN EncodedInput - " + o.input + ": " + evaluation.cellsSummary());
                    }
                    if (evaluation.unlabelledRows() > 0) {
                        err.println("WARN SparkMixture - " + mixture.unlabelledWarning(o.input, evaluation.unlabelledRows()));
                    }
                    EvaluationReport report = mixture.withTrainingFileNotice(mixture.report(evaluation, dataName(o.input)), o.input,
                            o.json != null);
                    if ((json == null || !json.isStdout()) && (html == null || !html.isStdout())) {
                        out.print(ReportWriter.table(report));
                        out.flush();
                    }
                    if (o.json != null) {
                        ReportWriter.writeJson(report, Path.of(o.json));
                    }
                    if (o.html != null) {
                        HtmlReport.writeSaved(report, mixture.configText(), Path.of(o.html), "moe evaluate --engine spark " + String.join(" ", args));
                    }
                }
            }
            return 0;
        } catch (Throwable e) {
            // Spark's own SparkException is checked, and thrown from Scala without a declaration.
            String message = message(e);
            if (message != null) {
                err.println("moe-spark: " + message);
            } else if (e instanceof VirtualMachineError || e.getCause() instanceof VirtualMachineError) {
                err.println("moe-spark: " + dev.moe.runtime.Resources.describe(e instanceof VirtualMachineError v ? v
                        : (VirtualMachineError) e.getCause()));
            } else {
                err.println("moe-spark: internal error: " + firstLine(String.valueOf(e)) + (o.debug ? "" : " (run with --debug for the stack trace)"));
            }
            if (o.debug) {
                e.printStackTrace(err);
            }
            return message != null ? 2 : 1;
        } finally {
            if (spark != null) {
                spark.stop();
            }
        }
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The message of the {@link MoeException} behind an error, also one thrown in a task and wrapped by Spark; else null. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MoeException) {
                return t.getMessage();
            }
            if (t instanceof UnsupportedOperationException && String.valueOf(t.getMessage()).contains("getSubject")) {
                // Hadoop's login (in Spark 3.5) on Java 23 or later, which refuses Subject.getSubject.
                return "Spark 3.5 runs on Java 17 to 22, and this is Java " + Runtime.version().feature()
                        + " (Hadoop's login calls Subject.getSubject, which Java 23 and later refuse): run it with a JDK 17 or 21";
            }
            if (t.getMessage() != null && t.getMessage().contains("MALFORMED_RECORD_IN_PARSING")) {
                return "malformed CSV record in the input (Spark: " + firstLine(t.getMessage()) + ")";
            }
            if (t instanceof org.apache.spark.sql.AnalysisException a && a.getMessage() != null
                    && (a.getMessage().contains("PATH_NOT_FOUND") || a.getMessage().contains("Path does not exist"))) {
                return "data file not found: " + firstLine(a.getMessage());
            }
            if (t.getCause() == null && t.getMessage() != null && t.getMessage().contains("dev.moe.runtime.MoeException: ")) {
                // A task's exception as the driver sees it: its text only.
                String m = t.getMessage().substring(t.getMessage().indexOf("dev.moe.runtime.MoeException: ") + 30);
                int nl = m.indexOf('\n');
                return nl < 0 ? m : m.substring(0, nl);
            }
        }
        return null;
    }

    /** The input's file name, as the single-process report names its CSV file. */
    static String dataName(String input) {
        String trimmed = input.endsWith("/") ? input.substring(0, input.length() - 1) : input;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    static final String USAGE = """
            usage: SparkScoring predict  -m model.moe --input data.csv|data.parquet --output DIR [--overwrite] [--master URL] [--batch-rows N] [--plugins DIR]
                   SparkScoring evaluate -m model.moe --input labelled.csv|.parquet [--json FILE] [--html FILE] [--overwrite] [--master URL] [--batch-rows N] [--plugins DIR]""";

    record Options(String command, Path model, String input, String output, String json, String html, String master, int batchRows,
                   boolean overwrite, boolean debug, Path plugins) {

        static Options parse(String[] args) {
            if (args.length == 0 || !(args[0].equals("predict") || args[0].equals("evaluate"))) {
                throw new IllegalArgumentException("the first argument is predict or evaluate");
            }
            Map<String, String> values = new LinkedHashMap<>();
            List<String> positional = new ArrayList<>();
            boolean overwrite = false;
            boolean debug = false;
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--overwrite")) {
                    overwrite = true;
                    continue;
                }
                if (a.equals("--debug")) {
                    debug = true;
                    continue;
                }
                String key = switch (a) {
                    case "-m", "--model" -> "model";
                    case "-i", "--input", "--data" -> "input";
                    case "-o", "--output" -> "output";
                    case "--json" -> "json";
                    case "--html" -> "html";
                    case "--master" -> "master";
                    case "--batch-rows" -> "batch-rows";
                    case "--plugins" -> "plugins";
                    default -> null;
                };
                if (key == null) {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    positional.add(a);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.put(key, args[++i]);
            }
            if (positional.size() == 1 && !values.containsKey("input")) {
                values.put("input", positional.get(0));
            } else if (!positional.isEmpty()) {
                throw new IllegalArgumentException("unexpected arguments " + positional);
            }
            String command = args[0];
            for (String required : command.equals("predict") ? List.of("model", "input", "output") : List.of("model", "input")) {
                if (!values.containsKey(required)) {
                    throw new IllegalArgumentException(command + " needs --" + required);
                }
            }
            if (command.equals("predict") && (values.containsKey("json") || values.containsKey("html"))) {
                throw new IllegalArgumentException("--json and --html apply to evaluate");
            }
            if (command.equals("evaluate") && values.containsKey("output")) {
                throw new IllegalArgumentException("--output applies to predict (evaluate takes --json and --html)");
            }
            int batch;
            try {
                batch = Integer.parseInt(values.getOrDefault("batch-rows", String.valueOf(SparkMixture.BATCH_ROWS)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--batch-rows takes a positive whole number");
            }
            if (batch < 1) {
                throw new IllegalArgumentException("--batch-rows takes a positive whole number");
            }
            return new Options(command, Path.of(values.get("model")), values.get("input"), values.get("output"),
                    values.get("json"), values.get("html"), values.get("master"), batch, overwrite, debug,
                    values.containsKey("plugins") ? Path.of(values.get("plugins")) : null);
        }
    }
}
