package io.quanta.kernels.int16;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.graph.TensorData;
import io.quanta.pipeline.Pipeline;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.SingleOpModels.Spec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every int16 (16x8) kernel, one op at a time over odd shapes, written as a real .tflite file and run in TFLite 2.21
 * and in Quanta on seeded random int16 inputs (the whole range): outputs must be identical element for element.
 */
class Int16VsTfLiteTest {
    private static final Random WEIGHTS = new Random(4321);

    private static Spec act(float scale, int... shape) {
        return Spec.of(DataType.INT16, shape).quant(scale, 0);
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

    private static Spec bias64(int n, long range) {
        long[] b = new long[n];
        for (int k = 0; k < n; k++) {
            b[k] = (long) ((WEIGHTS.nextDouble() * 2 - 1) * range);
        }
        return Spec.constant(DataType.INT64, new int[] {n}, TensorData.of(b));
    }

    /** Runs a few seeds and asserts equality of every int16 output element. */
    static void agree(String what, Model model) {
        for (long seed = 1; seed <= 4; seed++) {
            SingleOpModels.Outputs out =
                    SingleOpModels.run(model, Pipeline.quantizedKernels(), SingleOpModels.randomInputs(model, seed));
            for (int o = 0; o < out.tfliteOutputs().size(); o++) {
                assertArrayEquals(out.tfliteShapes().get(o), out.quantaShapes().get(o), what + ": shape");
                short[] e = shorts(out.tflite(o));
                short[] g = shorts(out.quanta(o));
                assertEquals(e.length, g.length, what + ": size");
                int same = 0;
                int worst = 0;
                int firstBad = -1;
                for (int k = 0; k < e.length; k++) {
                    if (e[k] == g[k]) {
                        same++;
                    } else if (firstBad < 0) {
                        firstBad = k;
                    }
                    worst = Math.max(worst, Math.abs(e[k] - g[k]));
                }
                assertEquals(
                        e.length,
                        same,
                        what + " (seed " + seed + "): " + same + "/" + e.length + " identical, max diff " + worst
                                + (firstBad < 0
                                        ? ""
                                        : ", first at " + firstBad + ": TFLite " + e[firstBad] + " Quanta "
                                                + g[firstBad]));
            }
        }
    }

    private static short[] shorts(byte[] raw) {
        short[] s = new short[raw.length / 2];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    @Test
    void conv2dPerChannelStridedDilated() {
        agree(
                "CONV_2D same stride 2 dilation 2",
                SingleOpModels.single(
                        OpType.CONV_2D,
                        new OpOptions.Conv2D(Padding.SAME, 2, 2, Activation.NONE, 2, 2),
                        List.of(
                                act(0.0004f, 1, 9, 7, 3),
                                randomWeights(new int[] {5, 3, 3, 3}, scales(5, 0.01f), 0),
                                bias64(5, 200_000)),
                        List.of(act(0.002f, 1, 5, 4, 5))));
        agree(
                "CONV_2D valid relu6",
                SingleOpModels.single(
                        OpType.CONV_2D,
                        new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.RELU6, 1, 1),
                        List.of(
                                act(0.0003f, 2, 6, 5, 4),
                                randomWeights(new int[] {3, 2, 3, 4}, scales(3, 0.02f), 0),
                                bias64(3, 50_000)),
                        List.of(act(0.0005f, 2, 5, 3, 3))));
    }

    @Test
    void depthwiseWithMultiplier() {
        agree(
                "DEPTHWISE_CONV_2D multiplier 2",
                SingleOpModels.single(
                        OpType.DEPTHWISE_CONV_2D,
                        new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 2, 2, Activation.RELU, 1, 1),
                        List.of(
                                act(0.0004f, 1, 7, 5, 3),
                                randomWeights(new int[] {1, 3, 3, 6}, scales(6, 0.02f), 3),
                                bias64(6, 100_000)),
                        List.of(act(0.001f, 1, 7, 3, 6))));
    }

    @Test
    void fullyConnectedPerTensorAndPerChannel() {
        agree(
                "FULLY_CONNECTED per tensor deep",
                SingleOpModels.single(
                        OpType.FULLY_CONNECTED,
                        new OpOptions.FullyConnected(Activation.RELU6, 0, false, false),
                        List.of(
                                act(0.0002f, 2, 301),
                                randomWeights(new int[] {9, 301}, new float[] {0.003f}, -1),
                                bias64(9, 1_000_000)),
                        List.of(act(0.0004f, 2, 9))));
        agree(
                "FULLY_CONNECTED per tensor",
                SingleOpModels.single(
                        OpType.FULLY_CONNECTED,
                        new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                        List.of(
                                act(0.0005f, 3, 13),
                                randomWeights(new int[] {7, 13}, new float[] {0.01f}, -1),
                                bias64(7, 300_000)),
                        List.of(act(0.002f, 3, 7))));
        agree(
                "FULLY_CONNECTED per channel relu",
                SingleOpModels.single(
                        OpType.FULLY_CONNECTED,
                        new OpOptions.FullyConnected(Activation.RELU, 0, false, false),
                        Arrays.asList(act(0.0005f, 2, 11), randomWeights(new int[] {5, 11}, scales(5, 0.01f), 0), null),
                        List.of(act(0.001f, 2, 5))));
    }

