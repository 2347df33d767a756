package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BlasTest {

    private static INDArray random(long rows, long columns, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, rows, columns);
    }

    private static float[] flat(INDArray a) {
        return a.dup('c').reshape(-1).toFloatVector();
    }

    @Test
    void everyTransposeMatchesNd4jsProduct() {
        INDArray a = random(7, 5, 1);
        INDArray b = random(5, 3, 2);
        INDArray c = Nd4j.zeros(DataType.FLOAT, 7, 3);
        float[] expected = flat(a.mmul(b));
        Blas.gemm(a, false, b, false, c, 1f, 0f);
        assertArrayEquals(expected, flat(c), 1e-5f);
        Blas.gemm(a.transpose().dup('c'), true, b, false, c, 1f, 0f);
        assertArrayEquals(expected, flat(c), 1e-5f);
        Blas.gemm(a, false, b.transpose().dup('c'), true, c, 1f, 0f);
        assertArrayEquals(expected, flat(c), 1e-5f);
        Blas.gemm(a.transpose().dup('c'), true, b.transpose().dup('c'), true, c, 1f, 0f);
        assertArrayEquals(expected, flat(c), 1e-5f);
    }

    @Test
    void theKernelInUseAgreesWithAPlainProductOnOddShapes() {
        // Single precision over up to 257 terms: relative errors of a few 1e-7 each.
        double error = Blas.selfCheck();
        assertTrue(error < 1e-5, "largest relative error " + error);
    }

    @Test
    void alphaAndBetaAccumulate() {
        INDArray a = random(4, 6, 3);
        INDArray b = random(6, 2, 4);
        INDArray c = random(4, 2, 5);
        float[] expected = flat(a.mmul(b).muli(2).addi(c.mul(0.5)));
        Blas.gemm(a, false, b, false, c, 2f, 0.5f);
        assertArrayEquals(expected, flat(c), 1e-5f);
    }

    @Test
    void viewsIntoAFlatVectorAreReadAndWrittenAtTheirOffset() {
        INDArray flat = Nd4j.arange(0, 30).castTo(DataType.FLOAT).reshape(1, 30);
        INDArray view = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(6, 12)).reshape('c', 2, 3);
        assertEquals(6f, Blas.floats(view).get(0));
        INDArray out = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(20, 24)).reshape('c', 2, 2);
        INDArray b = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {0, 0}});
        Blas.gemm(view, false, b, false, out, 1f, 0f); // the first two columns of the view
        assertArrayEquals(new float[] {6, 7, 9, 10}, flat(out));
        assertEquals(19f, flat.getFloat(0, 19));
        assertEquals(24f, flat.getFloat(0, 24));
    }

    @Test
    void stridedAndDoubleInputsAreCopiedFirst() {
        INDArray wide = random(6, 8, 6);
        INDArray columns = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5)); // strided: not dense
        INDArray b = random(3, 4, 7).castTo(DataType.DOUBLE);
        INDArray c = Nd4j.zeros(DataType.FLOAT, 6, 4);
        Blas.gemm(columns, false, b, false, c, 1f, 0f);
        assertArrayEquals(flat(columns.dup().mmul(b.castTo(DataType.FLOAT))), flat(c), 1e-5f);
    }

    @Test
    void wrongShapesAndAStridedOutputAreRefused() {
        INDArray a = random(4, 3, 8);
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(a, false, a, false, Nd4j.zeros(DataType.FLOAT, 4, 3), 1f, 0f));
        assertEquals("cannot multiply 4 x 3 by 4 x 3 into [4, 3]", shapes.getMessage());
        INDArray strided = Nd4j.zeros(DataType.FLOAT, 4, 8).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4));
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(a, false, a, true, strided, 1f, 0f));
        assertTrue(output.getMessage().startsWith("the product's output must be a dense row-major float matrix"), output.getMessage());
    }
}
