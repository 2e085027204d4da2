package io.quanta.kernels.fp32;

import static io.quanta.kernels.KernelRegistry.Flavor.FLOAT;
import static io.quanta.testing.TestGraph.random;
import static io.quanta.testing.TestGraph.size;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Activation;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import io.quanta.testing.TestGraph;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same convolutions through the three {@link FloatLoops}: the 256-bit and 512-bit Vector API paths and the
 * scalar fallback, each against the naive loop (and the 256-bit one against the scalar one). Shapes cover the vector paths (3x3 depthwise interior,
 * register-blocked GEMM tiles, direct few-channel convolution) and their scalar tails (channel counts that
 * are not a multiple of 8, rows left over from a 4-row tile, borders).
 */
class SimdAndScalarLoopsTest {
    private final Random random = new Random(7);

    private static KernelRegistry kernels(FloatLoops loops) {
        KernelRegistry r = new KernelRegistry()
                .register(OpType.CONV_2D, FLOAT, ctx -> Conv2D.create(ctx, loops))
                .register(OpType.DEPTHWISE_CONV_2D, FLOAT, ctx -> DepthwiseConv2D.create(ctx, loops))
                .register(OpType.FULLY_CONNECTED, FLOAT, ctx -> FullyConnected.create(ctx, loops));
        return FloatKernels.registry().with(r);
    }

    private static final FloatLoops SCALAR = FloatLoops.Selection.SCALAR;

    @Test
    void testJvmRunsTheVectorPath() {
        // surefire passes --add-modules jdk.incubator.vector; without it this class would compare scalar twice.
        assertTrue(
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "test JVM lacks --add-modules jdk.incubator.vector");
        assertInstanceOf(ScalarFloatLoops.class, SCALAR);
        // -Dquanta.scalar=true forces the fallback everywhere (to test or time it); otherwise SIMD must be on.
        if (VectorFloatLoops.createIfUsable() != null && !Boolean.getBoolean("quanta.scalar")) {
            assertInstanceOf(VectorFloatLoops.class, FloatLoops.best());
        }
        // the float kernels take 512-bit vectors where the hardware has them (-Dquanta.narrow=true: 256-bit)
        if (WideFloatLoops.createIfUsable() != null
                && !Boolean.getBoolean("quanta.scalar")
                && !Boolean.getBoolean("quanta.narrow")) {
            assertInstanceOf(WideFloatLoops.class, FloatLoops.fastest());
        }
    }

    @ParameterizedTest(name = "conv {0}x{1}x{2} k{3} s{4} d{5} oc{6} {7} {8}")
    @CsvSource({
        "15, 17, 3, 3, 2, 1, 8, SAME, RELU6", // MobileNet's first layer, scaled down: three-row direct path
        "10, 11, 3, 3, 1, 1, 8, VALID, RELU", // three-row direct path, stride 1, a leftover pixel
        "13, 14, 3, 3, 1, 2, 8, SAME, NONE", // dilated: every pixel through the border path
        "14, 14, 3, 3, 2, 1, 19, SAME, NONE", // direct, per-row passes, channel tail
        "9, 13, 1, 5, 1, 1, 24, VALID, RELU", // direct, one channel, 5x5
        "11, 9, 2, 3, 1, 1, 16, SAME, NONE", // direct, stride 1, SAME borders all round
        "7, 9, 12, 3, 3, 1, 21, SAME, RELU", // im2col + GEMM with tails
        "6, 7, 16, 1, 1, 1, 40, VALID, RELU6", // pointwise GEMM: 4-row tiles, 16- and 8-column tiles, tail rows
        "5, 5, 33, 1, 1, 1, 13, SAME, NONE", // pointwise, fewer than 16 columns
        "7, 9, 10, 1, 1, 1, 8, VALID, RELU", // pointwise, 8 columns: two rows per 512-bit vector, odd last row
        "6, 6, 9, 1, 1, 1, 70, SAME, RELU6", // 512-bit: 32-column blocks, 6- and 3-row tiles, scalar tail
        "5, 9, 3, 3, 1, 1, 24, SAME, RELU", // direct: 16-column block plus scalar tail, border pixels
        "5, 44, 3, 3, 2, 1, 8, SAME, RELU6", // 8 columns, wide rows: 16-row shuffled tiles, odd pixel with the border
        "4, 37, 3, 3, 1, 1, 8, SAME, RELU", // the same at stride 1: 16-row tiles twice, pairs left over
    })
    void conv2dAgrees(int h, int w, int c, int k, int stride, int dilation, int oc, Padding p, Activation act) {
        int n = 2;
        float[] x = random(random, size(n, h, w, c), -1, 1);
        float[] f = random(random, size(oc, k, k, c), -1, 1);
        float[] bias = random(random, oc, -1, 1);
        float[] expected = ConvolutionKernelsTest.naiveConv(
                x, n, h, w, c, f, oc, k, k, 0, bias, p, stride, stride, dilation, dilation, act);
        TensorValue[] results = new TensorValue[3];
        FloatLoops[] all = {FloatLoops.best(), SCALAR, FloatLoops.fastest()};
        for (int v = 0; v < all.length; v++) {
            TestGraph g = new TestGraph().using(kernels(all[v]));
            int in = g.floatInput(new int[] {n, h, w, c}, x);
            int wt = g.constFloats(new int[] {oc, k, k, c}, f);
            int bt = g.constFloats(new int[] {oc}, bias);
            results[v] =
                    g.run(OpType.CONV_2D, new OpOptions.Conv2D(p, stride, stride, act, dilation, dilation), new int[] {
                        in, wt, bt
                    });
        }
        assertAgree(expected, results);
    }

