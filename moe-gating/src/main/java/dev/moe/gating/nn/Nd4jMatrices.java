package dev.moe.gating.nn;

import dev.moe.api.FloatMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies between the API's {@link FloatMatrix} and ND4J arrays: once per batch, never per row. */
public final class Nd4jMatrices {

    private Nd4jMatrices() {
    }

    public static INDArray toNd4j(FloatMatrix m, DataType dataType) {
        INDArray a = Nd4j.create(m.values(), new long[] {m.rows(), m.columns()}, 'c');
        return dataType == DataType.FLOAT ? a : a.castTo(dataType);
    }

    public static FloatMatrix toFloatMatrix(INDArray a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got rank " + a.rank());
        }
        INDArray dense = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (dense.isView() || dense.ordering() != 'c' || dense.data().length() != dense.length()) {
            dense = dense.dup('c');
        }
        return new FloatMatrix((int) a.rows(), (int) a.columns(), dense.data().asFloat());
    }
}
