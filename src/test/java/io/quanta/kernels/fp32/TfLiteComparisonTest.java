package io.quanta.kernels.fp32;

import static io.quanta.testing.SingleOpModels.Spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.graph.TensorData;
import io.quanta.kernels.SlidingWindow;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.TestGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each float compute kernel against the real TFLite 2.21 runtime on one-op models. */
class TfLiteComparisonTest {
    private static final Spec NONE = null;

    private static float[] rand(Random r, int n, float lo, float hi) {
        return TestGraph.random(r, n, lo, hi);
    }

    private static int n(int... shape) {
        return TestGraph.size(shape);
    }

    private static Spec in(int... shape) {
        return Spec.of(DataType.FLOAT32, shape);
    }

    private static Arguments single(String name, OpType type, OpOptions o, List<Spec> ins, int... outShape) {
        return Arguments.of(name, SingleOpModels.single(type, o, ins, List.of(in(outShape))));
    }

    private static Arguments conv(
            Random r, int h, int w, int c, int k, int oc, Padding p, int s, int d, Activation a, boolean bias) {
        int oh = SlidingWindow.outputSize(p, h, k, s, d);
        int ow = SlidingWindow.outputSize(p, w, k, s, d);
        List<Spec> ins = new ArrayList<>(List.of(
                in(2, h, w, c), Spec.floats(new int[] {oc, k, k, c}, rand(r, n(oc, k, k, c), -1, 1))));
        ins.add(bias ? Spec.floats(new int[] {oc}, rand(r, oc, -1, 1)) : NONE);
        return single(
                "CONV_2D " + h + "x" + w + "x" + c + " k" + k + " oc" + oc + " " + p + " s" + s + " d" + d + " " + a
                        + (bias ? "" : " no-bias"),
                OpType.CONV_2D,
                new OpOptions.Conv2D(p, s, s, a, d, d),
                ins,
                2,
                oh,
                ow,
                oc);
    }

    private static Arguments depthwise(
            Random r, int h, int w, int c, int k, int m, Padding p, int s, int d, Activation a) {
        int oc = c * m;
        return single(
                "DEPTHWISE_CONV_2D " + h + "x" + w + "x" + c + " k" + k + " m" + m + " " + p + " s" + s + " d" + d,
                OpType.DEPTHWISE_CONV_2D,
                new OpOptions.DepthwiseConv2D(p, s, s, m, a, d, d),
                List.of(
                        in(1, h, w, c),
                        Spec.floats(new int[] {1, k, k, oc}, rand(r, n(k, k, oc), -1, 1)),
                        Spec.floats(new int[] {oc}, rand(r, oc, -1, 1))),
                1,
                SlidingWindow.outputSize(p, h, k, s, d),
                SlidingWindow.outputSize(p, w, k, s, d),
                oc);
    }

    private static Arguments binary(OpType t, int[] a, int[] b, int[] out, Activation act) {
        boolean fused = t == OpType.ADD || t == OpType.SUB || t == OpType.MUL || t == OpType.DIV;
        return single(
                t + " " + Arrays.toString(a) + " " + Arrays.toString(b) + (fused ? " " + act : ""),
                t,
                fused ? new OpOptions.Arithmetic(act, false) : null,
                List.of(in(a), in(b)),
                out);
    }

    private static Arguments unary(OpType t, OpOptions o) {
        return single(t.name(), t, o, List.of(in(2, 5, 7)), 2, 5, 7);
    }