    @Test
    void addSubMulWithBroadcast() {
        for (OpType type : new OpType[] {OpType.ADD, OpType.SUB}) {
            agree(
                    type + " broadcast",
                    SingleOpModels.single(
                            type,
                            new OpOptions.Arithmetic(Activation.NONE, false),
                            List.of(act(0.0003f, 2, 3, 5), act(0.0007f, 1, 5)),
                            List.of(act(0.0009f, 2, 3, 5))));
        }
        agree(
                "ADD relu same shapes",
                SingleOpModels.single(
                        OpType.ADD,
                        new OpOptions.Arithmetic(Activation.RELU, false),
                        List.of(act(0.0004f, 1, 4, 3, 3), act(0.0004f, 1, 4, 3, 3)),
                        List.of(act(0.0006f, 1, 4, 3, 3))));
        agree(
                "MUL broadcast",
                SingleOpModels.single(
                        OpType.MUL,
                        new OpOptions.Arithmetic(Activation.NONE, false),
                        List.of(act(0.0003f, 3, 1, 7), act(0.0005f, 1, 4, 7)),
                        List.of(act(0.00002f, 3, 4, 7))));
    }

    @Test
    void pooling() {
        agree(
                "AVERAGE_POOL_2D same",
                SingleOpModels.single(
                        OpType.AVERAGE_POOL_2D,
                        new OpOptions.Pool2D(Padding.SAME, 2, 2, 3, 3, Activation.NONE),
                        List.of(act(0.0004f, 1, 7, 5, 3)),
                        List.of(act(0.0004f, 1, 4, 3, 3))));
        agree(
                "MAX_POOL_2D valid",
                SingleOpModels.single(
                        OpType.MAX_POOL_2D,
                        new OpOptions.Pool2D(Padding.VALID, 1, 2, 2, 3, Activation.RELU),
                        List.of(act(0.0004f, 2, 7, 5, 3)),
                        List.of(act(0.0004f, 2, 3, 4, 3))));
    }

    @Test
    void softmax() {
        agree(
                "SOFTMAX",
                SingleOpModels.single(
                        OpType.SOFTMAX,
                        new OpOptions.Softmax(1f),
                        List.of(act(0.0003f, 3, 11)),
                        List.of(act(1f / 32768, 3, 11))));
        agree(
                "SOFTMAX beta 0.5 wide",
                SingleOpModels.single(
                        OpType.SOFTMAX,
                        new OpOptions.Softmax(0.5f),
                        List.of(act(0.002f, 2, 1001)),
                        List.of(act(1f / 32768, 2, 1001))));
    }

    /** Every int16 input value, for the table-driven kernels: one [65536] tensor holding -32768..32767. */
    private static List<byte[]> everyInt16() {
        ByteBuffer b = ByteBuffer.allocate(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v++) {
            b.putShort((short) v);
        }
        return List.of(b.array());
    }

    private static void agreeOnEveryValue(String what, Model model) {
        SingleOpModels.Outputs out = SingleOpModels.run(model, Pipeline.quantizedKernels(), everyInt16());
        short[] e = shorts(out.tflite(0));
        short[] g = shorts(out.quanta(0));
        int bad = 0;
        for (int k = 0; k < e.length; k++) {
            bad += e[k] == g[k] ? 0 : 1;
        }
        assertEquals(0, bad, what + ": " + bad + " of 65536 input values differ from TFLite");
    }

    @Test
    void logisticAndTanhOnEveryInputValue() {
        // General scales (table path), 2^-12 (gemmlowp fixed point), 2^-13 (table path again), a wide 0.002.
        for (float scale : new float[] {0.0003f, 1f / 4096, 1f / 8192, 0.002f}) {
            for (OpType type : new OpType[] {OpType.LOGISTIC, OpType.TANH}) {
                agreeOnEveryValue(
                        type + " input scale " + scale,
                        SingleOpModels.single(type, null, List.of(act(scale, 65536)), List.of(act(1f / 32768, 65536))));
            }
        }
        agreeOnEveryValue(
                "TANH input scale 2^-11",
                SingleOpModels.single(
                        OpType.TANH, null, List.of(act(1f / 2048, 65536)), List.of(act(1f / 32768, 65536))));
    }

