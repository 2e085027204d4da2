package io.quanta.kernels.int8;

import io.quanta.kernels.VectorSupport;

/**
 * The input and output transforms of {@link WinogradConv}, channel by channel: in SIMD lanes ({@link
 * VectorWinograd}) when the Vector API is usable, else the {@link Scalar} loops, which give the same values.
 */
interface WinogradTransforms {
    /**
     * {@code v[(p * count + i) * c + ch] = (B^T d B)[p]} for the tiles t0 + i (i below count) and every channel ch,
     * where d is the tile's 4x4 patch: {@code d[r][s] = x[xBase + inOffsets[t0 + i] + r * rowStride + s * c + ch]}.
     */
    void input(float[] x, int xBase, int rowStride, int c, int[] inOffsets, int t0, int count, float[] v);

    /**
     * {@code acc[outOffsets[t0 + i] + dy * rowStride + dx * n + ch] = (A^T M A)[dy][dx] / 4} for the tiles t0 + i
     * and every output channel ch, where {@code M[p] = sums[(p * count + i) * stride + ch]}.
     */
    void output(int[] sums, int stride, int count, int n, int[] outOffsets, int t0, int rowStride, int[] acc);

    /** The SIMD transforms when requested and the Vector API is usable, else the scalar ones. */
    static WinogradTransforms create(boolean simd) {
        if (simd && VectorSupport.enabled()) {
            try {
                Object t = Class.forName("io.quanta.kernels.int8.VectorWinograd")
                        .getDeclaredMethod("createIfUsable")
                        .invoke(null);
                if (t != null) {
                    return (WinogradTransforms) t;
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // the scalar transforms below
            }
        }
        return new Scalar();
    }

    /** Plain loops; {@link #inputChannels} and {@link #outputChannels} also finish the SIMD ones' last channels. */
    final class Scalar implements WinogradTransforms {
        @Override
        public void input(float[] x, int xBase, int rowStride, int c, int[] inOffsets, int t0, int count, float[] v) {
            inputChannels(x, xBase, rowStride, c, inOffsets, t0, count, v, 0);
        }

        @Override
        public void output(
                int[] sums, int stride, int count, int n, int[] outOffsets, int t0, int rowStride, int[] acc) {
            outputChannels(sums, stride, count, n, outOffsets, t0, rowStride, acc, 0);
        }

        /** {@link #input} for the channels from {@code from} on. */
        static void inputChannels(
                float[] x, int xBase, int rowStride, int c, int[] inOffsets, int t0, int count, float[] v, int from) {
            int plane = WinogradConv.plane(count * c);
            for (int i = 0; i < count; i++) {
                int base = xBase + inOffsets[t0 + i];
                for (int ch = from; ch < c; ch++) {
                    int o = i * c + ch;
                    for (int r = 0; r < 4; r++) {
                        // Row r of B^T d: rows FIRST[r] and SECOND[r] of the patch, the latter with SIGN[r]; then
                        // the same combination of its columns gives V[r][0..3].
                        int a = base + FIRST[r] * rowStride + ch;
                        int b = base + SECOND[r] * rowStride + ch;
                        float sign = SIGN[r];
                        float e0 = x[a] + sign * x[b];
                        float e1 = x[a + c] + sign * x[b + c];
                        float e2 = x[a + 2 * c] + sign * x[b + 2 * c];
                        float e3 = x[a + 3 * c] + sign * x[b + 3 * c];
                        v[(4 * r) * plane + o] = e0 - e2;
                        v[(4 * r + 1) * plane + o] = e1 + e2;
                        v[(4 * r + 2) * plane + o] = e2 - e1;
                        v[(4 * r + 3) * plane + o] = e1 - e3;
                    }
                }
            }
        }

        /** {@link #output} for the channels from {@code from} on. */
        static void outputChannels(
                int[] sums,
                int stride,
                int count,
                int n,
                int[] outOffsets,
                int t0,
                int rowStride,
                int[] acc,
                int from) {
            int plane = WinogradConv.plane(count * stride);
            for (int i = 0; i < count; i++) {
                int out = outOffsets[t0 + i];
                for (int ch = from; ch < n; ch++) {
                    int o = i * stride + ch;
                    for (int dy = 0; dy < 2; dy++) {
                        // Row dy of A^T M (A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]), then its columns the same way.
                        int e0 = outputRow(sums, o, 4 * plane, dy);
                        int e1 = outputRow(sums, o + plane, 4 * plane, dy);
                        int e2 = outputRow(sums, o + 2 * plane, 4 * plane, dy);
                        int e3 = outputRow(sums, o + 3 * plane, 4 * plane, dy);
                        int q = out + dy * rowStride + ch;
                        // 4 times the direct sum: the shift divides exactly.
                        acc[q] = (e0 + e1 + e2) >> 2;
                        acc[q + n] = (e1 - e2 - e3) >> 2;
                    }
                }
            }
        }

        /** Row dy of {@code A^T} applied to a column of M: rows at {@code sums[o]}, {@code rowGap} apart. */
        private static int outputRow(int[] sums, int o, int rowGap, int dy) {
            int m0 = sums[o];
            int m1 = sums[o + rowGap];
            int m2 = sums[o + 2 * rowGap];
            int m3 = sums[o + 3 * rowGap];
            return dy == 0 ? m0 + m1 + m2 : m1 - m2 - m3;
        }

        /** Rows of B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]: FIRST + SIGN * SECOND. */
        private static final int[] FIRST = {0, 1, 2, 1};

        private static final int[] SECOND = {2, 2, 1, 3};
        private static final float[] SIGN = {-1, 1, -1, -1};
    }
}
