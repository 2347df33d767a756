package dev.moe.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense block of rows of floats, row-major: the batch type every hot interface takes and returns
 * (feature rows in, probability rows out). Plain JDK so that an expert written against moe-api needs
 * no numeric library; engines copy it into their own arrays once per batch.
 *
 * <p>The array is shared, not copied: callers treat a matrix they received as read-only.
 */
public record FloatMatrix(int rows, int columns, float[] values) {

    public FloatMatrix {
        Objects.requireNonNull(values, "values");
        if (rows < 0 || columns < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + columns);
        }
        if ((long) rows * columns != values.length) {
            throw new IllegalArgumentException(
                    "shape " + rows + "x" + columns + " needs " + (long) rows * columns + " values, got " + values.length);
        }
    }

    public static FloatMatrix zeros(int rows, int columns) {
        return new FloatMatrix(rows, columns, new float[Math.multiplyExact(rows, columns)]);
    }

    public float get(int row, int column) {
        return values[row * columns + column];
    }

    public void set(int row, int column, float value) {
        values[row * columns + column] = value;
    }

    /** A copy of one row. */
    public float[] row(int row) {
        return Arrays.copyOfRange(values, row * columns, (row + 1) * columns);
    }

    /** The given rows, in the given order, as a new matrix. */
    public FloatMatrix selectRows(int[] rowIndices) {
        float[] out = new float[rowIndices.length * columns];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(values, rowIndices[i] * columns, out, i * columns, columns);
        }
        return new FloatMatrix(rowIndices.length, columns, out);
    }

    /** The given columns, in the given order, as a new matrix. */
    public FloatMatrix selectColumns(int[] columnIndices) {
        float[] out = new float[rows * columnIndices.length];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * columns;
            for (int c : columnIndices) {
                out[k++] = values[base + c];
            }
        }
        return new FloatMatrix(rows, columnIndices.length, out);
    }

    /** Index of the largest value in a row (the first one on ties). */
    public int argMaxOfRow(int row) {
        int base = row * columns;
        int best = 0;
        for (int c = 1; c < columns; c++) {
            if (values[base + c] > values[base + best]) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && m.rows == rows && m.columns == columns && Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + columns) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + "x" + columns + "]";
    }
}
