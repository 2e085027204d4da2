package io.quanta.kernels.fp32;

import static io.quanta.testing.TestGraph.ins;
import static io.quanta.testing.TestGraph.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.testing.TestGraph;
import org.junit.jupiter.api.Test;

class ReductionKernelsTest {
    /** x[a][b][c] = 100a + 10b + c over [2,3,4]. */
    private static float[] cube() {
        float[] f = new float[24];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 4; c++) {
                    f[(a * 3 + b) * 4 + c] = 100 * a + 10 * b + c;
                }
            }
        }
        return f;
    }

    private static TensorValue reduce(OpType type, boolean keepDims, int[] axes, int[] outShape) {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 2, 3, 4);
        g.op(
                type,
                new OpOptions.Reducer(keepDims),
                ins(x, g.constInts(shape(axes.length), axes)),
                g.output(DataType.FLOAT32, outShape));
        Interpreter it = g.interpreter();
        System.arraycopy(cube(), 0, it.input(0).f, 0, 24);
        it.invoke();
        return it.output(0);
    }

    @Test
    void meanOverTheMiddleAxis() {
        TensorValue out = reduce(OpType.MEAN, false, new int[] {1}, shape(2, 4));
        assertArrayEquals(shape(2, 4), out.shape());
        assertArrayEquals(new float[] {10, 11, 12, 13, 110, 111, 112, 113}, out.floats());
    }

    @Test
    void sumWithNegativeAndRepeatedAxesKeepingDims() {
        TensorValue out = reduce(OpType.SUM, true, new int[] {-1, 2, 0}, shape(1, 3, 1));
        assertArrayEquals(shape(1, 3, 1), out.shape());
        // sum over a and c of 100a + 10b + c: 4*100 + 8*10b + 2*6
        assertArrayEquals(new float[] {412, 492, 572}, out.floats());
    }

    @Test
    void maxOverAllAxesGivesAScalar() {
        TensorValue out = reduce(OpType.REDUCE_MAX, false, new int[] {0, 1, 2}, shape());
        assertArrayEquals(shape(), out.shape());
        assertEquals(123f, out.f[0]);
    }

    @Test
    void integerMeanTruncatesAndIntegerMaxWorks() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.INT32, 2, 2);
        int axes = g.constInts(shape(1), 1);
        g.op(OpType.MEAN, new OpOptions.Reducer(false), ins(x, axes), g.output(DataType.INT32, 2));
        g.op(OpType.REDUCE_MAX, new OpOptions.Reducer(false), ins(x, axes), g.output(DataType.INT32, 2));
        Interpreter it = g.interpreter();
        int[] data = {1, 4, -7, 2};
        System.arraycopy(data, 0, it.input(0).i, 0, 4);
        it.invoke();
        assertEquals(2, it.output(0).i[0]);
        assertEquals(-2, it.output(0).i[1]); // -5 / 2 truncates toward zero
        assertEquals(4, it.output(1).i[0]);
        assertEquals(2, it.output(1).i[1]);
    }

    @Test
    void quantizedMaxComparesUint8Unsigned() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.UINT8, 3);
        g.quant(x, 0.5f, 128);
        int y = g.output(DataType.UINT8, 1);
        g.quant(y, 0.5f, 128);
        g.op(OpType.REDUCE_MAX, new OpOptions.Reducer(true), ins(x, g.constInts(shape(1), 0)), y);
        Interpreter it = g.interpreter();
        it.input(0).b[0] = 5;
        it.input(0).b[1] = (byte) 200;
        it.input(0).b[2] = 127;
        it.invoke();
        assertEquals(200, it.output(0).b[0] & 0xff);
    }
}
