package io.quanta.kernels.fp32;

import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.SlidingWindow;
import java.util.Arrays;

/**
 * The plain-Java {@link FloatLoops}: counted inner loops over contiguous output channels, which C2 may
 * auto-vectorise. Used when the Vector API is unavailable, and as the second path the tests compare.
 */
final class ScalarFloatLoops implements FloatLoops {

    /** Four rows and two depth steps per pass keep eight broadcast scalars in registers. */
    @Override
    public void gemm(
            float[] a,
            int aOff,
            int lda,
            int rows,
            int depth,
            float[] w,
            int wOff,
            float[] bias,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = outOff + r * n;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            initRows(out, o0, 4, bias, n);
            int a0 = aOff + r * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            int k = 0;
            for (; k + 2 <= depth; k += 2) {
                float x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
                float y0 = a[a0 + k + 1], y1 = a[a1 + k + 1], y2 = a[a2 + k + 1], y3 = a[a3 + k + 1];
                int wk = wOff + k * n;
                int wk1 = wk + n;
                for (int j = 0; j < n; j++) {
                    float p = w[wk + j];
                    float q = w[wk1 + j];
                    out[o0 + j] += x0 * p + y0 * q;
                    out[o1 + j] += x1 * p + y1 * q;
                    out[o2 + j] += x2 * p + y2 * q;
                    out[o3 + j] += x3 * p + y3 * q;
                }
            }
            if (k < depth) {
                float x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
                int wk = wOff + k * n;
                for (int j = 0; j < n; j++) {
                    float p = w[wk + j];
                    out[o0 + j] += x0 * p;
                    out[o1 + j] += x1 * p;
                    out[o2 + j] += x2 * p;
                    out[o3 + j] += x3 * p;
                }
            }
            FloatActivation.clamp(out, o0, o0 + 4 * n, lo, hi);
        }
        for (; r < rows; r++) {
            int o0 = outOff + r * n;
            initRows(out, o0, 1, bias, n);
            int a0 = aOff + r * lda;
            for (int k = 0; k < depth; k++) {
                float x0 = a[a0 + k];
                int wk = wOff + k * n;
                for (int j = 0; j < n; j++) {
                    out[o0 + j] += x0 * w[wk + j];
                }
            }
            FloatActivation.clamp(out, o0, o0 + n, lo, hi);
        }
    }

    /** The scalar loops read depth-major weights as they are. */
    @Override
    public float[] pack(float[] depthMajor, int depth, int n) {
        return depthMajor;
    }

    @Override
    public void gemmPacked(
            float[] a,
            int aOff,
            int lda,
            int rows,
            int depth,
            float[] packed,
            float[] bias,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi) {
        gemm(a, aOff, lda, rows, depth, packed, 0, bias, n, out, outOff, lo, hi);
    }

    private static void initRows(float[] out, int off, int count, float[] bias, int n) {
        for (int r = 0; r < count; r++) {
            if (bias == null) {
                Arrays.fill(out, off + r * n, off + (r + 1) * n, 0f);
            } else {
                System.arraycopy(bias, 0, out, off + r * n, n);
            }
        }
    }

    @Override
    public void depthwiseRow(
            SlidingWindow win,
            float[] in,
            float[] filter,
            float[] bias,
            int b,
            int y,
            float[] out,
            float lo,
            float hi) {
        int c = win.channels;
        int ow = win.outW;
        for (int x = 0; x < ow; x++) {
            int o = ((b * win.outH + y) * ow + x) * c;
            initRows(out, o, 1, bias, c);
            for (int ky = 0; ky < win.filterH; ky++) {
                int iy = y * win.strideH - win.padTop + ky * win.dilationH;
                if (iy < 0 || iy >= win.inH) {
                    continue;
                }
                for (int kx = 0; kx < win.filterW; kx++) {
                    int ix = x * win.strideW - win.padLeft + kx * win.dilationW;
                    if (ix < 0 || ix >= win.inW) {
                        continue;
                    }
                    int i = ((b * win.inH + iy) * win.inW + ix) * c;
                    int f = (ky * win.filterW + kx) * c;
                    for (int k = 0; k < c; k++) {
                        out[o + k] += in[i + k] * filter[f + k];
                    }
                }
            }
            FloatActivation.clamp(out, o, o + c, lo, hi);
        }
    }

    @Override
    public void convRow(
            SlidingWindow win,
            float[] in,
            float[] packed,
            float[] bias,
            int n,
            int b,
            int y,
            float[] out,
            float lo,
            float hi) {
        int c = win.channels;
        int ow = win.outW;
        for (int x = 0; x < ow; x++) {
            int o = ((b * win.outH + y) * ow + x) * n;
            initRows(out, o, 1, bias, n);
            for (int ky = 0; ky < win.filterH; ky++) {
                int iy = y * win.strideH - win.padTop + ky * win.dilationH;
                if (iy < 0 || iy >= win.inH) {
                    continue;
                }
                for (int kx = 0; kx < win.filterW; kx++) {
                    int ix = x * win.strideW - win.padLeft + kx * win.dilationW;
                    if (ix < 0 || ix >= win.inW) {
                        continue;
                    }
                    int i = ((b * win.inH + iy) * win.inW + ix) * c;
                    int f = (ky * win.filterW + kx) * c * n;
                    for (int ci = 0; ci < c; ci++) {
                        float v = in[i + ci];
                        int fc = f + ci * n;
                        for (int j = 0; j < n; j++) {
                            out[o + j] += v * packed[fc + j];
                        }
                    }
                }
            }
            FloatActivation.clamp(out, o, o + n, lo, hi);
        }
    }
}
