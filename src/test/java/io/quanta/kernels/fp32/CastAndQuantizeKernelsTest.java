package io.quanta.kernels.fp32;

import static io.quanta.testing.TestGraph.ins;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.DataType;
import io.quanta.graph.Half;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.QuantParams;
import io.quanta.interp.Interpreter;
import io.quanta.testing.TestGraph;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CastAndQuantizeKernelsTest {
    private static final OpOptions NONE = new OpOptions.Empty("none");

    private static Interpreter unary(
            OpType type,
            OpOptions options,
            DataType in,
            DataType out,
            int n,
            QuantParams inQuant,
            QuantParams outQuant) {
        TestGraph g = new TestGraph();
        int x = g.input(in, n);
        int y = g.output(out, n);
        g.tensors.get(x).quant(inQuant);
        g.tensors.get(y).quant(outQuant);
        g.op(type, options, ins(x), y);
        return g.interpreter();
    }

    @Test
    void floatToIntegerCastsTruncateAndWrapLikeStaticCast() {
        float[] x = {-1.7f, 2.9f, 300f, -1f, 0.4f};
        Interpreter toInt = unary(OpType.CAST, NONE, DataType.FLOAT32, DataType.INT32, 5, null, null);
        System.arraycopy(x, 0, toInt.input(0).f, 0, 5);
        toInt.invoke();
        assertArrayEquals(new int[] {-1, 2, 300, -1, 0}, Arrays.copyOf(toInt.output(0).i, 5));

        Interpreter toU8 = unary(OpType.CAST, NONE, DataType.FLOAT32, DataType.UINT8, 5, null, null);
        System.arraycopy(x, 0, toU8.input(0).f, 0, 5);
        toU8.invoke();
        int[] u8 = new int[5];
        for (int k = 0; k < 5; k++) {
            u8[k] = toU8.output(0).b[k] & 0xff;
        }
        assertArrayEquals(new int[] {255, 2, 44, 255, 0}, u8);

        Interpreter toBool = unary(OpType.CAST, NONE, DataType.FLOAT32, DataType.BOOL, 5, null, null);
        System.arraycopy(x, 0, toBool.input(0).f, 0, 5);
        toBool.invoke();
        assertArrayEquals(new byte[] {1, 1, 1, 1, 1}, Arrays.copyOf(toBool.output(0).b, 5));
    }

    @Test
    void integerCastsWidenUnsignedAndNarrowByWrapping() {
        Interpreter u8 = unary(OpType.CAST, NONE, DataType.UINT8, DataType.FLOAT32, 3, null, null);
        u8.input(0).b[0] = (byte) 255;
        u8.input(0).b[1] = 0;
        u8.input(0).b[2] = (byte) 128;
        u8.invoke();
        assertArrayEquals(new float[] {255, 0, 128}, u8.output(0).floats());

        Interpreter narrow = unary(OpType.CAST, NONE, DataType.INT64, DataType.INT32, 2, null, null);
        narrow.input(0).l[0] = (1L << 32) + 5;
        narrow.input(0).l[1] = -3;
        narrow.invoke();
        assertArrayEquals(new int[] {5, -3}, Arrays.copyOf(narrow.output(0).i, 2));

        Interpreter fromBool = unary(OpType.CAST, NONE, DataType.BOOL, DataType.FLOAT32, 2, null, null);
        fromBool.input(0).b[0] = 1;
        fromBool.invoke();
        assertArrayEquals(new float[] {1, 0}, fromBool.output(0).floats());

        Interpreter toI8 = unary(OpType.CAST, NONE, DataType.INT32, DataType.INT8, 2, null, null);
        toI8.input(0).i[0] = 200;
        toI8.input(0).i[1] = -129;
        toI8.invoke();
        assertArrayEquals(new byte[] {-56, 127}, Arrays.copyOf(toI8.output(0).b, 2));
    }

    @Test
    void quantizeRoundsHalfAwayFromZeroAndClamps() {
        float[] x = {0.25f, -0.25f, 1.25f, -1.25f, 100f, -100f, 0f};
        Interpreter q =
                unary(OpType.QUANTIZE, NONE, DataType.FLOAT32, DataType.INT8, 7, null, QuantParams.perTensor(0.5f, -1));
        System.arraycopy(x, 0, q.input(0).f, 0, 7);
        q.invoke();
        // x / 0.5 = 0.5, -0.5, 2.5, -2.5 -> 1, -1, 3, -3; then + zero point -1
        assertArrayEquals(new byte[] {0, -2, 2, -4, 127, -128, -1}, Arrays.copyOf(q.output(0).b, 7));

        Interpreter u = unary(
                OpType.QUANTIZE, NONE, DataType.FLOAT32, DataType.UINT8, 2, null, QuantParams.perTensor(0.1f, 128));
        u.input(0).f[0] = -20f;
        u.input(0).f[1] = 1f;
        u.invoke();
        assertEquals(0, u.output(0).b[0] & 0xff);
        assertEquals(138, u.output(0).b[1] & 0xff);
    }

    @Test
    void requantizeInt8ToInt8UsesTheFixedPointMultiplier() {
        Interpreter q = unary(
                OpType.QUANTIZE,
                NONE,
                DataType.INT8,
                DataType.INT8,
                5,
                QuantParams.perTensor(0.5f, 2),
                QuantParams.perTensor(0.25f, -3));
        byte[] x = {2, 3, -128, 127, 60};
        System.arraycopy(x, 0, q.input(0).b, 0, 5);
        q.invoke();
        // real = 0.5 (q - 2); out = real / 0.25 - 3 = 2 (q - 2) - 3, clamped
        assertArrayEquals(new byte[] {-3, -1, -128, 127, 113}, Arrays.copyOf(q.output(0).b, 5));
    }

    @Test
    void dequantizePerTensorPerChannelAndHalf() {
        Interpreter d = unary(
                OpType.DEQUANTIZE, NONE, DataType.UINT8, DataType.FLOAT32, 2, QuantParams.perTensor(0.5f, 128), null);
        d.input(0).b[0] = (byte) 130;
        d.input(0).b[1] = 0;
        d.invoke();
        assertArrayEquals(new float[] {1f, -64f}, d.output(0).floats());

        TestGraph g = new TestGraph();
        int x = g.input(DataType.INT8, 2, 3);
        g.tensors.get(x).quant(new QuantParams(new float[] {0.5f, 2f}, new long[] {0, 1}, 0, null, null));
        g.op(OpType.DEQUANTIZE, NONE, ins(x), g.output(DataType.FLOAT32, 2, 3));
        Interpreter pc = g.interpreter();
        byte[] data = {1, 2, 3, 1, 2, 3};
        System.arraycopy(data, 0, pc.input(0).b, 0, 6);
        pc.invoke();
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 0f, 2f, 4f}, pc.output(0).floats());

        Interpreter h = unary(OpType.DEQUANTIZE, NONE, DataType.FLOAT16, DataType.FLOAT32, 2, null, null);
        h.input(0).s[0] = Half.fromFloat(1.5f);
        h.input(0).s[1] = Half.fromFloat(-0.099975586f);
        h.invoke();
        assertArrayEquals(new float[] {1.5f, -0.099975586f}, h.output(0).floats());
    }

    @Test
    void shapeReportsInt64WhenAsked() {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, 2, 5);
        g.op(OpType.SHAPE, new OpOptions.Shape(DataType.INT64), ins(x), g.output(DataType.INT64, 2));
        Interpreter it = g.interpreter();
        it.input(0).resize(new int[] {4, 1, 3});
        it.invoke();
        assertArrayEquals(new long[] {4, 1, 3}, Arrays.copyOf(it.output(0).l, 3));
    }
}
