package dev.moe.spark;

import dev.moe.api.FloatMatrix;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * A partition's rows read a block at a time into one features matrix, for {@link SparkMixture} and
 * {@link MixtureTransformer}: the buffer starts small and doubles as rows come, since a partition's last block (and a
 * small partition's only one) holds far fewer than the block size.
 */
final class RowBlocks {

    /** Puts one row's features into {@code into}, from {@code at} on. */
    @FunctionalInterface
    interface Features {
        void read(Row row, float[] into, int at);
    }

    private RowBlocks() {
    }

    /** The next block of up to {@code batchRows} rows, {@code features} values each, or null when none are left. */
    static FloatMatrix next(Iterator<Row> rows, int batchRows, int features, Features read) {
        float[] values = new float[Math.min(batchRows, 1024) * features];
        int n = 0;
        while (n < batchRows && rows.hasNext()) {
            Row row = rows.next();
            if ((n + 1) * features > values.length) {
                values = Arrays.copyOf(values, Math.min(batchRows, 2 * (n + 1)) * features);
            }
            read.read(row, values, n * features);
            n++;
        }
        return n == 0 ? null : new FloatMatrix(n, features, Arrays.copyOf(values, n * features));
    }
}
