package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
import org.junit.jupiter.api.Test;

/**
 * The int8 convolutions and fully connected layer that run on SIMD lanes ({@link ExactGemm}, {@link ConvTiles},
 * {@link DepthwiseTiles}), against TFLite 2.21 byte for byte over awkward shapes: channel counts off the vector width,
 * stride 2, dilation, SAME and VALID, input and output zero points at -128 and 127, depths long enough to need
 * several exact blocks; each through the SIMD loops and the scalar ones.
 */
class Int8SimdKernelsVsTfLiteTest {
    private final Random weights = new Random(99);

    private static KernelRegistry kernels(FloatLoops loops) {
        KernelRegistry own = new KernelRegistry()
                .register(OpType.CONV_2D, Flavor.QUANTIZED, ctx -> Conv2D.create(ctx, loops))
                .register(OpType.DEPTHWISE_CONV_2D, Flavor.QUANTIZED, ctx -> DepthwiseConv2D.create(ctx, loops))
                .register(OpType.FULLY_CONNECTED, Flavor.QUANTIZED, ctx -> FullyConnected.create(ctx, loops));
        return FloatKernels.registry().with(Int8Kernels.registry()).with(own);
    }

    private static void agree(String what, Model model) {
        for (FloatLoops loops : new FloatLoops[] {FloatLoops.best(), FloatLoops.scalar()}) {
            for (long seed = 1; seed <= 3; seed++) {
                SingleOpModels.Outputs out =
                        SingleOpModels.run(model, kernels(loops), SingleOpModels.randomInputs(model, seed));
                assertArrayEquals(out.tfliteShapes().get(0), out.quantaShapes().get(0), what + ": shape");
                assertArrayEquals(
                        out.tflite(0),
                        out.quanta(0),
                        what + " (" + loops.getClass().getSimpleName() + ", seed " + seed + ")");
            }
        }
    }

    private static Spec act(float scale, int zeroPoint, int... shape) {
        return Spec.of(DataType.INT8, shape).quant(scale, zeroPoint);
    }