    @Test
    void requantizeInt16ToInt8AndInt16() {
        agree(
                "QUANTIZE int16 to int16",
                SingleOpModels.single(OpType.QUANTIZE, null, List.of(act(0.0003f, 2, 9)), List.of(act(0.0007f, 2, 9))));
        Model toInt8 = SingleOpModels.single(
                OpType.QUANTIZE,
                null,
                List.of(act(0.0003f, 65536)),
                List.of(Spec.of(DataType.INT8, 65536).quant(0.05f, -3)));
        SingleOpModels.Outputs out = SingleOpModels.run(toInt8, Pipeline.quantizedKernels(), everyInt16());
        assertArrayEquals(out.tflite(0), out.quanta(0), "QUANTIZE int16 to int8 on every value");
    }

    @Test
    void maximumAndMinimumWithBroadcast() {
        for (OpType type : new OpType[] {OpType.MAXIMUM, OpType.MINIMUM}) {
            agree(
                    type + " broadcast",
                    SingleOpModels.single(
                            type,
                            null,
                            List.of(act(0.0004f, 2, 3, 5), act(0.0004f, 1, 5)),
                            List.of(act(0.0004f, 2, 3, 5))));
            agree(
                    type + " same odd shapes",
                    SingleOpModels.single(
                            type,
                            null,
                            List.of(act(0.0007f, 1, 7, 3, 3), act(0.0007f, 1, 7, 3, 3)),
                            List.of(act(0.0007f, 1, 7, 3, 3))));
        }
    }

    @Test
    void leakyReluOnEveryInputValue() {
        // Output scale below, equal to and above the input's; alpha small, 1/3 and above 1.
        float[][] cases = {{0.0003f, 0.0001f, 0.2f}, {0.0005f, 0.0005f, 1f / 3}, {0.0002f, 0.0009f, 1.7f}};
        for (float[] c : cases) {
            agreeOnEveryValue(
                    "LEAKY_RELU in " + c[0] + " out " + c[1] + " alpha " + c[2],
                    SingleOpModels.single(
                            OpType.LEAKY_RELU,
                            new OpOptions.LeakyRelu(c[2]),
                            List.of(act(c[0], 65536)),
                            List.of(act(c[1], 65536))));
        }
    }

    private static Spec axes(int... a) {
        return Spec.ints(new int[] {a.length}, a);
    }

    @Test
    void meanOverSpatialAndOtherAxes() {
        // 4-D over H and W with keep_dims (TFLite's multiply-then-divide path), in both axis orders.
        agree(
                "MEAN spatial keep_dims",
                SingleOpModels.single(
                        OpType.MEAN,
                        new OpOptions.Reducer(true),
                        List.of(act(0.0004f, 2, 7, 5, 3), axes(1, 2)),
                        List.of(act(0.0003f, 2, 1, 1, 3))));
        agree(
                "MEAN spatial keep_dims axes 2,1 same scale",
                SingleOpModels.single(
                        OpType.MEAN,
                        new OpOptions.Reducer(true),
                        List.of(act(0.0004f, 1, 3, 9, 5), axes(2, 1)),
                        List.of(act(0.0004f, 1, 1, 1, 5))));
        // Everything else: QuantizedMeanOrSum with 1/count folded into the multiplier.
        agree(
                "MEAN over H and W without keep_dims",
                SingleOpModels.single(
                        OpType.MEAN,
                        new OpOptions.Reducer(false),
                        List.of(act(0.0004f, 1, 30, 14, 8), axes(1, 2)),
                        List.of(act(0.0001f, 1, 8))));
        agree(
                "MEAN last axis keep_dims",
                SingleOpModels.single(
                        OpType.MEAN,
                        new OpOptions.Reducer(true),
                        List.of(act(0.0005f, 3, 4, 11), axes(-1)),
                        List.of(act(0.0002f, 3, 4, 1))));
        agree(
                "MEAN first and last axes, same scale",
                SingleOpModels.single(
                        OpType.MEAN,
                        new OpOptions.Reducer(false),
                        List.of(act(0.0005f, 3, 4, 7), axes(0, 2)),
                        List.of(act(0.0005f, 4))));
    }

    @Test
    void aNonZeroZeroPointIsRefusedLikeTfLite() {
        for (Model m : List.of(
                SingleOpModels.single(
                        OpType.MEAN,
                        new OpOptions.Reducer(false),
                        List.of(Spec.of(DataType.INT16, 2, 5).quant(0.0004f, 3), axes(1)),
                        List.of(act(0.0004f, 2))),
                SingleOpModels.single(
                        OpType.LEAKY_RELU,
                        new OpOptions.LeakyRelu(0.1f),
                        List.of(act(0.0004f, 2, 5)),
                        List.of(Spec.of(DataType.INT16, 2, 5).quant(0.0004f, -7))))) {
            List<byte[]> in = SingleOpModels.randomInputs(m, 1);
            org.junit.jupiter.api.Assertions.assertThrows(
                    RuntimeException.class, () -> SingleOpModels.runTfLite(m, in));
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                    RuntimeException.class, () -> SingleOpModels.runQuanta(m, Pipeline.quantizedKernels(), in));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("zero point 0"), e.getMessage());
        }
    }
}
