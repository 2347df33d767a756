package dev.moe.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense block of rows of floats, row-major: the batch type every hot interface takes and returns
 * (feature rows in, probability rows out). Plain JDK so that an expert written against moe-api needs
 * no numeric library; engines copy it into their own arrays once per batch.
 *
 * <p>The array is shared, not copied: callers treat a matrix they received as read-only.
 *
 * @param rows    the number of rows
 * @param columns the number of values per row
 * @param values  {@code rows * columns} values, row-major: row {@code r}, column {@code c} at {@code r * columns + c}
 */
public record FloatMatrix(int rows, int columns, float[] values) {

    /**
     * Checks the shape: no negative size, and exactly {@code rows * columns} values. Keeps {@code values} itself.
     *
     * @param rows    the number of rows
     * @param columns the number of values per row
     * @param values  the values, row-major
     */
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

    /**
     * {@return a new matrix of that shape, all zeros}
     *
     * @param rows    the number of rows
     * @param columns the number of values per row
     * @throws ArithmeticException when {@code rows * columns} overflows an int
     */
    public static FloatMatrix zeros(int rows, int columns) {
        return new FloatMatrix(rows, columns, new float[Math.multiplyExact(rows, columns)]);
    }

    /**
     * One value. Indices are checked against the array only, not the shape: a column past the end reads the next row.
     *
     * @param row    from 0
     * @param column from 0, below {@link #columns()}
     * @return the value at that row and column
     */
    public float get(int row, int column) {
        return values[row * columns + column];
    }

    /**
     * Changes one value in place, in the shared array: only on a matrix the caller made. Not synchronized.
     *
     * @param row    from 0
     * @param column from 0, below {@link #columns()}
     * @param value  the new value
     */
    public void set(int row, int column, float value) {
        values[row * columns + column] = value;
    }

    /**
     * A copy of one row.
     *
     * @param row from 0
     * @return its {@link #columns()} values, a new array
     */
    public float[] row(int row) {
        return Arrays.copyOfRange(values, row * columns, (row + 1) * columns);
    }

    /**
     * The given rows, in the given order, as a new matrix.
     *
     * @param rowIndices rows of this matrix, from 0; repeats allowed
     * @return {@code rowIndices.length} x {@link #columns()}, copied
     */
    public FloatMatrix selectRows(int[] rowIndices) {
        float[] out = new float[rowIndices.length * columns];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(values, rowIndices[i] * columns, out, i * columns, columns);
        }
        return new FloatMatrix(rowIndices.length, columns, out);
    }

    /**
     * The given columns, in the given order, as a new matrix.
     *
     * @param columnIndices columns of this matrix, from 0; repeats allowed
     * @return {@link #rows()} x {@code columnIndices.length}, copied
     */
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

    /**
     * Index of the largest value in a row (the first one on ties), e.g. the predicted label of a probability row.
     *
     * @param row from 0
     * @return a column index; 0 for a matrix without columns
     */
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
