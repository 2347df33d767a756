import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains small XGBoost models with the xgboost4j on the class path (its version chosen by make-fixtures.sh), on the
 * repository's example CSVs, and writes for each: NAME.json (booster.saveModel("NAME.json")), NAME.ubj (the same
 * booster as UBJSON) and NAME.expected.csv (the 40 rows fed, some cells missing, then XGBoost's own probabilities
 * p0..pC-1, each float as Float.toString writes it: exact). Names start with "xgbMAJOR.MINOR-".
 *
 * <p>Arguments: the data folder (examples/data) and the output folder.
 */
public final class MakeFixtures {

    static final int ROWS = 40;

    record Data(String[] names, float[] x, float[] y, int rows, int classes) {
        int columns() {
            return names.length;
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        String prefix = "xgb" + shortVersion(out) + "-";
        Data wine = read(data.resolve("wine.csv"));
        Data pima = read(data.resolve("pima.csv"));
        Random random = new Random(7);
        // wine with about a tenth of its cells missing, so that the trees learn default directions that matter
        Data wineGaps = withGaps(wine, random, 0.1);

        Map<String, Object> multi = params("multi:softprob", 2);
        multi.put("num_class", 3);
        write(out, prefix + "wine-softprob", train(wineGaps, multi, 4, null), wine, random, false, 0);

        Map<String, Object> softmax = params("multi:softmax", 2);
        softmax.put("num_class", 3);
        write(out, prefix + "wine-softmax", train(wine, softmax, 3, null), wine, random, true, 0);

        Map<String, Object> dart = params("multi:softprob", 2);
        dart.put("num_class", 3);
        dart.put("booster", "dart");
        dart.put("rate_drop", 0.3);
        dart.put("skip_drop", 0.0);
        write(out, prefix + "wine-dart", train(wine, dart, 4, null), wine, random, false, 0);

        Map<String, Object> forest = params("multi:softprob", 2);
        forest.put("num_class", 3);
        forest.put("num_parallel_tree", 2);
        forest.put("subsample", 0.8);
        forest.put("colsample_bynode", 0.8);
        write(out, prefix + "wine-forest", train(wine, forest, 2, null), wine, random, false, 0);

        // binary:logistic without a base_score: XGBoost 2.0+ estimates it from the labels
        Map<String, Object> logistic = params("binary:logistic", 3);
        write(out, prefix + "pima-logistic", train(pima, logistic, 5, null), pima, random, false, 0);

        // early stopping on the last third of the rows: best_iteration (and 2.x's iteration_indptr) in the file
        Map<String, Object> early = params("binary:logistic", 3);
        early.put("eta", 0.5);
        early.put("eval_metric", "logloss");
        Booster stopped = train(pima, early, 60, 4);
        int best = Integer.parseInt(stopped.getAttr("best_iteration"));
        System.out.println(prefix + "pima-early-stopped: best_iteration " + best + " of "
                + stopped.getAttrs());
        write(out, prefix + "pima-early-stopped", stopped, pima, random, false, best + 1);
    }

    /** "3.4" from the output folder's name's last part, e.g. target/fixtures-3.4.0 (the script names it). */
    static String shortVersion(Path out) {
        String name = out.getFileName().toString();
        String v = name.substring(name.lastIndexOf('-') + 1);
        String[] parts = v.split("\\.");
        return parts[0] + "." + parts[1];
    }

    static Map<String, Object> params(String objective, int depth) {
        Map<String, Object> p = new HashMap<>();
        p.put("objective", objective);
        p.put("max_depth", depth);
        p.put("eta", 0.3);
        p.put("seed", 0);
        p.put("nthread", 1);
        p.put("tree_method", "hist");
        p.put("verbosity", 1);
        return p;
    }

    /** Trains on all rows; with early stopping, on the first two thirds, watching the last third. */
    static Booster train(Data d, Map<String, Object> params, int rounds, Integer stopAfter) throws XGBoostError {
        if (stopAfter == null) {
            DMatrix m = matrix(d, 0, d.rows);
            return XGBoost.train(m, params, rounds, new HashMap<>(), null, null);
        }
        int cut = d.rows * 2 / 3;
        DMatrix train = matrix(d, 0, cut);
        DMatrix eval = matrix(d, cut, d.rows);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("train", train);
        watches.put("eval", eval);
        float[][] metrics = new float[2][rounds];
        return XGBoost.train(train, params, rounds, watches, metrics, null, null, stopAfter);
    }

    static DMatrix matrix(Data d, int from, int to) throws XGBoostError {
        int n = to - from;
        float[] x = new float[n * d.columns()];
        System.arraycopy(d.x, from * d.columns(), x, 0, x.length);
        float[] y = new float[n];
        System.arraycopy(d.y, from, y, 0, n);
        DMatrix m = new DMatrix(x, n, d.columns(), Float.NaN);
        m.setLabel(y);
        m.setFeatureNames(d.names);
        return m;
    }

