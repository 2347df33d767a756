import dev.moe.api.FloatMatrix;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.data.SyntheticSeedSource;

/**
 * Writes the rows of moe's synthetic-seed data source (the article's data set) as CSV on standard output: the very
 * rows `data: {source: synthetic-seed, rows: R}` gives moe under seed S, so that an expert trained elsewhere
 * (examples/onnx/make_models.py, PyTorch) trains on moe's rows.
 *
 * Usage, from the repository root after ./moe has built itself once:
 *   java -cp "moe-cli/target/moe-cli.jar:moe-cli/target/lib/*" examples/onnx/SeedRows.java ROWS SEED > rows.csv
 */
public final class SeedRows {
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: SeedRows ROWS SEED");
            System.exit(2);
        }
        Dataset data = SyntheticSeedSource.generate(Integer.parseInt(args[0]), Long.parseLong(args[1]));
        StringBuilder out = new StringBuilder(String.join(",", data.featureNames())).append(",label\n");
        FloatMatrix x = data.features();
        for (int r = 0; r < data.rows(); r++) {
            for (int c = 0; c < x.columns(); c++) {
                // Float.toString: the shortest decimal that reads back as the same float
                out.append(x.get(r, c)).append(',');
            }
            out.append(data.labelNames().get(data.labels()[r])).append('\n');
        }
        System.out.print(out);
    }
}
