package io.quanta.kernels.fp32;

import static io.quanta.testing.TestGraph.ins;
import static io.quanta.testing.TestGraph.iota;
import static io.quanta.testing.TestGraph.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.testing.TestGraph;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataMovementKernelsTest {
    private static final OpOptions NONE = new OpOptions.Empty("none");

    private static TensorValue runFloats(TestGraph g, float[] data) {
        Interpreter it = g.interpreter();
        System.arraycopy(data, 0, it.input(0).f, 0, data.length);
        it.invoke();
        return it.output(0);
    }

    private static TensorValue runInts(TestGraph g, int[] data) {
        Interpreter it = g.interpreter();
        System.arraycopy(data, 0, it.input(0).i, 0, data.length);
        it.invoke();
        return it.output(0);
    }

    private static int[] ints(TensorValue v) {
        return java.util.Arrays.copyOf(v.i, v.size());
    }

    private static int[] iotaInts(int n) {
        int[] r = new int[n];
        for (int k = 0; k < n; k++) {
            r[k] = k;
        }
        return r;
    }

    @Test
    void reshapeInfersTheMinusOneDimension() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 2, 3, 4);
        int s = g.constInts(shape(2), -1, 4);
        int y = g.output(DataType.FLOAT32, 6, 4);
        g.op(OpType.RESHAPE, new OpOptions.Reshape(null), ins(x, s), y);
        TensorValue out = runFloats(g, iota(24));
        assertArrayEquals(shape(6, 4), out.shape());
        assertArrayEquals(iota(24), out.floats());
    }

    @Test
    void reshapeUsesOptionsWithoutShapeTensorAndRejectsWrongCounts() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 2, 3);
        int y = g.output(DataType.FLOAT32, 3, 2);
        g.op(OpType.RESHAPE, new OpOptions.Reshape(new int[] {3, 2}), ins(x), y);
        assertArrayEquals(shape(3, 2), runFloats(g, iota(6)).shape());

        TestGraph bad = new TestGraph();
        int bx = bad.input(DataType.FLOAT32, 2, 3);
        int bs = bad.constInts(shape(2), 4, -1);
        bad.op(OpType.RESHAPE, NONE, ins(bx, bs), bad.output(DataType.FLOAT32, 4, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runFloats(bad, iota(6)));
        assertTrue(e.getMessage().contains("RESHAPE (node 0)"), e.getMessage());
    }

    /** Keras' Flatten: SHAPE -> STRIDED_SLICE(batch) -> PACK(batch, -1) -> RESHAPE, with a batch that changes. */
    @Test
    void reshapeFollowsAShapeComputedAtRunTime() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 1, 2, 2);
        int shapeOf = g.temp(DataType.INT32, 3);
        g.op(OpType.SHAPE, new OpOptions.Shape(DataType.INT32), ins(x), shapeOf);
        int batch = g.temp(DataType.INT32);
        g.op(
                OpType.STRIDED_SLICE,
                new OpOptions.StridedSlice(0, 0, 0, 0, 1, false),
                ins(shapeOf, g.constInts(shape(1), 0), g.constInts(shape(1), 1), g.constInts(shape(1), 1)),
                batch);
        int packed = g.temp(DataType.INT32, 2);
        g.op(OpType.PACK, new OpOptions.Pack(2, 0), ins(batch, g.constInts(shape(), -1)), packed);
        int y = g.output(DataType.FLOAT32, 1, 4);
        g.op(OpType.RESHAPE, NONE, ins(x, packed), y);
        Interpreter it = g.interpreter();
        it.input(0).resize(shape(3, 2, 2));
        System.arraycopy(iota(12), 0, it.input(0).f, 0, 12);
        it.invoke();
        assertArrayEquals(shape(3, 4), it.output(0).shape());
        assertArrayEquals(iota(12), it.output(0).floats());
        assertArrayEquals(new int[] {3, 2, 2}, ints(it.value(shapeOf)));
    }

    @Test
    void squeezeDropsListedOrAllUnitDimensions() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 1, 3, 1, 2);
        g.op(OpType.SQUEEZE, new OpOptions.Squeeze(new int[0]), ins(x), g.output(DataType.FLOAT32, 3, 2));
        assertArrayEquals(shape(3, 2), runFloats(g, iota(6)).shape());

        TestGraph h = new TestGraph();
        int hx = h.input(DataType.FLOAT32, 1, 3, 1, 2);
        h.op(OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {-2}), ins(hx), h.output(DataType.FLOAT32, 1, 3, 2));
        assertArrayEquals(shape(1, 3, 2), runFloats(h, iota(6)).shape());

        TestGraph bad = new TestGraph();
        int bx = bad.input(DataType.FLOAT32, 1, 3);
        bad.op(OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {1}), ins(bx), bad.output(DataType.FLOAT32, 1));
        assertThrows(IllegalArgumentException.class, () -> runFloats(bad, iota(3)));
    }

    @Test
    void expandDimsAcceptsNegativeAxes() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.INT32, 2, 3);
        g.op(OpType.EXPAND_DIMS, NONE, ins(x, g.constInts(shape(), -1)), g.output(DataType.INT32, 2, 3, 1));
        TensorValue out = runInts(g, iotaInts(6));
        assertArrayEquals(shape(2, 3, 1), out.shape());
        assertArrayEquals(iotaInts(6), ints(out));

        TestGraph h = new TestGraph();
        int hx = h.input(DataType.INT32, 2, 3);
        h.op(OpType.EXPAND_DIMS, NONE, ins(hx, h.constLongs(shape(1), 0)), h.output(DataType.INT32, 1, 2, 3));
        assertArrayEquals(shape(1, 2, 3), runInts(h, iotaInts(6)).shape());
    }

    private static TensorValue stridedSlice(
            int[] inShape, int[] begin, int[] end, int[] strides, OpOptions.StridedSlice o) {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.INT32, inShape);
        int n = begin.length;
        g.op(
                OpType.STRIDED_SLICE,
                o,
                ins(x, g.constInts(shape(n), begin), g.constInts(shape(n), end), g.constInts(shape(n), strides)),
                g.output(DataType.INT32, 1));
        int size = 1;
        for (int d : inShape) {
            size *= d;
        }
        return runInts(g, iotaInts(size));
    }

    private static OpOptions.StridedSlice masks(
            int begin, int end, int ellipsis, int newAxis, int shrink, boolean offset) {
        return new OpOptions.StridedSlice(begin, end, ellipsis, newAxis, shrink, offset);
    }

    @Test
    void stridedSliceHandlesNegativeIndicesAndStrides() {
        // x = [[0..3],[4..7],[8..11]]; x[1:3, -1:0:-1]
        TensorValue out = stridedSlice(
                shape(3, 4), new int[] {1, -1}, new int[] {3, 0}, new int[] {1, -1}, masks(0, 0, 0, 0, 0, false));
        assertArrayEquals(shape(2, 3), out.shape());
        assertArrayEquals(new int[] {7, 6, 5, 11, 10, 9}, ints(out));
        // x[::-1] of a vector, by masks
        TensorValue rev =
                stridedSlice(shape(5), new int[] {3}, new int[] {3}, new int[] {-1}, masks(1, 1, 0, 0, 0, false));
        assertArrayEquals(new int[] {4, 3, 2, 1, 0}, ints(rev));
        // x[::-2]
        TensorValue rev2 =
                stridedSlice(shape(5), new int[] {0}, new int[] {0}, new int[] {-2}, masks(1, 1, 0, 0, 0, false));
        assertArrayEquals(new int[] {4, 2, 0}, ints(rev2));
        // out-of-range begin/end clamp; an empty result is allowed
        TensorValue clamp =
                stridedSlice(shape(5), new int[] {-9}, new int[] {99}, new int[] {2}, masks(0, 0, 0, 0, 0, false));
        assertArrayEquals(new int[] {0, 2, 4}, ints(clamp));
        TensorValue empty =
                stridedSlice(shape(5), new int[] {3}, new int[] {1}, new int[] {1}, masks(0, 0, 0, 0, 0, false));
        assertArrayEquals(shape(0), empty.shape());
    }

    @Test
    void stridedSliceHonoursBeginEndAndShrinkMasks() {
        // begin_mask bit 0, end_mask bit 1: x[:1, 1:]
        TensorValue out = stridedSlice(
                shape(3, 4), new int[] {2, 1}, new int[] {1, 3}, new int[] {1, 1}, masks(1, 2, 0, 0, 0, false));
        assertArrayEquals(shape(1, 3), out.shape());
        assertArrayEquals(new int[] {1, 2, 3}, ints(out));
        // x[-1, ::2]: shrink bit 0
        TensorValue row = stridedSlice(
                shape(3, 4), new int[] {-1, 0}, new int[] {0, 4}, new int[] {1, 2}, masks(0, 0, 0, 0, 1, false));
        assertArrayEquals(shape(2), row.shape());
        assertArrayEquals(new int[] {8, 10}, ints(row));
        // A spec shorter than the rank takes the rest whole: x[1]
        TensorValue tail =
                stridedSlice(shape(3, 4), new int[] {1}, new int[] {2}, new int[] {1}, masks(0, 0, 0, 0, 1, false));
        assertArrayEquals(new int[] {4, 5, 6, 7}, ints(tail));
    }

    @Test
    void stridedSliceExpandsEllipsisAndNewAxes() {
        // x[..., 1:3] on [2,3,4]
        TensorValue out = stridedSlice(
                shape(2, 3, 4), new int[] {0, 1}, new int[] {0, 3}, new int[] {1, 1}, masks(0, 0, 1, 0, 0, false));
        assertArrayEquals(shape(2, 3, 2), out.shape());
        int[] expected = new int[12];
        for (int k = 0; k < 6; k++) {
            expected[2 * k] = 4 * k + 1;
            expected[2 * k + 1] = 4 * k + 2;
        }
        assertArrayEquals(expected, ints(out));
        // x[newaxis, 0:1] on [3,4]
        TensorValue nx = stridedSlice(
                shape(3, 4), new int[] {0, 0}, new int[] {0, 1}, new int[] {1, 1}, masks(0, 0, 0, 1, 0, false));
        assertArrayEquals(shape(1, 1, 4), nx.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3}, ints(nx));
        // x[1, ..., newaxis] on [2,3,4]: shrink, ellipsis, new axis
        TensorValue mix = stridedSlice(
                shape(2, 3, 4),
                new int[] {1, 0, 0},
                new int[] {2, 0, 0},
                new int[] {1, 1, 1},
                masks(0, 0, 2, 4, 1, false));
        assertArrayEquals(shape(3, 4, 1), mix.shape());
        assertEquals(12, ints(mix)[0]);
    }

    @Test
    void stridedSliceOffsetMakesEndRelativeToBegin() {
        TensorValue out = stridedSlice(
                shape(3, 4), new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, masks(0, 0, 0, 0, 0, true));
        assertArrayEquals(shape(2, 2), out.shape());
        assertArrayEquals(new int[] {5, 6, 9, 10}, ints(out));
    }

    @Test
    void stridedSliceTakesBeginFromARunTimeTensor() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 6);
        int begin = g.input(DataType.INT32, 1);
        g.op(
                OpType.STRIDED_SLICE,
                masks(0, 0, 0, 0, 0, false),
                ins(x, begin, g.constInts(shape(1), 6), g.constInts(shape(1), 2)),
                g.output(DataType.FLOAT32, 3));
        Interpreter it = g.interpreter();
        System.arraycopy(iota(6), 0, it.input(0).f, 0, 6);
        it.input(1).i[0] = 1;
        it.invoke();
        assertArrayEquals(new float[] {1, 3, 5}, it.output(0).floats());
        it.input(1).i[0] = -2;
        it.invoke();
        assertArrayEquals(new float[] {4}, it.output(0).floats());
    }

    @Test
    void sliceTakesSizeMinusOneAsToTheEnd() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 3, 4);
        g.op(
                OpType.SLICE,
                NONE,
                ins(x, g.constInts(shape(2), 1, 1), g.constInts(shape(2), -1, 2)),
                g.output(DataType.FLOAT32, 2, 2));
        TensorValue out = runFloats(g, iota(12));
        assertArrayEquals(new float[] {5, 6, 9, 10}, out.floats());

        TestGraph bad = new TestGraph();
        int bx = bad.input(DataType.FLOAT32, 3, 4);
        bad.op(
                OpType.SLICE,
                NONE,
                ins(bx, bad.constInts(shape(2), 2, 0), bad.constInts(shape(2), 2, 1)),
                bad.output(DataType.FLOAT32, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> runFloats(bad, iota(12)));
    }

    @Test
    void packStacksAlongANewAxis() {
        TestGraph g = new TestGraph();
        int a = g.input(DataType.FLOAT32, 2, 2);
        int b = g.constFloats(shape(2, 2), 10, 11, 12, 13);
        g.op(OpType.PACK, new OpOptions.Pack(2, -1), ins(a, b), g.output(DataType.FLOAT32, 2, 2, 2));
        TensorValue out = runFloats(g, iota(4));
        assertArrayEquals(shape(2, 2, 2), out.shape());
        assertArrayEquals(new float[] {0, 10, 1, 11, 2, 12, 3, 13}, out.floats());
    }

    @Test
    void gatherSelectsAlongAnAxisWithBatchDims() {
        TestGraph g = new TestGraph();
        int p = g.input(DataType.FLOAT32, 3, 2);
        g.op(
                OpType.GATHER,
                new OpOptions.Gather(0, 0),
                ins(p, g.constInts(shape(2), 2, 0)),
                g.output(DataType.FLOAT32, 2, 2));
        assertArrayEquals(new float[] {4, 5, 0, 1}, runFloats(g, iota(6)).floats());

        TestGraph h = new TestGraph();
        int hp = h.input(DataType.INT32, 2, 3);
        h.op(
                OpType.GATHER,
                new OpOptions.Gather(-1, 0),
                ins(hp, h.constLongs(shape(2, 2), 2, 2, 0, 1)),
                h.output(DataType.INT32, 2, 2, 2));
        TensorValue out = runInts(h, iotaInts(6));
        assertArrayEquals(shape(2, 2, 2), out.shape());
        assertArrayEquals(new int[] {2, 2, 0, 1, 5, 5, 3, 4}, ints(out));

        // batch_dims 1: each row of params picks with its own row of indices
        TestGraph b = new TestGraph();
        int bp = b.input(DataType.FLOAT32, 2, 3);
        b.op(
                OpType.GATHER,
                new OpOptions.Gather(1, 1),
                ins(bp, b.constInts(shape(2, 2), 2, 0, 1, 1)),
                b.output(DataType.FLOAT32, 2, 2));
        assertArrayEquals(new float[] {2, 0, 4, 4}, runFloats(b, iota(6)).floats());

        TestGraph bad = new TestGraph();
        int badP = bad.input(DataType.FLOAT32, 3);
        bad.op(
                OpType.GATHER,
                new OpOptions.Gather(0, 0),
                ins(badP, bad.constInts(shape(1), 3)),
                bad.output(DataType.FLOAT32, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runFloats(bad, iota(3)));
        assertTrue(e.getMessage().contains("index 3 is out of range"), e.getMessage());
    }

    @Test
    void gatherMovesQuantizedInt8Values() {
        TestGraph g = new TestGraph();
        int p = g.input(DataType.INT8, 4);
        g.quant(p, 0.5f, 3);
        int y = g.output(DataType.INT8, 2);
        g.quant(y, 0.5f, 3);
        g.op(OpType.GATHER, new OpOptions.Gather(0, 0), ins(p, g.constInts(shape(2), 3, 1)), y);
        Interpreter it = g.interpreter();
        byte[] data = {-7, 8, 9, -128};
        System.arraycopy(data, 0, it.input(0).b, 0, 4);
        it.invoke();
        assertEquals(-128, it.output(0).b[0]);
        assertEquals(8, it.output(0).b[1]);
    }

    @Test
    void transposeMatchesTheIndexDefinitionUpToRankSix() {
        Random rnd = new Random(7);
        int[] s = {2, 3, 1, 2, 3, 2};
        int[] perm = {4, 0, 5, 2, 1, 3};
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, s);
        int[] outShape = new int[6];
        for (int d = 0; d < 6; d++) {
            outShape[d] = s[perm[d]];
        }
        g.op(OpType.TRANSPOSE, NONE, ins(x, g.constInts(shape(6), perm)), g.output(DataType.FLOAT32, outShape));
        float[] data = new float[72];
        for (int k = 0; k < data.length; k++) {
            data[k] = rnd.nextFloat();
        }
        TensorValue out = runFloats(g, data);
        assertArrayEquals(outShape, out.shape());
        int[] inStrides = io.quanta.graph.Shapes.strides(s);
        int[] idx = new int[6];
        for (int o = 0; o < 72; o++) {
            int rem = o;
            for (int d = 5; d >= 0; d--) {
                idx[d] = rem % outShape[d];
                rem /= outShape[d];
            }
            int src = 0;
            for (int d = 0; d < 6; d++) {
                src += idx[d] * inStrides[perm[d]];
            }
            assertEquals(data[src], out.f[o]);
        }
    }

    @Test
    void splitCutsEqualPartsAlongANegativeAxis() {
        TestGraph g = new TestGraph();
        int axis = g.constInts(shape(), -1);
        int x = g.input(DataType.FLOAT32, 2, 4);
        int a = g.output(DataType.FLOAT32, 2, 2);
        int b = g.output(DataType.FLOAT32, 2, 2);
        g.op(OpType.SPLIT, new OpOptions.Split(2), ins(axis, x), a, b);
        Interpreter it = g.interpreter();
        System.arraycopy(iota(8), 0, it.input(0).f, 0, 8);
        it.invoke();
        assertArrayEquals(new float[] {0, 1, 4, 5}, it.output(0).floats());
        assertArrayEquals(new float[] {2, 3, 6, 7}, it.output(1).floats());
    }

    @Test
    void concatenationJoinsAndClampsWithTheFusedActivation() {
        TestGraph g = new TestGraph();
        int a = g.input(DataType.FLOAT32, 2, 1);
        int b = g.constFloats(shape(2, 2), -3, 4, 7, 8);
        g.op(
                OpType.CONCATENATION,
                new OpOptions.Concatenation(-1, Activation.RELU6),
                ins(a, b),
                g.output(DataType.FLOAT32, 2, 3));
        TensorValue out = runFloats(g, new float[] {-1, 5});
        assertArrayEquals(shape(2, 3), out.shape());
        assertArrayEquals(new float[] {0, 0, 4, 5, 6, 6}, out.floats());
    }

    @Test
    void padFillsWithZeroOrTheGivenValue() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 2, 2);
        g.op(
                OpType.PADV2,
                NONE,
                ins(x, g.constInts(shape(2, 2), 1, 0, 0, 1), g.constFloats(shape(), 9)),
                g.output(DataType.FLOAT32, 3, 3));
        assertArrayEquals(
                new float[] {9, 9, 9, 0, 1, 9, 2, 3, 9}, runFloats(g, iota(4)).floats());

        TestGraph q = new TestGraph();
        int qx = q.input(DataType.INT8, 2);
        q.quant(qx, 0.1f, -5);
        int qy = q.output(DataType.INT8, 4);
        q.quant(qy, 0.1f, -5);
        q.op(OpType.PAD, NONE, ins(qx, q.constInts(shape(1, 2), 1, 1)), qy);
        Interpreter it = q.interpreter();
        it.input(0).b[0] = 7;
        it.input(0).b[1] = 8;
        it.invoke();
        assertArrayEquals(new byte[] {-5, 7, 8, -5}, java.util.Arrays.copyOf(it.output(0).b, 4));
    }

    @Test
    void quantizedDataMovementRefusesDifferentQuantization() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.INT8, 2);
        g.quant(x, 0.1f, 0);
        int y = g.output(DataType.INT8, 2);
        g.quant(y, 0.2f, 0);
        g.op(OpType.RESHAPE, new OpOptions.Reshape(new int[] {2}), ins(x), y);
        io.quanta.kernels.UnsupportedOpException e =
                assertThrows(io.quanta.kernels.UnsupportedOpException.class, g::interpreter);
        assertTrue(e.getMessage().contains("RESHAPE (node 0)"), e.getMessage());
    }

    /** The definition, one element at a time: out[(o*B + b), s...] = in[b, s*block + off - pad] or 0. */
    private static float[] spaceToBatchByDefinition(float[] in, int[] s, int[] block, int[] pads, int[] outShape) {
        int batch = s[0];
        int depth = s[3];
        float[] out = new float[outShape[0] * outShape[1] * outShape[2] * depth];
        int k = 0;
        for (int ob = 0; ob < outShape[0]; ob++) {
            int b = ob % batch;
            int o = ob / batch;
            int offH = o / block[1];
            int offW = o % block[1];
            for (int h = 0; h < outShape[1]; h++) {
                for (int w = 0; w < outShape[2]; w++) {
                    for (int c = 0; c < depth; c++) {
                        int ih = h * block[0] + offH - pads[0];
                        int iw = w * block[1] + offW - pads[2];
                        boolean inside = ih >= 0 && ih < s[1] && iw >= 0 && iw < s[2];
                        out[k++] = inside ? in[((b * s[1] + ih) * s[2] + iw) * depth + c] : 0f;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void spaceToBatchAndBackMatchTheDefinition() {
        int[] s = {2, 5, 4, 3};
        int[] block = {2, 3};
        int[] pads = {1, 0, 1, 1};
        int[] mid = {2 * 6, 3, 2, 3};
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, s);
        int t = g.output(DataType.FLOAT32, mid);
        g.op(OpType.SPACE_TO_BATCH_ND, NONE, ins(x, g.constInts(shape(2), block), g.constInts(shape(2, 2), pads)), t);
        int y = g.output(DataType.FLOAT32, s);
        g.op(OpType.BATCH_TO_SPACE_ND, NONE, ins(t, g.constInts(shape(2), block), g.constInts(shape(2, 2), pads)), y);
        float[] data = iota(120);
        for (int k = 0; k < data.length; k++) {
            data[k] += 1; // no zeros in the input, so padding is visible
        }
        Interpreter it = g.interpreter();
        System.arraycopy(data, 0, it.input(0).f, 0, data.length);
        it.invoke();
        assertArrayEquals(mid, it.output(0).shape());
        assertArrayEquals(
                spaceToBatchByDefinition(data, s, block, pads, mid),
                it.output(0).floats());
        assertArrayEquals(s, it.output(1).shape());
        assertArrayEquals(data, it.output(1).floats());
    }
}
