package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.SingleOpModels.Spec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every int8 kernel, one op at a time, written as a real .tflite file and run in TFLite 2.21 and in Quanta
 * on seeded random int8 inputs: outputs must be identical byte for byte.
 */
class Int8VsTfLiteTest {
    private static final Random WEIGHTS = new Random(1234);

    private static Spec act(float scale, int zeroPoint, int... shape) {
        return Spec.of(DataType.INT8, shape).quant(scale, zeroPoint);
    }

    private static Spec randomWeights(int[] shape, float[] scales, int axis) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        byte[] w = new byte[n];
        for (int k = 0; k < n; k++) {
            w[k] = (byte) (WEIGHTS.nextInt(255) - 127);
        }
        QuantParams q = scales.length == 1 ? QuantParams.perTensor(scales[0], 0) : QuantParams.perChannel(scales, axis);
        return Spec.int8s(shape, w).quant(q);
    }

    private static float[] scales(int n, float base) {
        float[] s = new float[n];
        for (int k = 0; k < n; k++) {
            s[k] = base * (0.5f + WEIGHTS.nextFloat());
        }
        return s;
    }

    private static Spec randomBias(int n, int range) {
        int[] b = new int[n];
        for (int k = 0; k < n; k++) {
            b[k] = WEIGHTS.nextInt(2 * range + 1) - range;
        }
        return Spec.ints(new int[] {n}, b);
    }

    /** Runs a few seeds and asserts byte equality of every output. */
    private static void agree(String what, Model model) {
        for (long seed = 1; seed <= 5; seed++) {
            SingleOpModels.Outputs out = SingleOpModels.run(
                    model,
                    FloatKernels.registry().with(Int8Kernels.registry()),
                    SingleOpModels.randomInputs(model, seed));
            for (int o = 0; o < out.tfliteOutputs().size(); o++) {
                byte[] e = out.tflite(o);
                byte[] g = out.quanta(o);
                assertArrayEquals(out.tfliteShapes().get(o), out.quantaShapes().get(o), what + ": shape");
                assertEquals(e.length, g.length, what + ": size");
                int same = 0;
                int worst = 0;
                for (int k = 0; k < e.length; k++) {
                    same += e[k] == g[k] ? 1 : 0;
                    worst = Math.max(worst, Math.abs(e[k] - g[k]));
                }
                assertEquals(
                        e.length,
                        same,
                        what + " (seed " + seed + "): " + same + "/" + e.length + " identical, max diff " + worst);
            }
        }
    }

    @Test
    void conv2dDilatedStridedNoActivation() {
        float[] ws = scales(5, 0.01f);
        agree(
                "CONV_2D",
                SingleOpModels.single(
                        OpType.CONV_2D,
                        3,
                        new OpOptions.Conv2D(Padding.SAME, 2, 2, Activation.NONE, 2, 2),
                        List.of(
                                act(0.05f, -7, 1, 9, 9, 4),
                                randomWeights(new int[] {5, 3, 3, 4}, ws, 0),
                                randomBias(5, 3000)),
                        List.of(act(0.08f, 3, 1, 5, 5, 5))));
        agree(
                "CONV_2D valid relu6",
                SingleOpModels.single(
                        OpType.CONV_2D,
                        3,
                        new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.RELU6, 1, 1),
                        List.of(
                                act(0.05f, 10, 1, 6, 7, 3),
                                randomWeights(new int[] {4, 2, 3, 3}, scales(4, 0.02f), 0),
                                randomBias(4, 2000)),
                        List.of(act(0.04f, -128, 1, 5, 5, 4))));
    }

    @Test
    void depthwiseWithMultiplierAndDilation() {
        agree(
                "DEPTHWISE_CONV_2D",
                SingleOpModels.single(
                        OpType.DEPTHWISE_CONV_2D,
                        3,
                        new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 2, Activation.NONE, 2, 2),
                        List.of(
                                act(0.05f, 5, 1, 7, 7, 3),
                                randomWeights(new int[] {1, 3, 3, 6}, scales(6, 0.02f), 3),
                                randomBias(6, 2000)),
                        List.of(act(0.06f, -2, 1, 7, 7, 6))));
        agree(
                "DEPTHWISE_CONV_2D stride 2",
                SingleOpModels.single(
                        OpType.DEPTHWISE_CONV_2D,
                        3,
                        new OpOptions.DepthwiseConv2D(Padding.SAME, 2, 2, 1, Activation.RELU, 1, 1),
                        List.of(
                                act(0.05f, -128, 1, 8, 8, 4),
                                randomWeights(new int[] {1, 3, 3, 4}, scales(4, 0.02f), 3),
                                randomBias(4, 2000)),
                        List.of(act(0.03f, -128, 1, 4, 4, 4))));
        // TFLite's optimized 3x3 path (stride 1, multiplier 1, no activation: negative ties visible).
        agree(
                "DEPTHWISE_CONV_2D 3x3",
                SingleOpModels.single(
                        OpType.DEPTHWISE_CONV_2D,
                        3,
                        new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1, Activation.NONE, 1, 1),
                        List.of(
                                act(0.05f, 3, 1, 10, 10, 16),
                                randomWeights(new int[] {1, 3, 3, 16}, scales(16, 0.02f), 3),
                                randomBias(16, 2000)),
                        List.of(act(0.02f, -5, 1, 10, 10, 16))));
        agree(
                "DEPTHWISE_CONV_2D 3x3 stride 2",
                SingleOpModels.single(
                        OpType.DEPTHWISE_CONV_2D,
                        3,
                        new OpOptions.DepthwiseConv2D(Padding.VALID, 2, 2, 1, Activation.NONE, 1, 1),
                        List.of(
                                act(0.05f, -3, 1, 11, 11, 8),
                                randomWeights(new int[] {1, 3, 3, 8}, scales(8, 0.02f), 3),
                                randomBias(8, 2000)),
                        List.of(act(0.02f, 1, 1, 5, 5, 8))));
    }

    @Test
    void fullyConnectedPerTensorAndPerChannel() {
        agree(
                "FULLY_CONNECTED",
                SingleOpModels.single(
                        OpType.FULLY_CONNECTED,
                        4,
                        new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                        List.of(
                                act(0.05f, 3, 2, 16),
                                randomWeights(new int[] {6, 16}, new float[] {0.01f}, 0),
                                randomBias(6, 5000)),
                        List.of(act(0.1f, -4, 2, 6))));
        agree(
                "FULLY_CONNECTED per-channel keep dims",
                SingleOpModels.single(
                        OpType.FULLY_CONNECTED,
                        13,
                        new OpOptions.FullyConnected(Activation.RELU, 0, true, false),
                        List.of(
                                act(0.05f, -9, 2, 3, 8),
                                randomWeights(new int[] {5, 8}, scales(5, 0.01f), 0),
                                randomBias(5, 500)),
                        List.of(act(0.02f, -128, 2, 3, 5))));
    }

    @Test
    void elementwiseArithmetic() {
        agree(
                "ADD broadcast",
                SingleOpModels.single(
                        OpType.ADD,
                        2,
                        new OpOptions.Arithmetic(Activation.NONE, false),
                        List.of(act(0.05f, -3, 1, 3, 3, 4), act(0.11f, 9, 1, 1, 1, 4)),
                        List.of(act(0.09f, 2, 1, 3, 3, 4))));
        agree(
                "SUB",
                SingleOpModels.single(
                        OpType.SUB,
                        2,
                        new OpOptions.Arithmetic(Activation.RELU, false),
                        List.of(act(0.1f, 1, 2, 5), act(0.07f, -4, 2, 5)),
                        List.of(act(0.15f, -128, 2, 5))));
        agree(
                "MUL broadcast",
                SingleOpModels.single(
                        OpType.MUL,
                        2,
                        new OpOptions.Arithmetic(Activation.NONE, false),
                        List.of(act(0.05f, -3, 1, 4, 4, 3), act(0.02f, 7, 3)),
                        List.of(act(0.001f, 2, 1, 4, 4, 3))));
        agree(
                "MAXIMUM",
                SingleOpModels.single(
                        OpType.MAXIMUM,
                        2,
                        null,
                        List.of(act(0.1f, 0, 2, 3, 4), act(0.1f, 0, 1, 4)),
                        List.of(act(0.1f, 0, 2, 3, 4))));
        agree(
                "MINIMUM",
                SingleOpModels.single(
                        OpType.MINIMUM,
                        2,
                        null,
                        List.of(act(0.1f, 0, 2, 3, 4), act(0.1f, 0, 2, 3, 4)),
                        List.of(act(0.1f, 0, 2, 3, 4))));
    }

    @Test
    void pooling() {
        agree(
                "AVERAGE_POOL_2D",
                SingleOpModels.single(
                        OpType.AVERAGE_POOL_2D,
                        2,
                        new OpOptions.Pool2D(Padding.SAME, 2, 2, 3, 3, Activation.NONE),
                        List.of(act(0.1f, -5, 1, 7, 9, 4)),
                        List.of(act(0.1f, -5, 1, 4, 5, 4))));
        agree(
                "MAX_POOL_2D",
                SingleOpModels.single(
                        OpType.MAX_POOL_2D,
                        2,
                        new OpOptions.Pool2D(Padding.SAME, 2, 2, 2, 2, Activation.RELU),
                        List.of(act(0.1f, 3, 1, 5, 5, 3)),
                        List.of(act(0.1f, 3, 1, 3, 3, 3))));
    }

    @Test
    void activations() {
        agree(
                "SOFTMAX",
                SingleOpModels.single(
                        OpType.SOFTMAX,
                        2,
                        new OpOptions.Softmax(0.7f),
                        List.of(act(0.2f, 5, 3, 10)),
                        List.of(act(1f / 256, -128, 3, 10))));
        agree(
                "LOGISTIC",
                SingleOpModels.single(
                        OpType.LOGISTIC, 2, null, List.of(act(0.1f, 3, 2, 128)), List.of(act(1f / 256, -128, 2, 128))));
        agree(
                "TANH",
                SingleOpModels.single(
                        OpType.TANH, 2, null, List.of(act(0.05f, -2, 2, 128)), List.of(act(1f / 128, 0, 2, 128))));
        agree(
                "RELU",
                SingleOpModels.single(
                        OpType.RELU, 2, null, List.of(act(0.1f, 5, 4, 64)), List.of(act(0.05f, -128, 4, 64))));
        agree(
                "RELU6",
                SingleOpModels.single(
                        OpType.RELU6, 2, null, List.of(act(0.1f, 0, 4, 64)), List.of(act(6f / 255, -128, 4, 64))));
        agree(
                "LEAKY_RELU",
                SingleOpModels.single(
                        OpType.LEAKY_RELU,
                        2,
                        new OpOptions.LeakyRelu(0.2f),
                        List.of(act(0.08f, 10, 4, 64)),
                        List.of(act(0.05f, -20, 4, 64))));
        agree(
                "HARD_SWISH",
                SingleOpModels.single(
                        OpType.HARD_SWISH, 1, null, List.of(act(0.04f, -10, 4, 64)), List.of(act(0.03f, -60, 4, 64))));
    }

    @Test
    void meanAndConcatenation() {
        agree(
                "MEAN spatial",
                SingleOpModels.single(
                        OpType.MEAN,
                        2,
                        new OpOptions.Reducer(true),
                        List.of(act(0.1f, 3, 1, 5, 7, 6), Spec.ints(new int[] {2}, 1, 2)),
                        List.of(act(0.05f, -1, 1, 1, 1, 6))));
        agree(
                "MEAN spatial same scale",
                SingleOpModels.single(
                        OpType.MEAN,
                        2,
                        new OpOptions.Reducer(true),
                        List.of(act(0.1f, 3, 1, 4, 6, 5), Spec.ints(new int[] {2}, 2, 1)),
                        List.of(act(0.1f, 3, 1, 1, 1, 5))));
        agree(
                "MEAN spatial no keep dims",
                SingleOpModels.single(
                        OpType.MEAN,
                        2,
                        new OpOptions.Reducer(false),
                        List.of(act(0.1f, -128, 1, 5, 5, 7), Spec.ints(new int[] {2}, 1, 2)),
                        List.of(act(0.02f, -128, 1, 7))));
        agree(
                "MEAN axis 1",
                SingleOpModels.single(
                        OpType.MEAN,
                        2,
                        new OpOptions.Reducer(false),
                        List.of(act(0.1f, 3, 2, 6, 5), Spec.ints(new int[] {1}, 1)),
                        List.of(act(0.03f, 4, 2, 5))));
        agree(
                "CONCATENATION",
                SingleOpModels.single(
                        OpType.CONCATENATION,
                        2,
                        new OpOptions.Concatenation(3, Activation.NONE),
                        List.of(act(0.1f, 3, 1, 2, 2, 3), act(0.1f, 3, 1, 2, 2, 5)),
                        List.of(act(0.1f, 3, 1, 2, 2, 8))));
    }

    @Test
    void resize() {
        for (boolean[] mode : new boolean[][] {{false, false}, {true, false}, {false, true}}) {
            String m = " align=" + mode[0] + " half=" + mode[1];
            agree(
                    "RESIZE_BILINEAR" + m,
                    SingleOpModels.single(
                            OpType.RESIZE_BILINEAR,
                            3,
                            new OpOptions.Resize(mode[0], mode[1]),
                            List.of(act(0.1f, 2, 1, 4, 5, 3), Spec.ints(new int[] {2}, 7, 9)),
                            List.of(act(0.1f, 2, 1, 7, 9, 3))));
            agree(
                    "RESIZE_NEAREST_NEIGHBOR" + m,
                    SingleOpModels.single(
                            OpType.RESIZE_NEAREST_NEIGHBOR,
                            3,
                            new OpOptions.Resize(mode[0], mode[1]),
                            List.of(act(0.1f, 2, 1, 4, 5, 3), Spec.ints(new int[] {2}, 7, 9)),
                            List.of(act(0.1f, 2, 1, 7, 9, 3))));
        }
    }
}