    @ParameterizedTest(name = "depthwise {0}x{1}x{2} k{3} s{4} d{5} {6}")
    @CsvSource({
        "12, 12, 8, 3, 1, 1, SAME, RELU6", // 3x3 interior path, one vector of channels
        "13, 11, 32, 3, 2, 1, SAME, NONE", // stride 2, odd sizes
        "9, 10, 13, 3, 1, 1, VALID, RELU", // channel tail
        "8, 8, 5, 3, 2, 1, SAME, NONE", // fewer channels than a vector
        "11, 12, 16, 5, 1, 1, SAME, RELU6", // generic interior (5x5)
        "12, 12, 24, 3, 1, 2, SAME, NONE", // dilated: generic interior
        "2, 2, 8, 3, 1, 1, SAME, NONE", // no interior at all: every window hangs over the border
        "9, 9, 8, 3, 1, 1, SAME, RELU", // 8 channels, two pixels per 512-bit vector, odd interior
        "7, 8, 40, 3, 1, 1, SAME, RELU6", // 16-channel vectors plus a scalar tail
        // whole-image 3x3 path (a zero-padded copy of the input): channels a multiple of 16, or 8 with an even
        // output width and stride 1
        "10, 9, 16, 3, 1, 1, VALID, RELU6",
        "12, 12, 48, 3, 2, 1, SAME, NONE", // stride 2, even input: padding only after
        "11, 10, 32, 3, 2, 1, VALID, RELU",
        "2, 3, 16, 3, 1, 1, SAME, NONE", // every window hangs over the border
        "6, 10, 8, 3, 1, 1, SAME, RELU6", // pairs of pixels over the whole image
    })
    void depthwiseAgrees(int h, int w, int c, int k, int stride, int dilation, Padding p, Activation act) {
        int n = 2;
        float[] x = random(random, size(n, h, w, c), -1, 1);
        float[] f = random(random, size(1, k, k, c), -1, 1);
        float[] bias = random(random, c, -1, 1);
        float[] expected = ConvolutionKernelsTest.naiveConv(
                x, n, h, w, c, f, c, k, k, 1, bias, p, stride, stride, dilation, dilation, act);
        TensorValue[] results = new TensorValue[3];
        FloatLoops[] all = {FloatLoops.best(), SCALAR, FloatLoops.fastest()};
        for (int v = 0; v < all.length; v++) {
            TestGraph g = new TestGraph().using(kernels(all[v]));
            int in = g.floatInput(new int[] {n, h, w, c}, x);
            int wt = g.constFloats(new int[] {1, k, k, c}, f);
            int bt = g.constFloats(new int[] {c}, bias);
            results[v] = g.run(
                    OpType.DEPTHWISE_CONV_2D,
                    new OpOptions.DepthwiseConv2D(p, stride, stride, 1, act, dilation, dilation),
                    new int[] {in, wt, bt});
        }
        assertAgree(expected, results);
    }

    @ParameterizedTest(name = "fully connected {0}x{1} -> {2}")
    @CsvSource({
        "1, 256, 101", // one sample: single-row tiles, 32-column blocks, tail
        "6, 40, 48", // 4-row tiles plus tail rows
        "3, 7, 5", // narrower than a vector
    })
    void fullyConnectedAgrees(int batch, int inSize, int units) {
        float[] x = random(random, batch * inSize, -1, 1);
        float[] wts = random(random, units * inSize, -1, 1);
        float[] bias = random(random, units, -1, 1);
        float[] expected = new float[batch * units];
        for (int r = 0; r < batch; r++) {
            for (int u = 0; u < units; u++) {
                double acc = bias[u];
                for (int i = 0; i < inSize; i++) {
                    acc += x[r * inSize + i] * wts[u * inSize + i];
                }
                expected[r * units + u] = (float) acc;
            }
        }
        TensorValue[] results = new TensorValue[3];
        FloatLoops[] all = {FloatLoops.best(), SCALAR, FloatLoops.fastest()};
        for (int v = 0; v < all.length; v++) {
            TestGraph g = new TestGraph().using(kernels(all[v]));
            int in = g.floatInput(new int[] {batch, inSize}, x);
            int wt = g.constFloats(new int[] {units, inSize}, wts);
            int bt = g.constFloats(new int[] {units}, bias);
            results[v] = g.run(
                    OpType.FULLY_CONNECTED,
                    new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                    new int[] {in, wt, bt});
        }
        assertAgree(expected, results);
    }

    /** All three results match the reference and each other within 1e-5 relative to max(1, max |expected|). */
    private static void assertAgree(float[] expected, TensorValue[] results) {
        float scale = 1f;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertArrayEquals(results[1].shape(), results[0].shape(), "vector and scalar output shapes");
        assertEquals(expected.length, results[0].size(), "output size");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], results[0].f[k], 1e-5 * scale, "vector path, element " + k);
            assertEquals(expected[k], results[1].f[k], 1e-5 * scale, "scalar path, element " + k);
            assertEquals(results[1].f[k], results[0].f[k], 1e-5 * scale, "vector vs scalar, element " + k);
            assertEquals(expected[k], results[2].f[k], 1e-5 * scale, "512-bit path, element " + k);
        }
    }
}