    /**
     * Saves the booster as JSON and UBJSON, and its probabilities on 40 rows of the data (seeded; a quarter with a
     * cell missing, some with three, the last with every cell missing).
     *
     * @param softmax   the model predicts a class: expected are the softmax of its margins
     * @param treeLimit rounds to predict with (0: all); the all-rounds probabilities then go to *.all-rounds.expected.csv
     */
    static void write(Path out, String name, Booster booster, Data d, Random random, boolean softmax, int treeLimit)
            throws XGBoostError, IOException {
        Path json = out.resolve(name + ".json");
        booster.saveModel(json.toString());
        byte[] bytes = Files.readAllBytes(json);
        if (bytes[0] != '{' || bytes[1] != '"') {
            throw new IllegalStateException(json + " is not JSON");
        }
        Files.write(out.resolve(name + ".ubj"), booster.toByteArray("ubj"));
        int c = d.columns();
        float[] x = new float[ROWS * c];
        for (int r = 0; r < ROWS; r++) {
            int row = random.nextInt(d.rows);
            System.arraycopy(d.x, row * c, x, r * c, c);
            if (r % 4 == 1) {
                x[r * c + random.nextInt(c)] = Float.NaN;
            } else if (r % 10 == 3) {
                for (int k = 0; k < 3; k++) {
                    x[r * c + random.nextInt(c)] = Float.NaN;
                }
            }
        }
        for (int j = 0; j < c; j++) {
            x[(ROWS - 1) * c + j] = Float.NaN;
        }
        DMatrix m = new DMatrix(x, ROWS, c, Float.NaN);
        m.setFeatureNames(d.names);
        if (treeLimit > 0) {
            writeExpected(out.resolve(name + ".all-rounds.expected.csv"), d, x, booster.predict(m, softmax), softmax);
            writeExpected(out.resolve(name + ".expected.csv"), d, x, booster.predict(m, softmax, treeLimit), softmax);
        } else {
            writeExpected(out.resolve(name + ".expected.csv"), d, x, booster.predict(m, softmax), softmax);
        }
        System.out.println("wrote " + name + ": " + bytes.length + " bytes JSON, " + base(bytes));
    }

    /** The base_score as the file spells it, for the log. */
    static String base(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        int i = text.indexOf("\"base_score\"");
        int v = text.indexOf("\"version\"");
        return "base_score " + text.substring(i + 13, text.indexOf(',', i)) + ", " + text.substring(v, text.indexOf(']', v) + 1);
    }

    static void writeExpected(Path path, Data d, float[] x, float[][] out, boolean softmax) throws IOException {
        int c = d.columns();
        boolean binary = out[0].length == 1 && d.classes == 2;
        int classes = binary ? 2 : out[0].length;
        StringBuilder s = new StringBuilder(String.join(",", d.names));
        for (int k = 0; k < classes; k++) {
            s.append(",p").append(k);
        }
        s.append('\n');
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < c; j++) {
                s.append(j == 0 ? "" : ",").append(cell(x[r * c + j]));
            }
            float[] p = out[r];
            if (binary) {
                p = new float[] {1 - out[r][0], out[r][0]};
            } else if (softmax) {
                p = softmax(out[r]);
            }
            for (float v : p) {
                s.append(',').append(cell(v));
            }
            s.append('\n');
        }
        Files.writeString(path, s.toString());
    }

    static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        float[] p = new float[z.length];
        for (int k = 0; k < z.length; k++) {
            p[k] = (float) (Math.exp(z[k] - max) / sum);
        }
        return p;
    }

    static String cell(float v) {
        return Float.isNaN(v) ? "nan" : Float.toString(v);
    }

    /** A CSV whose last column is the label; labels sorted, as 0..C-1. */
    static Data read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        String[] names = java.util.Arrays.copyOf(header, header.length - 1);
        List<String[]> rows = new ArrayList<>();
        TreeSet<String> labels = new TreeSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            rows.add(cells);
            labels.add(cells[cells.length - 1]);
        }
        List<String> sorted = new ArrayList<>(labels);
        float[] x = new float[rows.size() * names.length];
        float[] y = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            for (int j = 0; j < names.length; j++) {
                x[r * names.length + j] = cells[j].isEmpty() || cells[j].equals("?") ? Float.NaN
                        : Float.parseFloat(cells[j]);
            }
            y[r] = sorted.indexOf(cells[names.length]);
        }
        return new Data(names, x, y, rows.size(), sorted.size());
    }

    static Data withGaps(Data d, Random random, double fraction) {
        float[] x = d.x.clone();
        for (int i = 0; i < x.length; i++) {
            if (random.nextDouble() < fraction) {
                x[i] = Float.NaN;
            }
        }
        return new Data(d.names, x, d.y, d.rows, d.classes);
    }
}