    static Stream<Arguments> cases() {
        Random r = new Random(2024);
        List<Arguments> c = new ArrayList<>();
        c.add(conv(r, 9, 9, 3, 3, 8, Padding.SAME, 2, 1, Activation.RELU6, true));
        c.add(conv(r, 8, 7, 4, 3, 5, Padding.SAME, 1, 1, Activation.NONE, true)); // TFLite 2.21 requires a conv bias
        c.add(conv(r, 10, 11, 3, 3, 4, Padding.VALID, 2, 1, Activation.RELU, true));
        c.add(conv(r, 10, 11, 3, 3, 4, Padding.SAME, 1, 2, Activation.NONE, true));
        c.add(conv(r, 12, 10, 2, 3, 4, Padding.VALID, 1, 2, Activation.RELU_N1_TO_1, true));
        c.add(conv(r, 7, 7, 32, 1, 24, Padding.SAME, 1, 1, Activation.RELU6, true));
        c.add(conv(r, 6, 5, 16, 5, 9, Padding.SAME, 3, 1, Activation.NONE, true));
        c.add(depthwise(r, 9, 9, 8, 3, 1, Padding.SAME, 1, 1, Activation.RELU6));
        c.add(depthwise(r, 9, 8, 8, 3, 1, Padding.SAME, 2, 1, Activation.NONE));
        c.add(depthwise(r, 9, 8, 3, 3, 2, Padding.VALID, 1, 1, Activation.RELU));
        c.add(depthwise(r, 11, 10, 4, 3, 1, Padding.SAME, 1, 2, Activation.NONE));
        // 512-bit paths: 8-column pairs (odd pixel count), 32- and 16-column blocks with a scalar tail, 8-channel
        // depthwise pairs with an odd interior, 16-channel vectors with a tail
        c.add(conv(r, 11, 9, 3, 3, 8, Padding.SAME, 1, 1, Activation.RELU, true));
        c.add(conv(r, 5, 7, 20, 1, 57, Padding.VALID, 1, 1, Activation.RELU6, true));
        c.add(conv(r, 6, 5, 12, 3, 24, Padding.SAME, 2, 1, Activation.NONE, true));
        c.add(depthwise(r, 10, 11, 8, 3, 1, Padding.SAME, 1, 1, Activation.RELU));
        c.add(depthwise(r, 9, 12, 40, 3, 1, Padding.SAME, 2, 1, Activation.RELU6));
        c.add(depthwise(r, 8, 9, 24, 3, 1, Padding.VALID, 1, 2, Activation.NONE));
        c.add(single(
                "FULLY_CONNECTED [3,20] -> 7 relu",
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.RELU, 0, false, false),
                List.of(
                        in(3, 20),
                        Spec.floats(new int[] {7, 20}, rand(r, 140, -1, 1)),
                        Spec.floats(new int[] {7}, rand(r, 7, -1, 1))),
                3,
                7));
        c.add(single(
                "FULLY_CONNECTED [2,3,8] keep_num_dims no-bias",
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, true, false),
                Arrays.asList(in(2, 3, 8), Spec.floats(new int[] {5, 8}, rand(r, 40, -1, 1)), NONE),
                2,
                3,
                5));
        c.add(single(
                "FULLY_CONNECTED [2,2,2,6] flattened",
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.RELU6, 0, false, false),
                List.of(
                        in(2, 2, 2, 6),
                        Spec.floats(new int[] {4, 6}, rand(r, 24, -1, 1)),
                        Spec.floats(new int[] {4}, rand(r, 4, -1, 1))),
                4,
                4));
        c.add(single(
                "TRANSPOSE_CONV SAME s2",
                OpType.TRANSPOSE_CONV,
                new OpOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE),
                List.of(
                        Spec.ints(new int[] {4}, 1, 8, 10, 5),
                        Spec.floats(new int[] {5, 3, 3, 4}, rand(r, 180, -1, 1)),
                        in(1, 4, 5, 4),
                        Spec.floats(new int[] {5}, rand(r, 5, -1, 1))),
                1,
                8,
                10,
                5));
        c.add(single(
                "TRANSPOSE_CONV VALID s2 no-bias",
                OpType.TRANSPOSE_CONV,
                new OpOptions.TransposeConv(Padding.VALID, 2, 2, Activation.NONE),
                Arrays.asList(
                        Spec.ints(new int[] {4}, 1, 9, 11, 3),
                        Spec.floats(new int[] {3, 3, 3, 2}, rand(r, 54, -1, 1)),
                        in(1, 4, 5, 2),
                        NONE),
                1,
                9,
                11,
                3));
        c.add(single(
                "AVERAGE_POOL_2D 3x3 s2 SAME",
                OpType.AVERAGE_POOL_2D,
                new OpOptions.Pool2D(Padding.SAME, 2, 2, 3, 3, Activation.NONE),
                List.of(in(1, 9, 8, 5)),
                1,
                5,
                4,
                5));
        c.add(single(
                "AVERAGE_POOL_2D 2x3 s1 VALID relu",
                OpType.AVERAGE_POOL_2D,
                new OpOptions.Pool2D(Padding.VALID, 1, 1, 3, 2, Activation.RELU),
                List.of(in(2, 5, 6, 3)),
                2,
                4,
                4,
                3));
        c.add(single(
                "MAX_POOL_2D 3x3 s2 SAME",
                OpType.MAX_POOL_2D,
                new OpOptions.Pool2D(Padding.SAME, 2, 2, 3, 3, Activation.NONE),
                List.of(in(1, 9, 8, 5)),
                1,
                5,
                4,
                5));
        c.add(single(
                "MAX_POOL_2D 2x2 s2 VALID relu6",
                OpType.MAX_POOL_2D,
                new OpOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.RELU6),
                List.of(in(1, 7, 8, 3)),
                1,
                3,
                4,
                3));
        c.add(binary(OpType.ADD, new int[] {2, 3, 4}, new int[] {2, 3, 4}, new int[] {2, 3, 4}, Activation.RELU));
        c.add(binary(
                OpType.ADD, new int[] {1, 5, 1, 3}, new int[] {2, 1, 4, 1}, new int[] {2, 5, 4, 3}, Activation.NONE));
        c.add(binary(OpType.SUB, new int[] {3, 1}, new int[] {1, 4}, new int[] {3, 4}, Activation.RELU6));
        c.add(binary(
                OpType.MUL,
                new int[] {2, 1, 3, 1, 2, 2},
                new int[] {1, 4, 1, 5, 1, 2},
                new int[] {2, 4, 3, 5, 2, 2},
                Activation.NONE));
        c.add(binary(OpType.MUL, new int[] {4, 3}, new int[] {3}, new int[] {4, 3}, Activation.RELU_N1_TO_1));
        c.add(binary(OpType.DIV, new int[] {2, 3, 4}, new int[] {1, 3, 1}, new int[] {2, 3, 4}, Activation.NONE));
        c.add(binary(OpType.MAXIMUM, new int[] {2, 3}, new int[] {3}, new int[] {2, 3}, Activation.NONE));
        c.add(binary(OpType.MINIMUM, new int[] {2, 1, 3}, new int[] {4, 1}, new int[] {2, 4, 3}, Activation.NONE));
        c.add(binary(OpType.SQUARED_DIFFERENCE, new int[] {3, 4}, new int[] {3, 1}, new int[] {3, 4}, Activation.NONE));
        c.add(binary(OpType.FLOOR_MOD, new int[] {2, 5}, new int[] {5}, new int[] {2, 5}, Activation.NONE));
        for (OpType t : List.of(
                OpType.LOGISTIC,
                OpType.TANH,
                OpType.RELU,
                OpType.RELU_N1_TO_1,
                OpType.RELU6,
                OpType.HARD_SWISH,
                OpType.EXP,
                OpType.LOG,
                OpType.SQRT,
                OpType.RSQRT,
                OpType.LOG_SOFTMAX)) {
            c.add(unary(t, null));
        }
        c.add(unary(OpType.LEAKY_RELU, new OpOptions.LeakyRelu(0.3f)));
        c.add(unary(OpType.SOFTMAX, new OpOptions.Softmax(1.0f)));
        c.add(single(
                "SOFTMAX beta 0.7 rank 2", OpType.SOFTMAX, new OpOptions.Softmax(0.7f), List.of(in(3, 11)), 3, 11));
        c.add(unary(OpType.L2_NORMALIZATION, new OpOptions.L2Norm(Activation.NONE)));
        c.add(single(
                "BATCH_MATMUL [2,3,4]x[2,4,5]",
                OpType.BATCH_MATMUL,
                new OpOptions.BatchMatMul(false, false, false),
                List.of(in(2, 3, 4), in(2, 4, 5)),
                2,
                3,
                5));
        c.add(single(
                "BATCH_MATMUL adj_x adj_y broadcast",
                OpType.BATCH_MATMUL,
                new OpOptions.BatchMatMul(true, true, false),
                List.of(in(2, 1, 4, 3), in(1, 3, 2, 4)),
                2,
                3,
                3,
                2));
        c.add(single(
                "BATCH_MATMUL const rhs",
                OpType.BATCH_MATMUL,
                new OpOptions.BatchMatMul(false, false, false),
                List.of(in(2, 3, 6), Spec.floats(new int[] {6, 4}, rand(r, 24, -1, 1))),
                2,
                3,
                4));
        boolean[][] flags = {{false, false}, {true, false}, {false, true}};
        for (boolean[] f : flags) {
            for (OpType t : List.of(OpType.RESIZE_BILINEAR, OpType.RESIZE_NEAREST_NEIGHBOR)) {
                c.add(single(
                        t + " 5x7 -> 9x4 align=" + f[0] + " half=" + f[1],
                        t,
                        new OpOptions.Resize(f[0], f[1]),
                        List.of(in(1, 5, 7, 3), Spec.ints(new int[] {2}, 9, 4)),
                        1,
                        9,
                        4,
                        3));
            }
        }
        c.add(single(
                "RESIZE_BILINEAR 2x upscale",
                OpType.RESIZE_BILINEAR,
                new OpOptions.Resize(false, false),
                List.of(in(1, 4, 5, 3), Spec.ints(new int[] {2}, 8, 10)),
                1,
                8,
                10,
                3));
        // 8-column products over wide rows (16-row shuffled tiles) and 3x3 depthwise edges from padded copies
        c.add(conv(r, 5, 44, 3, 3, 8, Padding.SAME, 2, 1, Activation.RELU6, true));
        c.add(depthwise(r, 6, 21, 8, 3, 1, Padding.SAME, 1, 1, Activation.RELU6));
        c.add(depthwise(r, 7, 9, 32, 3, 1, Padding.SAME, 2, 1, Activation.NONE));
        return c.stream();
    }

    /** Asserts max |quanta - tflite| <= 1e-5 * max(1, max |tflite|) and reports the error. */
    static double compare(String label, Model model, List<byte[]> inputs, double tolerance) {
        SingleOpModels.Outputs out = SingleOpModels.run(model, FloatKernels.registry(), inputs);
        assertArrayEquals(out.tfliteShapes().get(0), out.quantaShapes().get(0), label + ": output shape");
        float[] ref = out.tfliteFloats(0);
        float[] got = out.quantaFloats(0);
        assertEquals(ref.length, got.length);
        double scale = 1;
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            worst = Math.max(worst, Math.abs((double) ref[i] - got[i]));
        }
        System.out.printf("vs TFLite %-60s max abs diff %.3g (scale %.3g)%n", label, worst, scale);
        assertTrue(worst <= tolerance * scale, label + ": max abs diff " + worst + " > " + tolerance * scale);
        return worst;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTfLite(String name, Model model) {
        List<byte[]> inputs = SingleOpModels.randomInputs(model, 11);
        // Keep LOG/SQRT/RSQRT inputs positive and divisors away from zero, as real models do.
        var op = model.mainGraph().operators().get(0).type();
        if (op == OpType.LOG || op == OpType.SQRT || op == OpType.RSQRT || op == OpType.DIV || op == OpType.FLOOR_MOD) {
            int last = inputs.size() - 1;
            float[] v = TensorData.floats(inputs.get(last));
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.abs(v[i]) + 0.1f;
            }
            inputs.set(last, TensorData.of(v));
        }
        compare(name, model, inputs, 1e-5);
    }

    static Stream<Arguments> int32Cases() {
        return Stream.of(OpType.ADD, OpType.SUB, OpType.MUL, OpType.MAXIMUM, OpType.MINIMUM, OpType.FLOOR_MOD)
                .map(t -> Arguments.of(t));
    }

    @ParameterizedTest(name = "int32 {0}")
    @MethodSource("int32Cases")
    void int32MatchesTfLite(OpType t) {
        boolean fused = t == OpType.ADD || t == OpType.SUB || t == OpType.MUL;
        Model m = SingleOpModels.single(
                t,
                fused ? new OpOptions.Arithmetic(Activation.NONE, false) : null,
                List.of(Spec.of(DataType.INT32, 2, 3, 4), Spec.of(DataType.INT32, 3, 1)),
                List.of(Spec.of(DataType.INT32, 2, 3, 4)));
        Random r = new Random(5);
        int[] a = r.ints(24, -50, 50).toArray();
        int[] b = r.ints(3, -9, 9).map(v -> v == 0 ? 4 : v).toArray();
        SingleOpModels.Outputs out =
                SingleOpModels.run(m, FloatKernels.registry(), List.of(TensorData.of(a), TensorData.of(b)));
        assertArrayEquals(out.tflite(0), out.quanta(0), t + " int32 differs from TFLite");
    }

    static Stream<Arguments> hybridCases() {
        Random r = new Random(77);
        List<Arguments> c = new ArrayList<>();
        for (boolean perChannel : new boolean[] {false, true}) {
            for (int stride : new int[] {1, 2}) {
                int oc = 6, k = 3, ch = 4;
                byte[] w = new byte[oc * k * k * ch];
                r.nextBytes(w);
                float[] scales = rand(r, oc, 0.001f, 0.02f);
                QuantParams q = perChannel ? QuantParams.perChannel(scales, 0) : QuantParams.perTensor(scales[0], 0);
                Padding p = stride == 1 ? Padding.SAME : Padding.VALID;
                int oh = SlidingWindow.outputSize(p, 9, k, stride, 1);
                int ow = SlidingWindow.outputSize(p, 8, k, stride, 1);
                c.add(single(
                        "hybrid CONV_2D perChannel=" + perChannel + " " + p + " s" + stride,
                        OpType.CONV_2D,
                        new OpOptions.Conv2D(p, stride, stride, Activation.RELU, 1, 1),
                        List.of(
                                in(2, 9, 8, ch),
                                Spec.int8s(new int[] {oc, k, k, ch}, w).quant(q),
                                Spec.floats(new int[] {oc}, rand(r, oc, -0.5f, 0.5f))),
                        2,
                        oh,
                        ow,
                        oc));
            }
        }
        c.add(single(
                "hybrid CONV_2D 1x1 per-channel",
                OpType.CONV_2D,
                new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1),
                List.of(
                        in(1, 5, 5, 16),
                        Spec.int8s(new int[] {8, 1, 1, 16}, bytes(r, 128))
                                .quant(QuantParams.perChannel(rand(r, 8, 0.001f, 0.02f), 0)),
                        Spec.floats(new int[] {8}, rand(r, 8, -0.5f, 0.5f))),
                1,
                5,
                5,
                8));
        for (boolean asymmetric : new boolean[] {false, true}) {
            for (boolean perChannel : new boolean[] {false, true}) {
                QuantParams q = perChannel
                        ? QuantParams.perChannel(rand(r, 7, 0.001f, 0.02f), 0)
                        : QuantParams.perTensor(0.01f, 0);
                c.add(single(
                        "hybrid FULLY_CONNECTED asymmetric=" + asymmetric + " perChannel=" + perChannel,
                        OpType.FULLY_CONNECTED,
                        new OpOptions.FullyConnected(Activation.NONE, 0, false, asymmetric),
                        List.of(
                                in(3, 20),
                                Spec.int8s(new int[] {7, 20}, bytes(r, 140)).quant(q),
                                Spec.floats(new int[] {7}, rand(r, 7, -0.5f, 0.5f))),
                        3,
                        7));
            }
        }
        return c.stream();
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Hybrid kernels quantize the input on the fly: TFLite's exact rounding must be reproduced. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hybridCases")
    void hybridMatchesTfLite(String name, Model model) {
        List<byte[]> inputs = SingleOpModels.randomInputs(model, 19);
        float[] x = TensorData.floats(inputs.get(0));
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * 3 + 0.7f; // an off-centre range, so the asymmetric zero point is not trivial
        }
        inputs.set(0, TensorData.of(x));
        compare(name, model, inputs, 1e-5);
    }
}
