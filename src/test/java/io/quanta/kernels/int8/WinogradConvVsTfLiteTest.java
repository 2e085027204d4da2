package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.fp32.FloatLoops;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.SingleOpModels.Spec;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The int8 3x3 stride-1 convolution by Winograd's F(2x2, 3x3) ({@link WinogradConv}) against TFLite 2.21 byte for
 * byte, through the SIMD transforms and products and the scalar ones: channel counts off the vector width, odd
 * output sizes (tiles overlapping at the last row and column), SAME and VALID, fused ReLU and ReLU6, zero points at
 * -128 and 127, per-channel scales, more input channels than one exact float block holds, and the worst-case
 * magnitudes of the bounds (weights all -128, inputs all at an extreme).
 */
class WinogradConvVsTfLiteTest {
    private final Random random = new Random(2024);

    private static KernelRegistry kernels(FloatLoops loops) {
        KernelRegistry own =
                new KernelRegistry().register(OpType.CONV_2D, Flavor.QUANTIZED, ctx -> Conv2D.create(ctx, loops, true));
        return FloatKernels.registry().with(Int8Kernels.registry()).with(own);
    }

    /** One convolution's shape and quantization; {@code weight} gives the int8 weight at each flat index. */
    private record Case(
            String what,
            Padding padding,
            Activation activation,
            int inZero,
            int outZero,
            int h,
            int w,
            int inC,
            int outC,
            IntUnaryOperator weight) {
        OpOptions.Conv2D options() {
            return new OpOptions.Conv2D(padding, 1, 1, activation, 1, 1);
        }

        int outH() {
            return padding == Padding.SAME ? h : h - 2;
        }

        int outW() {
            return padding == Padding.SAME ? w : w - 2;
        }
    }

    private Case random(
            String what, Padding padding, Activation act, int inZero, int outZero, int h, int w, int inC, int outC) {
        long seed = random.nextLong();
        return new Case(
                what, padding, act, inZero, outZero, h, w, inC, outC, k -> new Random(seed + k).nextInt(256) - 128);
    }

    private Model model(Case c, float inScale, float[] weightScales, float outScale, int[] bias) {
        int[] fshape = {c.outC, 3, 3, c.inC};
        byte[] weights = new byte[c.outC * 9 * c.inC];
        int maxAbs = 0;
        for (int k = 0; k < weights.length; k++) {
            weights[k] = (byte) c.weight.applyAsInt(k);
            maxAbs = Math.max(maxAbs, Math.abs(weights[k]));
        }
        // The cases must exercise Winograd, not the direct kernels.
        assertTrue(WinogradConv.applies(c.options(), 3, 3, c.inC, maxAbs), c.what + ": Winograd applies");
        return SingleOpModels.single(
                OpType.CONV_2D,
                3,
                c.options(),
                List.of(
                        Spec.of(DataType.INT8, 1, c.h, c.w, c.inC).quant(inScale, c.inZero),
                        Spec.int8s(fshape, weights).quant(QuantParams.perChannel(weightScales, 0)),
                        Spec.ints(new int[] {c.outC}, bias)),
                List.of(Spec.of(DataType.INT8, 1, c.outH(), c.outW(), c.outC).quant(outScale, c.outZero)));
    }

    private static void agree(String what, Model model, List<byte[]> inputs) {
        for (FloatLoops loops : new FloatLoops[] {FloatLoops.best(), FloatLoops.scalar()}) {
            SingleOpModels.Outputs out = SingleOpModels.run(model, kernels(loops), inputs);
            assertArrayEquals(out.tfliteShapes().get(0), out.quantaShapes().get(0), what + ": shape");
            assertArrayEquals(
                    out.tflite(0), out.quanta(0), what + " (" + loops.getClass().getSimpleName() + ")");
        }
    }

    /** Random inputs and biases, per-channel weight scales, an output scale that keeps most sums in range. */
    private void randomData(Case c) {
        float[] scales = new float[c.outC];
        int[] bias = new int[c.outC];
        for (int k = 0; k < c.outC; k++) {
            scales[k] = 0.01f * (0.5f + random.nextFloat());
            bias[k] = random.nextInt(20001) - 10000;
        }
        Model model = model(c, 0.05f, scales, 0.09f * (float) Math.sqrt(9 * c.inC), bias);
        for (long seed = 1; seed <= 2; seed++) {
            agree(c.what, model, SingleOpModels.randomInputs(model, seed));
        }
    }

