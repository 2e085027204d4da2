package io.quanta.kernels.int8;

import static io.quanta.testing.TestGraph.q;
import static io.quanta.testing.TestGraph.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.pipeline.Pipeline;
import io.quanta.testing.TestGraph;
import org.junit.jupiter.api.Test;

/** Each int8 kernel on a small case worked out by hand (scales chosen so real values are exact). */
class Int8KernelsTest {

    @Test
    void conv2dPerChannel() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        // input real = 0.5 * (q - 1): q [3, 5] -> [1, 2]
        int in = g.int8Input(new int[] {1, 1, 2, 1}, q(0.5f, 1), 3, 5);
        // 1x1 filters: channel 0 real 2 (q 2, scale 1), channel 1 real 1 (q 4, scale 0.25)
        int w = g.constInt8(new int[] {2, 1, 1, 1}, QuantParams.perChannel(new float[] {1f, 0.25f}, 0), 2, 4);
        // bias real 1 on both: q = 1 / (0.5 * scale_c)
        int b = g.constInts(new int[] {2}, 2, 8);
        TensorValue out = g.run(
                OpType.CONV_2D,
                new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                new int[] {in, w, b},
                DataType.INT8,
                new int[] {1, 1, 2, 2},
                q(0.5f, 0));
        // real: pixel0 -> [3, 2], pixel1 -> [5, 3]; q = real / 0.5
        assertArrayEquals(new int[] {6, 4, 10, 6}, values(out));
        assertArrayEquals(new int[] {1, 1, 2, 2}, out.shape());
    }

    @Test
    void conv2dSamePaddingUsesZeroPointForPadding() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        // 3x3 input of real 1 everywhere (scale 1, zp -5 -> q -4); 3x3 filter of ones; SAME -> 3x3 output
        int in = g.int8Input(new int[] {1, 3, 3, 1}, q(1f, -5), -4, -4, -4, -4, -4, -4, -4, -4, -4);
        int w = g.constInt8(
                new int[] {1, 3, 3, 1}, QuantParams.perChannel(new float[] {1f}, 0), 1, 1, 1, 1, 1, 1, 1, 1, 1);
        TensorValue out = g.run(
                OpType.CONV_2D,
                new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.RELU6, 1, 1),
                new int[] {in, w, -1},
                DataType.INT8,
                new int[] {1, 3, 3, 1},
                q(1f, 0));
        // window sums: corners 4, edges 6 (clamped to 6 by RELU6), centre 9 -> 6
        assertArrayEquals(new int[] {4, 6, 4, 6, 6, 6, 4, 6, 4}, values(out));
    }

    @Test
    void depthwiseWithMultiplierAndRounding() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {1, 1, 1, 2}, q(1f, 0), 3, -5);
        // depth multiplier 2: out channels [c0*w0, c0*w1, c1*w2, c1*w3]
        int w = g.constInt8(
                new int[] {1, 1, 1, 4}, QuantParams.perChannel(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 3), 1, 2, 3, 1);
        TensorValue out = g.run(
                OpType.DEPTHWISE_CONV_2D,
                new OpOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 2, Activation.NONE, 1, 1),
                new int[] {in, w, -1},
                DataType.INT8,
                new int[] {1, 1, 1, 4},
                q(1f, 0));
        // real: 3*0.5=1.5 -> 2, 3*1=3, -5*1.5=-7.5, -5*0.5=-2.5. A multiplier of exactly 0.5 is only the
        // rounding high multiply, whose ties go up: -7.5 -> -7 and -2.5 -> -2 (as in TFLite).
        assertArrayEquals(new int[] {2, 3, -7, -2}, values(out));
    }

    @Test
    void fullyConnectedFoldsInputOffset() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {2, 3}, q(1f, 10), 11, 12, 13, 10, 10, 10); // real [1,2,3], [0,0,0]
        int w = g.constInt8(new int[] {2, 3}, q(1f, 0), 1, 1, 1, 1, -1, 2);
        int b = g.constInts(new int[] {2}, 100, -1);
        TensorValue out = g.run(
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                new int[] {in, w, b},
                DataType.INT8,
                new int[] {2, 2},
                q(2f, 0));
        // row0: [6 + 100, 5 - 1] / 2 = [53, 2]; row1: [100, -1] / 2 = [50, -0.5 -> 0 (tie rounds up)]
        assertArrayEquals(new int[] {53, 2, 50, 0}, values(out));
    }

    @Test
    void addRescalesBothInputs() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int a = g.int8Input(new int[] {1, 3}, q(0.5f, 0), 2, 4, -6); // [1, 2, -3]
        int b = g.int8Input(new int[] {1, 1}, q(0.25f, 4), 8); // [1] broadcast
        TensorValue out = g.run(
                OpType.ADD,
                new OpOptions.Arithmetic(Activation.NONE, false),
                new int[] {a, b},
                DataType.INT8,
                new int[] {1, 3},
                q(0.5f, -1));
        // [2, 3, -2] / 0.5 - 1
        assertArrayEquals(new int[] {3, 5, -5}, values(out));
    }

    @Test
    void subAndMul() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int a = g.int8Input(new int[] {2}, q(1f, 0), 5, -3);
        int b = g.int8Input(new int[] {2}, q(1f, 0), 2, 4);
        TensorValue sub = g.run(
                OpType.SUB,
                new OpOptions.Arithmetic(Activation.RELU, false),
                new int[] {a, b},
                DataType.INT8,
                new int[] {2},
                q(1f, 0));
        assertArrayEquals(new int[] {3, 0}, values(sub)); // [3, -7] then RELU

        TestGraph m = new TestGraph().using(Pipeline.quantizedKernels());
        int x = m.int8Input(new int[] {3}, q(0.5f, 0), 3, -3, 10);
        int y = m.int8Input(new int[] {3}, q(1f, 1), 2, 3, -127);
        TensorValue mul = m.run(
                OpType.MUL,
                new OpOptions.Arithmetic(Activation.NONE, false),
                new int[] {x, y},
                DataType.INT8,
                new int[] {3},
                q(1f, 0));
        // [1.5*1, -1.5*2, 5*-128] -> [2, -3, -640 clamped to -128]
        assertArrayEquals(new int[] {2, -3, -128}, values(mul));
    }

    @Test
    void averagePoolRoundsHalfAwayFromZeroOverClippedWindow() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {1, 2, 2, 1}, q(1f, 0), 1, 2, -3, -4);
        TensorValue avg = g.run(
                OpType.AVERAGE_POOL_2D,
                new OpOptions.Pool2D(Padding.SAME, 2, 2, 3, 3, Activation.NONE),
                new int[] {in},
                DataType.INT8,
                new int[] {1, 1, 1, 1},
                q(1f, 0));
        // SAME 3x3 window, stride 2 over 2x2: output 1x1, pad 0 before -> window covers all 4: -4/4 = -1
        assertArrayEquals(new int[] {-1}, values(avg));

        TestGraph g2 = new TestGraph().using(Pipeline.quantizedKernels());
        int in2 = g2.int8Input(new int[] {1, 1, 4, 1}, q(1f, 0), 1, 2, -3, -2);
        TensorValue avg2 = g2.run(
                OpType.AVERAGE_POOL_2D,
                new OpOptions.Pool2D(Padding.VALID, 2, 1, 2, 1, Activation.NONE),
                new int[] {in2},
                DataType.INT8,
                new int[] {1, 1, 2, 1},
                q(1f, 0));
        assertArrayEquals(new int[] {2, -3}, values(avg2)); // 1.5 -> 2, -2.5 -> -3

        TestGraph g3 = new TestGraph().using(Pipeline.quantizedKernels());
        int in3 = g3.int8Input(new int[] {1, 2, 2, 2}, q(1f, 0), 1, -7, 5, -8, -2, -9, 0, -6);
        TensorValue max = g3.run(
                OpType.MAX_POOL_2D,
                new OpOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE),
                new int[] {in3},
                DataType.INT8,
                new int[] {1, 1, 1, 2},
                q(1f, 0));
        assertArrayEquals(new int[] {5, -6}, values(max));
    }

    @Test
    void softmaxOfEqualLogitsIsUniform() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {1, 4}, q(0.1f, 0), 7, 7, 7, 7);
        TensorValue out = g.run(
                OpType.SOFTMAX,
                new OpOptions.Softmax(1f),
                new int[] {in},
                DataType.INT8,
                new int[] {1, 4},
                q(1f / 256, -128));
        // 0.25 * 256 = 64 -> 64 - 128
        assertArrayEquals(new int[] {-64, -64, -64, -64}, values(out));

        TestGraph g2 = new TestGraph().using(Pipeline.quantizedKernels());
        int in2 = g2.int8Input(new int[] {2}, q((float) Math.log(3), 0), 1, 0);
        TensorValue out2 = g2.run(
                OpType.SOFTMAX,
                new OpOptions.Softmax(1f),
                new int[] {in2},
                DataType.INT8,
                new int[] {2},
                q(1f / 256, -128));
        // e^ln3 : 1 -> [0.75, 0.25] -> [192, 64] - 128
        assertArrayEquals(new int[] {64, -64}, values(out2));
    }

    @Test
    void logisticAndTanhTables() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {3}, q(0.5f, 0), 0, 127, -128);
        TensorValue out = g.run(OpType.LOGISTIC, null, new int[] {in}, DataType.INT8, new int[] {3}, q(1f / 256, -128));
        // sigmoid(0) = 0.5 -> 128 - 128 = 0; sigmoid(63.5) ~ 1 -> 256 clamped 127; sigmoid(-64) ~ 0 -> -128
        assertArrayEquals(new int[] {0, 127, -128}, values(out));

        TestGraph t = new TestGraph().using(Pipeline.quantizedKernels());
        int tin = t.int8Input(new int[] {2}, q(0.01f, 0), 50, -50);
        TensorValue tout = t.run(OpType.TANH, null, new int[] {tin}, DataType.INT8, new int[] {2}, q(1f / 128, 0));
        // tanh(0.5) = 0.46212 * 128 = 59.15 -> 59
        assertArrayEquals(new int[] {59, -59}, values(tout));
    }

    @Test
    void reluFamilyRescalesAndClamps() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {4}, q(0.1f, 0), -50, 10, 70, 127);
        TensorValue out = g.run(OpType.RELU6, null, new int[] {in}, DataType.INT8, new int[] {4}, q(0.05f, -128));
        // real [-5, 1, 7, 12.7] -> relu6 [0, 1, 6, 6] -> q = r / 0.05 - 128
        assertArrayEquals(new int[] {-128, -108, -8, -8}, values(out));

        TestGraph l = new TestGraph().using(Pipeline.quantizedKernels());
        int lin = l.int8Input(new int[] {3}, q(1f, 0), -10, 0, 10);
        TensorValue lout = l.run(
                OpType.LEAKY_RELU,
                new OpOptions.LeakyRelu(0.25f),
                new int[] {lin},
                DataType.INT8,
                new int[] {3},
                q(0.5f, 0));
        assertArrayEquals(new int[] {-5, 0, 20}, values(lout));
    }

    @Test
    void hardSwishMatchesFloatWithinOneStep() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int[] qs = {-128, -60, -30, 0, 15, 30, 60, 127};
        int in = g.int8Input(new int[] {qs.length}, q(0.05f, 0), qs);
        TensorValue out =
                g.run(OpType.HARD_SWISH, null, new int[] {in}, DataType.INT8, new int[] {qs.length}, q(0.04f, -20));
        int[] got = values(out);
        for (int k = 0; k < qs.length; k++) {
            double x = 0.05 * qs[k];
            double hs = x * Math.min(Math.max(x + 3, 0), 6) / 6;
            double expected = Math.max(-128, Math.min(127, Math.round(hs / 0.04) - 20));
            assertEquals(expected, got[k], 1.0, "hard swish of " + x);
        }
        assertEquals(-20, got[3]); // hard_swish(0) = 0 exactly
    }

    @Test
    void meanGlobalPoolingAndGeneralAxis() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {1, 2, 2, 2}, q(1f, 0), 1, 10, 2, 20, 3, 30, 5, 41);
        int axes = g.constInts(new int[] {2}, 1, 2);
        TensorValue out = g.run(
                OpType.MEAN,
                new OpOptions.Reducer(true),
                new int[] {in, axes},
                DataType.INT8,
                new int[] {1, 1, 1, 2},
                q(0.5f, -3));
        // means [2.75, 25.25] -> /0.5 -> [5.5 -> 6, 50.5 -> 51] - 3
        assertArrayEquals(new int[] {3, 48}, values(out));

        TestGraph g2 = new TestGraph().using(Pipeline.quantizedKernels());
        int in2 = g2.int8Input(new int[] {2, 3}, q(1f, 2), 2, 4, 6, -4, -4, -5);
        int axis = g2.constInts(new int[] {1}, -1);
        TensorValue out2 = g2.run(
                OpType.MEAN,
                new OpOptions.Reducer(false),
                new int[] {in2, axis},
                DataType.INT8,
                new int[] {2},
                q(1f, 0));
        // real rows [0, 2, 4] -> 2; [-6, -6, -7] -> -6.33 -> -6
        assertArrayEquals(new int[] {2, -6}, values(out2));
        assertArrayEquals(new int[] {2}, out2.shape());
    }

    @Test
    void concatenationCopiesOrRequantizes() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int a = g.int8Input(new int[] {1, 2}, q(1f, 0), 1, 2);
        int b = g.int8Input(new int[] {1, 1}, q(2f, 1), 4); // real 6 -> q 6 at scale 1
        TensorValue out = g.run(
                OpType.CONCATENATION,
                new OpOptions.Concatenation(-1, Activation.NONE),
                new int[] {a, b},
                DataType.INT8,
                new int[] {1, 3},
                q(1f, 0));
        assertArrayEquals(new int[] {1, 2, 6}, values(out));
    }

    @Test
    void padUsesZeroPointAndPadV2ItsConstant() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {1, 2}, q(1f, -7), 1, 2);
        int pads = g.constInts(new int[] {2, 2}, 0, 0, 1, 2);
        TensorValue out = g.run(OpType.PAD, null, new int[] {in, pads}, DataType.INT8, new int[] {1, 5}, q(1f, -7));
        assertArrayEquals(new int[] {-7, 1, 2, -7, -7}, values(out));

        TestGraph g2 = new TestGraph().using(Pipeline.quantizedKernels());
        int in2 = g2.int8Input(new int[] {1, 1}, q(1f, 0), 5);
        int pads2 = g2.constInts(new int[] {2, 2}, 1, 0, 0, 1);
        int value = g2.constInt8(new int[] {1}, q(1f, 0), 9);
        TensorValue out2 =
                g2.run(OpType.PADV2, null, new int[] {in2, pads2, value}, DataType.INT8, new int[] {2, 2}, q(1f, 0));
        assertArrayEquals(new int[] {9, 9, 5, 9}, values(out2));
    }

    @Test
    void transposeAndReshape() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {2, 3}, q(1f, 0), 1, 2, 3, 4, 5, 6);
        int perm = g.constInts(new int[] {2}, 1, 0);
        TensorValue out =
                g.run(OpType.TRANSPOSE, null, new int[] {in, perm}, DataType.INT8, new int[] {3, 2}, q(1f, 0));
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, values(out));
        assertArrayEquals(new int[] {3, 2}, out.shape());

        TestGraph r = new TestGraph().using(Pipeline.quantizedKernels());
        int rin = r.int8Input(new int[] {2, 3}, q(1f, 0), 1, 2, 3, 4, 5, 6);
        TensorValue rout = r.run(OpType.RESHAPE, null, new int[] {rin}, DataType.INT8, new int[] {6}, q(1f, 0));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, values(rout));
    }

    @Test
    void resizeBilinearAndNearest() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {1, 1, 2, 1}, q(1f, 0), 0, 10);
        int size = g.constInts(new int[] {2}, 1, 4);
        TensorValue out = g.run(
                OpType.RESIZE_BILINEAR,
                new OpOptions.Resize(false, false),
                new int[] {in, size},
                DataType.INT8,
                new int[] {1, 1, 4, 1},
                q(1f, 0));
        // x positions 0, 0.5, 1, 1.5 (clamped): 0, 5, 10, 10
        assertArrayEquals(new int[] {0, 5, 10, 10}, values(out));

        TestGraph n = new TestGraph().using(Pipeline.quantizedKernels());
        int nin = n.int8Input(new int[] {1, 1, 2, 1}, q(1f, 0), 3, -4);
        int nsize = n.constInts(new int[] {2}, 1, 4);
        TensorValue nout = n.run(
                OpType.RESIZE_NEAREST_NEIGHBOR,
                new OpOptions.Resize(false, false),
                new int[] {nin, nsize},
                DataType.INT8,
                new int[] {1, 1, 4, 1},
                q(1f, 0));
        assertArrayEquals(new int[] {3, 3, -4, -4}, values(nout));
    }

    @Test
    void quantizeDequantizeAndRequantize() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.floatInput(new int[] {4}, 0.25f, -0.25f, 100f, 0.1f);
        TensorValue out = g.run(OpType.QUANTIZE, null, new int[] {in}, DataType.INT8, new int[] {4}, q(0.5f, 1));
        // 0.5 -> 1 (away from zero) + 1; -0.5 -> -1 + 1; 200 -> clamp; 0.2 -> 0 + 1
        assertArrayEquals(new int[] {2, 0, 127, 1}, values(out));

        TestGraph r = new TestGraph().using(Pipeline.quantizedKernels());
        int rin = r.int8Input(new int[] {3}, q(0.5f, 0), 3, -3, 100);
        TensorValue rout = r.run(OpType.QUANTIZE, null, new int[] {rin}, DataType.INT8, new int[] {3}, q(1f, 0));
        assertArrayEquals(new int[] {2, -1, 50}, values(rout)); // 1.5 -> 2, -1.5 -> -1 (ties round up)

        TestGraph d = new TestGraph().using(Pipeline.quantizedKernels());
        int din = d.int8Input(new int[] {2}, q(0.1f, -3), -3, 7);
        TensorValue dout = d.run(OpType.DEQUANTIZE, null, new int[] {din}, DataType.FLOAT32, new int[] {2}, null);
        assertEquals(0f, dout.f[0]);
        assertEquals((float) (0.1f * 10.0), dout.f[1]);
    }

    @Test
    void maximumMinimumBroadcast() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int a = g.int8Input(new int[] {2, 2}, q(1f, 0), 1, -5, 7, 0);
        int b = g.int8Input(new int[] {2}, q(1f, 0), 2, -6);
        TensorValue out = g.run(OpType.MAXIMUM, null, new int[] {a, b}, DataType.INT8, new int[] {2, 2}, q(1f, 0));
        assertArrayEquals(new int[] {2, -5, 7, 0}, values(out));
    }

    @Test
    void unsupportedVariantNamesOpAndTensor() {
        TestGraph g = new TestGraph().using(Pipeline.quantizedKernels());
        int in = g.int8Input(new int[] {1, 1, 1, 2}, q(1f, 0), 1, 2);
        int w = g.constInt8(new int[] {1, 1, 1, 3}, QuantParams.perChannel(new float[] {1f}, 0), 1, 2, 3);
        UnsupportedOpException e = assertThrows(
                UnsupportedOpException.class,
                () -> g.run(
                        OpType.CONV_2D,
                        new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                        new int[] {in, w, -1},
                        DataType.INT8,
                        new int[] {1, 1, 1, 1},
                        q(1f, 0)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("CONV_2D (node 0)"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("w1"), e.getMessage());
    }
}
