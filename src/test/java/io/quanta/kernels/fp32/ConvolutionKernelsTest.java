package io.quanta.kernels.fp32;

import static io.quanta.testing.TestGraph.assertClose;
import static io.quanta.testing.TestGraph.random;
import static io.quanta.testing.TestGraph.size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Activation;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.testing.TestGraph;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Convolutions and pooling against naive loops written here from the TFLite definitions. */
class ConvolutionKernelsTest {
    private final Random random = new Random(42);

    /** Output size: SAME ceil(in / stride); VALID ceil((in - effective + 1) / stride). */
    static int outSize(Padding p, int in, int k, int stride, int dilation) {
        int eff = (k - 1) * dilation + 1;
        return p == Padding.SAME
                ? (int) Math.ceil(in / (double) stride)
                : (int) Math.ceil((in - eff + 1) / (double) stride);
    }

    static int pad(int in, int k, int stride, int dilation, int out) {
        return Math.max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in) / 2;
    }

    static float clamp(double v, Activation a) {
        return (float) Math.min(Math.max(v, a.floatMin()), a.floatMax());
    }

    /** Naive convolution; depthwise when multiplier > 0 (filter [1][kh][kw][c*m]), else filter [oc][kh][kw][c]. */
    static float[] naiveConv(
            float[] in,
            int n,
            int h,
            int w,
            int c,
            float[] f,
            int oc,
            int kh,
            int kw,
            int multiplier,
            float[] bias,
            Padding p,
            int sh,
            int sw,
            int dh,
            int dw,
            Activation act) {
        int oh = outSize(p, h, kh, sh, dh);
        int ow = outSize(p, w, kw, sw, dw);
        int pt = pad(h, kh, sh, dh, oh);
        int pl = pad(w, kw, sw, dw, ow);
        float[] out = new float[n * oh * ow * oc];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int o = 0; o < oc; o++) {
                        double acc = bias == null ? 0 : bias[o];
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = y * sh - pt + ky * dh;
                                int ix = x * sw - pl + kx * dw;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                if (multiplier > 0) {
                                    int ic = o / multiplier;
                                    acc += in[((b * h + iy) * w + ix) * c + ic] * f[(ky * kw + kx) * oc + o];
                                } else {
                                    for (int ic = 0; ic < c; ic++) {
                                        acc += in[((b * h + iy) * w + ix) * c + ic]
                                                * f[((o * kh + ky) * kw + kx) * c + ic];
                                    }
                                }
                            }
                        }
                        out[((b * oh + y) * ow + x) * oc + o] = clamp(acc, act);
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "conv {0}x{1}x{2} k{3}x{4} oc{5} {6} s{7} d{8} {9} bias={10}")
    @CsvSource({
        "7, 9, 3, 3, 3, 5, SAME, 1, 1, NONE, true",
        "7, 9, 3, 3, 3, 5, VALID, 1, 1, RELU, true",
        "8, 8, 4, 3, 3, 6, SAME, 2, 1, RELU6, true",
        "9, 7, 4, 3, 3, 6, SAME, 2, 1, NONE, false",
        "9, 9, 2, 3, 3, 3, VALID, 2, 1, RELU_N1_TO_1, true",
        "10, 11, 3, 3, 3, 4, SAME, 1, 2, NONE, true",
        "10, 11, 3, 3, 2, 4, VALID, 1, 2, RELU, true",
        "6, 5, 16, 1, 1, 9, SAME, 1, 1, RELU6, true",
        "6, 5, 16, 1, 1, 9, VALID, 2, 1, NONE, false",
        "5, 5, 3, 5, 5, 2, SAME, 3, 1, NONE, true",
    })
    void conv2d(
            int h,
            int w,
            int c,
            int kh,
            int kw,
            int oc,
            Padding p,
            int stride,
            int dilation,
            Activation act,
            boolean withBias) {
        int n = 2;
        float[] x = random(random, size(n, h, w, c), -1, 1);
        float[] f = random(random, size(oc, kh, kw, c), -1, 1);
        float[] bias = withBias ? random(random, oc, -1, 1) : null;
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {n, h, w, c}, x);
        int wt = g.constFloats(new int[] {oc, kh, kw, c}, f);
        int bt = withBias ? g.constFloats(new int[] {oc}, bias) : -1;
        TensorValue out = g.run(
                OpType.CONV_2D, new OpOptions.Conv2D(p, stride, stride, act, dilation, dilation), new int[] {in, wt, bt
                });
        int oh = outSize(p, h, kh, stride, dilation);
        int ow = outSize(p, w, kw, stride, dilation);
        assertClose(
                new int[] {n, oh, ow, oc},
                naiveConv(x, n, h, w, c, f, oc, kh, kw, 0, bias, p, stride, stride, dilation, dilation, act),
                out);
    }

    @Test
    void convWithDifferentStridesPerAxis() {
        float[] x = random(random, size(1, 9, 10, 2), -1, 1);
        float[] f = random(random, size(3, 2, 3, 2), -1, 1);
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {1, 9, 10, 2}, x);
        int wt = g.constFloats(new int[] {3, 2, 3, 2}, f);
        TensorValue out = g.run(
                OpType.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 3, 2, Activation.NONE, 1, 1), new int[] {in, wt, -1
                });
        // strideW = 3, strideH = 2: SAME gives ceil(9/2) = 5 rows, ceil(10/3) = 4 columns.
        float[] expected = naiveConv(x, 1, 9, 10, 2, f, 3, 2, 3, 0, null, Padding.SAME, 2, 3, 1, 1, Activation.NONE);
        assertClose(new int[] {1, 5, 4, 3}, expected, out);
    }

    @ParameterizedTest(name = "depthwise {0}x{1}x{2} k{3} m{4} {5} s{6} d{7} {8}")
    @CsvSource({
        "7, 9, 3, 3, 1, SAME, 1, 1, RELU6",
        "8, 8, 4, 3, 2, SAME, 2, 1, NONE",
        "9, 7, 3, 3, 2, VALID, 1, 1, RELU",
        "11, 10, 2, 3, 1, SAME, 1, 2, NONE",
        "11, 10, 2, 3, 3, VALID, 2, 2, RELU_N1_TO_1",
        "5, 6, 16, 5, 1, SAME, 2, 1, NONE",
    })
    void depthwise(int h, int w, int c, int k, int m, Padding p, int stride, int dilation, Activation act) {
        int n = 2;
        int oc = c * m;
        float[] x = random(random, size(n, h, w, c), -1, 1);
        float[] f = random(random, size(1, k, k, oc), -1, 1);
        float[] bias = random(random, oc, -1, 1);
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {n, h, w, c}, x);
        int wt = g.constFloats(new int[] {1, k, k, oc}, f);
        int bt = g.constFloats(new int[] {oc}, bias);
        TensorValue out = g.run(
                OpType.DEPTHWISE_CONV_2D,
                new OpOptions.DepthwiseConv2D(p, stride, stride, m, act, dilation, dilation),
                new int[] {in, wt, bt});
        assertClose(
                new int[] {n, outSize(p, h, k, stride, dilation), outSize(p, w, k, stride, dilation), oc},
                naiveConv(x, n, h, w, c, f, oc, k, k, m, bias, p, stride, stride, dilation, dilation, act),
                out);
    }

    @ParameterizedTest(name = "fully connected input {0} units {1} keep={2} bias={3} {4}")
    @CsvSource({
        "'1,6', 4, false, true, NONE",
        "'3,5', 7, false, false, RELU",
        "'2,3,8', 5, true, true, RELU6",
        "'2,3,8', 5, false, true, NONE",
        "'2,2,2,6', 3, false, true, RELU_N1_TO_1",
        "'9,33', 17, false, true, NONE",
    })
    void fullyConnected(String inShape, int units, boolean keep, boolean withBias, Activation act) {
        int[] shape = java.util.Arrays.stream(inShape.split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int inSize = shape[shape.length - 1];
        int rows = size(shape) / inSize;
        float[] x = random(random, size(shape), -1, 1);
        float[] wts = random(random, units * inSize, -1, 1);
        float[] bias = withBias ? random(random, units, -1, 1) : null;
        TestGraph g = new TestGraph();
        int in = g.floatInput(shape, x);
        int wt = g.constFloats(new int[] {units, inSize}, wts);
        int bt = withBias ? g.constFloats(new int[] {units}, bias) : -1;
        TensorValue out = g.run(
                OpType.FULLY_CONNECTED, new OpOptions.FullyConnected(act, 0, keep, false), new int[] {in, wt, bt});
        float[] expected = new float[rows * units];
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                double acc = withBias ? bias[u] : 0;
                for (int i = 0; i < inSize; i++) {
                    acc += x[r * inSize + i] * wts[u * inSize + i];
                }
                expected[r * units + u] = clamp(acc, act);
            }
        }
        int[] outShape = keep ? shape.clone() : new int[] {rows, units};
        outShape[outShape.length - 1] = units;
        assertClose(outShape, expected, out);
    }

    @Test
    void fullyConnectedWithRuntimeWeights() {
        float[] x = random(random, 2 * 5, -1, 1);
        float[] wts = random(random, 3 * 5, -1, 1);
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {2, 5}, x);
        int wt = g.floatInput(new int[] {3, 5}, wts);
        TensorValue out = g.run(
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                new int[] {in, wt, -1});
        float[] expected = new float[6];
        for (int r = 0; r < 2; r++) {
            for (int u = 0; u < 3; u++) {
                for (int i = 0; i < 5; i++) {
                    expected[r * 3 + u] += x[r * 5 + i] * wts[u * 5 + i];
                }
            }
        }
        assertClose(new int[] {2, 3}, expected, out);
    }

    @ParameterizedTest(name = "transpose conv in {0}x{1}x{2} k{3}x{4} oc{5} {6} s{7} out {8}x{9}")
    @CsvSource({
        "3, 4, 2, 3, 3, 5, SAME, 2, 6, 8",
        "3, 4, 2, 3, 3, 5, VALID, 2, 7, 9",
        "4, 4, 3, 2, 2, 4, VALID, 2, 8, 8",
        "5, 5, 2, 3, 3, 3, SAME, 1, 5, 5",
        "3, 3, 2, 4, 4, 2, SAME, 2, 5, 6",
    })
    void transposeConv(int h, int w, int c, int kh, int kw, int oc, Padding p, int stride, int outH, int outW) {
        int n = 2;
        float[] x = random(random, size(n, h, w, c), -1, 1);
        float[] f = random(random, size(oc, kh, kw, c), -1, 1);
        float[] bias = random(random, oc, -1, 1);
        TestGraph g = new TestGraph();
        int shape = g.constInts(new int[] {4}, new int[] {n, outH, outW, oc});
        int wt = g.constFloats(new int[] {oc, kh, kw, c}, f);
        int in = g.floatInput(new int[] {n, h, w, c}, x);
        int bt = g.constFloats(new int[] {oc}, bias);
        TensorValue out = g.run(
                OpType.TRANSPOSE_CONV,
                new OpOptions.TransposeConv(p, stride, stride, Activation.RELU),
                new int[] {shape, wt, in, bt});
        // Padding as a forward conv from the output size would use.
        int pt = pad(outH, kh, stride, 1, outSize(p, outH, kh, stride, 1));
        int pl = pad(outW, kw, stride, 1, outSize(p, outW, kw, stride, 1));
        double[] acc = new double[n * outH * outW * oc];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int oy = y * stride - pt + ky;
                            int ox = xx * stride - pl + kx;
                            if (oy < 0 || oy >= outH || ox < 0 || ox >= outW) {
                                continue;
                            }
                            for (int o = 0; o < oc; o++) {
                                for (int ic = 0; ic < c; ic++) {
                                    acc[((b * outH + oy) * outW + ox) * oc + o] +=
                                            x[((b * h + y) * w + xx) * c + ic] * f[((o * kh + ky) * kw + kx) * c + ic];
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] expected = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            expected[i] = clamp(acc[i] + bias[i % oc], Activation.RELU);
        }
        assertClose(new int[] {n, outH, outW, oc}, expected, out);
    }

    @ParameterizedTest(name = "{0} pool {1}x{2}x{3} f{4}x{5} s{6} {7} {8}")
    @CsvSource({
        "AVERAGE_POOL_2D, 7, 9, 3, 3, 3, 2, SAME, NONE",
        "AVERAGE_POOL_2D, 7, 9, 3, 2, 2, 2, VALID, RELU6",
        "AVERAGE_POOL_2D, 7, 7, 5, 7, 7, 1, VALID, NONE",
        "AVERAGE_POOL_2D, 5, 6, 2, 3, 2, 1, SAME, RELU",
        "MAX_POOL_2D, 7, 9, 3, 3, 3, 2, SAME, NONE",
        "MAX_POOL_2D, 8, 8, 4, 2, 2, 2, VALID, RELU",
        "MAX_POOL_2D, 5, 6, 2, 3, 2, 1, SAME, RELU_N1_TO_1",
    })
    void pool(OpType type, int h, int w, int c, int fh, int fw, int stride, Padding p, Activation act) {
        int n = 2;
        float[] x = random(random, size(n, h, w, c), -3, 3);
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {n, h, w, c}, x);
        TensorValue out = g.run(type, new OpOptions.Pool2D(p, stride, stride, fw, fh, act), new int[] {in});
        int oh = outSize(p, h, fh, stride, 1);
        int ow = outSize(p, w, fw, stride, 1);
        int pt = pad(h, fh, stride, 1, oh);
        int pl = pad(w, fw, stride, 1, ow);
        float[] expected = new float[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        double sum = 0;
                        double max = Double.NEGATIVE_INFINITY;
                        int count = 0;
                        for (int ky = 0; ky < fh; ky++) {
                            for (int kx = 0; kx < fw; kx++) {
                                int iy = y * stride - pt + ky;
                                int ix = xx * stride - pl + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    float v = x[((b * h + iy) * w + ix) * c + ch];
                                    sum += v;
                                    max = Math.max(max, v);
                                    count++;
                                }
                            }
                        }
                        double v = type == OpType.MAX_POOL_2D ? max : sum / count;
                        expected[((b * oh + y) * ow + xx) * c + ch] = clamp(v, act);
                    }
                }
            }
        }
        assertClose(new int[] {n, oh, ow, c}, expected, out);
    }

    /** Symmetric int8 weights for hybrid tests: per channel along axis 0 when perChannel. */
    private static byte[] quantizeWeights(float[] f, int channels, boolean perChannel, float[] scalesOut) {
        int per = f.length / channels;
        byte[] q = new byte[f.length];
        float globalMax = 0;
        for (float v : f) {
            globalMax = Math.max(globalMax, Math.abs(v));
        }
        for (int o = 0; o < channels; o++) {
            float max = 0;
            for (int i = 0; i < per; i++) {
                max = Math.max(max, Math.abs(f[o * per + i]));
            }
            float s = (perChannel ? max : globalMax) / 127f;
            scalesOut[o] = s;
            for (int i = 0; i < per; i++) {
                q[o * per + i] = (byte) Math.round(f[o * per + i] / s);
            }
        }
        return q;
    }

    @ParameterizedTest(name = "hybrid conv perChannel={0} {1} s{2}")
    @CsvSource({"true, SAME, 1", "true, VALID, 2", "false, SAME, 2", "false, VALID, 1"})
    void hybridConvTracksFloatConvWithinQuantizationError(boolean perChannel, Padding p, int stride) {
        int n = 2, h = 9, w = 7, c = 5, k = 3, oc = 6;
        float[] x = random(random, size(n, h, w, c), -0.5f, 2f);
        float[] f = random(random, size(oc, k, k, c), -1, 1);
        float[] scales = new float[oc];
        byte[] q = quantizeWeights(f, oc, perChannel, scales);
        float[] dequantized = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            dequantized[i] = q[i] * scales[i / (f.length / oc)];
        }
        float[] bias = random(random, oc, -1, 1);
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {n, h, w, c}, x);
        QuantParams qp = perChannel ? QuantParams.perChannel(scales, 0) : QuantParams.perTensor(scales[0], 0);
        int wt = g.constInt8(new int[] {oc, k, k, c}, qp, q);
        int bt = g.constFloats(new int[] {oc}, bias);
        TensorValue out = g.run(
                OpType.CONV_2D, new OpOptions.Conv2D(p, stride, stride, Activation.NONE, 1, 1), new int[] {in, wt, bt});
        float[] expected =
                naiveConv(x, n, h, w, c, dequantized, oc, k, k, 0, bias, p, stride, stride, 1, 1, Activation.NONE);
        // Input quantization error: at most half a step (2.5 / 255 or 2 / 127) per tap, times |w| <= 1, 45 taps.
        double bound = 45 * 0.5 * (perChannel ? 2.5 / 255 : 2.0 / 127) + 1e-4;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - out.f[i]));
        }
        assertTrue(worst <= bound, "max error " + worst + " > " + bound);
        assertTrue(worst > 0, "hybrid output should carry input quantization error");
    }

    @Test
    void refusesGroupedConvolution() {
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {1, 4, 4, 4}, new float[64]);
        int wt = g.constFloats(new int[] {2, 1, 1, 2}, new float[4]);
        UnsupportedOpException e = assertThrows(
                UnsupportedOpException.class,
                () -> g.run(OpType.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1), new int[] {
                    in, wt, -1
                }));
        assertTrue(e.getMessage().contains("CONV_2D (node 0)"), e.getMessage());
        assertTrue(e.getMessage().contains("4 channels"), e.getMessage());
    }

    @Test
    void refusesFusedTanh() {
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {1, 4}, new float[4]);
        int wt = g.constFloats(new int[] {2, 4}, new float[8]);
        UnsupportedOpException e = assertThrows(
                UnsupportedOpException.class,
                () -> g.run(
                        OpType.FULLY_CONNECTED,
                        new OpOptions.FullyConnected(Activation.TANH, 0, false, false),
                        new int[] {in, wt, -1}));
        assertEquals(true, e.getMessage().contains("TANH"), e.getMessage());
    }
}