    /** Random int8 weights (including -128) with per-channel scales along {@code axis}. */
    private Spec filter(int[] shape, int axis) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        byte[] w = new byte[n];
        weights.nextBytes(w);
        float[] s = new float[shape[axis]];
        for (int c = 0; c < s.length; c++) {
            s[c] = 0.01f * (0.5f + weights.nextFloat());
        }
        return Spec.int8s(shape, w).quant(QuantParams.perChannel(s, axis));
    }

    private Spec bias(int n) {
        int[] b = new int[n];
        for (int k = 0; k < n; k++) {
            b[k] = weights.nextInt(20001) - 10000;
        }
        return Spec.ints(new int[] {n}, b);
    }

    /** An output scale that keeps sums of {@code depth} products mostly inside the int8 range. */
    private static float outScale(int depth) {
        return 0.09f * (float) Math.sqrt(depth);
    }

    private void conv(
            String what,
            Padding padding,
            int stride,
            int dilation,
            Activation activation,
            int inZero,
            int outZero,
            int h,
            int w,
            int inC,
            int k,
            int outC) {
        int eff = (k - 1) * dilation + 1;
        int oh = padding == Padding.SAME ? (h + stride - 1) / stride : (h - eff + stride) / stride;
        int ow = padding == Padding.SAME ? (w + stride - 1) / stride : (w - eff + stride) / stride;
        agree(
                what,
                SingleOpModels.single(
                        OpType.CONV_2D,
                        3,
                        new OpOptions.Conv2D(padding, stride, stride, activation, dilation, dilation),
                        List.of(act(0.05f, inZero, 1, h, w, inC), filter(new int[] {outC, k, k, inC}, 0), bias(outC)),
                        List.of(act(outScale(k * k * inC), outZero, 1, oh, ow, outC))));
    }

    private void depthwise(
            String what,
            Padding padding,
            int stride,
            int dilation,
            int inZero,
            int outZero,
            int h,
            int w,
            int c,
            int k) {
        int eff = (k - 1) * dilation + 1;
        int oh = padding == Padding.SAME ? (h + stride - 1) / stride : (h - eff + stride) / stride;
        int ow = padding == Padding.SAME ? (w + stride - 1) / stride : (w - eff + stride) / stride;
        agree(
                what,
                SingleOpModels.single(
                        OpType.DEPTHWISE_CONV_2D,
                        3,
                        new OpOptions.DepthwiseConv2D(padding, stride, stride, 1, Activation.NONE, dilation, dilation),
                        List.of(act(0.05f, inZero, 1, h, w, c), filter(new int[] {1, k, k, c}, 3), bias(c)),
                        List.of(act(outScale(k * k), outZero, 1, oh, ow, c))));
    }

    @Test
    void pointwiseConvolutionsAsOneMatrixProduct() {
        conv("CONV_2D 1x1, 13 -> 19 channels", Padding.SAME, 1, 1, Activation.NONE, -128, 127, 7, 5, 13, 1, 19);
        conv("CONV_2D 1x1, 8 -> 8, relu6", Padding.VALID, 1, 1, Activation.RELU6, 127, -128, 6, 6, 8, 1, 8);
        conv("CONV_2D 1x1 stride 2 (im2col)", Padding.SAME, 2, 1, Activation.NONE, 3, -7, 9, 9, 11, 1, 17);
    }

    @Test
    void windowedConvolutions() {
        conv("CONV_2D 3x3 stride 2 SAME", Padding.SAME, 2, 1, Activation.NONE, 127, 127, 11, 10, 3, 3, 9);
        conv("CONV_2D 3x3 VALID relu", Padding.VALID, 1, 1, Activation.RELU, -128, -128, 8, 9, 5, 3, 11);
        conv("CONV_2D 3x3 dilation 2", Padding.SAME, 1, 2, Activation.NONE, -20, 40, 9, 9, 7, 3, 13);
        conv("CONV_2D 5x5 stride 2 VALID", Padding.VALID, 2, 1, Activation.NONE, 0, 0, 13, 12, 2, 5, 3);
    }

    @Test
    void directTiledConvolutions() {
        // ConvTiles: 8-pixel x 16-channel tiles, a last partial tile overlapping, rows shorter than a tile, channel
        // counts padded to 16, the input zero point folded into the bias and filling the padding.
        conv("CONV_2D 3x3 16 -> 16, SAME", Padding.SAME, 1, 1, Activation.RELU, -128, 127, 10, 11, 16, 3, 16);
        conv("CONV_2D 3x3 stride 2, 16 -> 32", Padding.SAME, 2, 1, Activation.NONE, 127, -128, 12, 13, 16, 3, 32);
        conv("CONV_2D 3x3 VALID 24 -> 40", Padding.VALID, 1, 1, Activation.NONE, 9, -20, 9, 12, 24, 3, 40);
        conv("CONV_2D 3x3 dilation 2, 10 -> 21", Padding.SAME, 1, 2, Activation.RELU6, -128, -128, 9, 10, 10, 3, 21);
        conv("CONV_2D 3x3 rows of 5 pixels, 64 -> 70", Padding.SAME, 1, 1, Activation.NONE, 127, 127, 4, 5, 64, 3, 70);
        conv("CONV_2D 2x2 stride 2 VALID, 33 -> 17", Padding.VALID, 2, 1, Activation.NONE, -3, 4, 9, 19, 33, 2, 17);
        conv("CONV_2D 1x1 stride 2, 32 -> 16", Padding.SAME, 2, 1, Activation.NONE, -128, 0, 15, 15, 32, 1, 16);
        conv("CONV_2D 1x1, 300 pixels, 20 -> 48", Padding.VALID, 1, 1, Activation.NONE, 127, -5, 15, 20, 20, 1, 48);
        // Channel blocks of two vectors and of one (48 = 32 + 16 with 16 lanes), rows shorter than a tile on each.
        conv("CONV_2D 3x3 rows of 3 pixels, 16 -> 48", Padding.SAME, 1, 1, Activation.NONE, -128, 127, 5, 3, 16, 3, 48);
        conv("CONV_2D 1x1, 7 pixels, 8 -> 8", Padding.VALID, 1, 1, Activation.NONE, 127, -128, 1, 7, 8, 1, 8);
        // 3x3x113 = 1017 products: just within one exact block of raw int8 inputs and weights up to 128.
        conv("CONV_2D 3x3x113", Padding.SAME, 1, 1, Activation.NONE, -128, 3, 6, 9, 113, 3, 18);
    }

    @Test
    void deepConvolutionsSpanSeveralExactBlocks() {
        // 3x3x80 = 720 products per output: more than one block at input zero point -128 (|x + 128| <= 255) on the
        // im2col path; on the tiles, partial sums above 2^22 (no MAGIC start, the float sums converted).
        conv("CONV_2D 3x3x80", Padding.SAME, 1, 1, Activation.NONE, -128, 5, 5, 4, 80, 3, 20);
        // Too deep for the tiles: several exact blocks of the SIMD float GEMM.
        conv("CONV_2D 1x1x1100", Padding.VALID, 1, 1, Activation.NONE, 127, -3, 3, 2, 1100, 1, 9);
    }

    @Test
    void depthwiseConvolutions() {
        depthwise("DEPTHWISE 3x3, 13 channels", Padding.SAME, 1, 1, -128, 127, 9, 8, 13, 3);
        depthwise("DEPTHWISE 3x3 stride 2 VALID, 21 channels", Padding.VALID, 2, 1, 127, -128, 11, 12, 21, 3);
        depthwise("DEPTHWISE 3x3 dilation 2, 9 channels", Padding.SAME, 1, 2, 4, -9, 10, 10, 9, 3);
        depthwise("DEPTHWISE 5x5 stride 2 SAME, 6 channels", Padding.SAME, 2, 1, -128, 0, 9, 11, 6, 5);
        depthwise("DEPTHWISE 3x3, 8 channels", Padding.SAME, 1, 1, 0, 0, 6, 6, 8, 3);
        // DepthwiseTiles: groups of 4 pixels with an overlapping last group, rows shorter than a group, channels
        // padded to the vector width, the input zero point folded into the bias and filling the padding.
        depthwise("DEPTHWISE 3x3 rows of 3 pixels, 20 channels", Padding.SAME, 1, 1, 127, 127, 5, 3, 20, 3);
        depthwise("DEPTHWISE 3x3 rows of 19 pixels, 16 channels", Padding.SAME, 1, 1, -128, -128, 4, 19, 16, 3);
        depthwise("DEPTHWISE 3x3 stride 2 SAME, 35 channels", Padding.SAME, 2, 1, -128, 127, 13, 14, 35, 3);
        depthwise("DEPTHWISE 2x2 VALID, 1 channel", Padding.VALID, 1, 1, 127, -128, 7, 9, 1, 2);
        // At most 8 channels at stride 1: two pixels per 16-lane vector, an odd row's last pair one pixel past it.
        depthwise("DEPTHWISE 3x3 pairs, rows of 13 pixels, 8 channels", Padding.SAME, 1, 1, -128, 127, 6, 13, 8, 3);
        depthwise("DEPTHWISE 3x3 pairs, rows of 1 pixel, 8 channels", Padding.SAME, 1, 1, 127, -128, 5, 1, 8, 3);
        depthwise("DEPTHWISE 3x3 pairs dilation 2 VALID, 5 channels", Padding.VALID, 1, 2, 3, -4, 9, 12, 5, 3);
        depthwise("DEPTHWISE 3x3 stride 2, 8 channels", Padding.SAME, 2, 1, -128, -128, 9, 9, 8, 3);
    }

    @Test
    void fullyConnected() {
        for (int[] c : new int[][] {{3, 37, 11, -128, 127}, {2, 1500, 10, 127, -128}, {1, 64, 8, 5, 0}}) {
            int batch = c[0];
            int depth = c[1];
            int units = c[2];
            agree(
                    "FULLY_CONNECTED " + depth + " -> " + units,
                    SingleOpModels.single(
                            OpType.FULLY_CONNECTED,
                            4,
                            new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                            List.of(act(0.05f, c[3], batch, depth), filter(new int[] {units, depth}, 0), bias(units)),
                            List.of(act(outScale(depth), c[4], batch, units))));
        }
    }
}