    @Test
    void oddShapesAgreeWithTfLite() {
        randomData(random("16 -> 16, SAME, odd width", Padding.SAME, Activation.RELU, -128, 127, 10, 11, 16, 16));
        randomData(random("13 -> 19, VALID", Padding.VALID, Activation.NONE, 127, -128, 9, 8, 13, 19));
        randomData(random("24 -> 40, SAME, odd sizes", Padding.SAME, Activation.RELU6, 5, -3, 7, 7, 24, 40));
        randomData(random("9 -> 8, VALID, 2x3 output", Padding.VALID, Activation.NONE, -128, -128, 4, 5, 9, 8));
        randomData(random("32 -> 32, 16x16", Padding.SAME, Activation.RELU, -7, -128, 16, 16, 32, 32));
        randomData(random("64 -> 64, 8x8", Padding.SAME, Activation.NONE, 12, 30, 8, 8, 64, 64));
    }

    @Test
    void manyInputChannelsSpanSeveralExactBlocks() {
        // Weights at both extremes: |U| reaches its bound at the centre position, so 70 channels need 3 blocks.
        randomData(new Case(
                "70 -> 21, weights -128 and 127",
                Padding.SAME,
                Activation.NONE,
                127,
                0,
                6,
                9,
                70,
                21,
                k -> (k * 7919) % 5 == 0 ? 127 : -128));
        // 6 tiles, filled up to a register block with copies; then 13 tiles in chunks of 10, the last one moved back.
        randomData(random("100 -> 12, VALID", Padding.VALID, Activation.RELU, -128, 127, 5, 7, 100, 12));
        randomData(random("100 -> 17, VALID, 2x25 output", Padding.VALID, Activation.NONE, 3, 0, 4, 27, 100, 17));
    }

    /**
     * The worst case of the bounds, where an exact block one channel too long would round: inputs within 2 of a
     * zero point at -128 or 127 (|V| up to 512 at the centre position) and weights of magnitude 127 or 128 (|U| up to
     * 1152), so each block sums nearly the largest products allowed. For two thirds of the output channels the first
     * 32 input channels have weights -127 and the next 32 have +127 on the same inputs: the raw partial sums climb
     * to the bound, yet the real sum is 0, and with a multiplier of 1 the output is the bias, so an error of one in
     * any int32 sum would show. The other channels have every weight at -128.
     */
    @Test
    void worstCaseMagnitudesStayExact() {
        int inC = 64;
        for (int zero : new int[] {-128, 127}) {
            for (Padding padding : Padding.values()) {
                Case c = new Case(
                        "64 -> 24, weights -128 and +-127, inputs near " + zero + ", " + padding,
                        padding,
                        Activation.NONE,
                        zero,
                        -5,
                        7,
                        6,
                        inC,
                        24,
                        k -> k / (9 * inC) % 3 == 0 ? -128 : k % inC < inC / 2 ? -127 : 127);
                float[] scales = new float[c.outC];
                int[] bias = new int[c.outC];
                for (int k = 0; k < c.outC; k++) {
                    // Effective scale 0.5 * s / 0.25: 1 for the cancelling channels, small for the others.
                    scales[k] = k % 3 == 0 ? 0.0005f : 0.5f;
                    bias[k] = random.nextInt(201) - 100;
                }
                byte[] input = new byte[c.h * c.w * inC];
                int sign = zero < 0 ? 1 : -1;
                for (int p = 0; p < c.h * c.w; p++) {
                    for (int ci = 0; ci < inC / 2; ci++) {
                        byte x = (byte) (zero + sign * random.nextInt(3));
                        input[p * inC + ci] = x;
                        input[p * inC + ci + inC / 2] = x;
                    }
                }
                agree(c.what, model(c, 0.5f, scales, 0.25f, bias), List.of(input));
            }
        }
    }
}
