package io.quanta.kernels.int8;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvTiles} in the widest float lanes the hardware has ({@link Lanes#FLOAT}: 16 floats with AVX-512, as the
 * float kernels use): output channels in blocks of two vectors (then one vector for the rest), tiles of 8 output
 * pixels, so sixteen (or eight) accumulators are fed by two (or one) weight vectors and eight broadcast inputs per
 * step of the depth, the depth (filter taps x input channels) walked in one flat loop over precomputed input
 * offsets. A row of fewer than 8 pixels goes pixel by pixel; a row's last partial tile is recomputed overlapping
 * the one before it (the same sums, written again).
 *
 * <p>Vectors never cross a call that is not inlined nor live across nested loops (C2 in Java 17 would box them),
 * and each accumulator is cast to the species' exact class before its store (see {@link #tile2}).
 */
final class VectorConvTiles implements ConvTiles {
    private static final VectorSpecies<Float> S = Lanes.FLOAT;
    /** S's vector class, a constant: a cast to it gives C2 the exact class (see {@link #tile2}). */
    private static final Class<? extends Vector<Float>> EXACT = S.vectorType();

    private static final int L = S.length();
    /** Output channels of a wide block: two vectors. */
    private static final int BLOCK = 2 * L;

    private static final int TILE = 8;

    private final int depth;
    private final int paddedChannels;
    private final boolean magic;
    /**
     * Where the sums start, {@link ExactGemm#MAGIC} or 0 (see {@link ConvTiles#magic}), in every lane: loaded, not
     * broadcast from a scalar, whose shared JDK path boxed the vector once other shapes had run in the JVM.
     */
    private final float[] start = new float[L];
    /**
     * Channel blocks of {@code BLOCK}, the last one of L when fewer are left: block j (its first channel) of width
     * bw holds weight (k, q) at {@code j * depth + k * bw + q}.
     */
    private final float[] packed;

    private VectorConvTiles(int[] w, int n, int depth, boolean int8Inputs) {
        this.depth = depth;
        magic = int8Inputs && ExactGemm.sumBound(w, n, depth, depth, 1) < ExactGemm.MAGIC_BOUND;
        java.util.Arrays.fill(start, magic ? ExactGemm.MAGIC : 0f);
        paddedChannels = (n + L - 1) / L * L;
        packed = new float[paddedChannels * depth];
        for (int j = 0; j < paddedChannels; j += BLOCK) {
            int bw = blockWidth(j);
            for (int c = j; c < Math.min(n, j + bw); c++) {
                for (int k = 0; k < depth; k++) {
                    packed[j * depth + k * bw + c - j] = w[c * depth + k];
                }
            }
        }
    }

    static ConvTiles createIfUsable(int[] w, int n, int depth, boolean int8Inputs) {
        if (!Lanes.usable()) {
            return null;
        }
        return new VectorConvTiles(w, n, depth, int8Inputs);
    }

    private int blockWidth(int j) {
        return Math.min(BLOCK, paddedChannels - j);
    }

    @Override
    public int paddedChannels() {
        return paddedChannels;
    }

    @Override
    public boolean magic() {
        return magic;
    }

    @Override
    public void rows(float[] x, int xBase, int rowStep, int rows, int step, int pixels, int[] offsets, float[] sums) {
        int np = paddedChannels;
        // Channel blocks outermost: one block's weights stay cached while every row reads them.
        for (int j = 0; j < np; j += BLOCK) {
            boolean wide = blockWidth(j) == BLOCK;
            int w0 = j * depth;
            for (int r = 0; r < rows; r++) {
                int rowBase = xBase + r * rowStep;
                int o = r * pixels * np + j;
                if (pixels < TILE) {
                    for (int p = 0; p < pixels; p++) {
                        if (wide) {
                            pixel2(x, rowBase + p * step, offsets, w0, sums, o + p * np);
                        } else {
                            pixel1(x, rowBase + p * step, offsets, w0, sums, o + p * np);
                        }
                    }
                    continue;
                }
                for (int p = 0; p < pixels; p += TILE) {
                    int q = Math.min(p, pixels - TILE);
                    if (wide) {
                        tile2(x, rowBase + q * step, step, offsets, w0, sums, o + q * np, np);
                    } else {
                        tile1(x, rowBase + q * step, step, offsets, w0, sums, o + q * np, np);
                    }
                }
            }
        }
    }

    /** 8 pixels x two vectors of channels. */
    private void tile2(float[] x, int base, int step, int[] offsets, int w0, float[] sums, int o, int np) {
        float[] wp = packed;
        int n = depth;
        FloatVector a0 = FloatVector.fromArray(S, start, 0);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        FloatVector b6 = a0;
        FloatVector b7 = a0;
        for (int k = 0; k < n; k++) {
            FloatVector u = FloatVector.fromArray(S, wp, w0 + k * BLOCK);
            FloatVector v = FloatVector.fromArray(S, wp, w0 + k * BLOCK + L);
            int i = base + (offsets == null ? k : offsets[k]);
            FloatVector x0 = FloatVector.broadcast(S, x[i]);
            a0 = u.fma(x0, a0);
            b0 = v.fma(x0, b0);
            FloatVector x1 = FloatVector.broadcast(S, x[i + step]);
            a1 = u.fma(x1, a1);
            b1 = v.fma(x1, b1);
            FloatVector x2 = FloatVector.broadcast(S, x[i + 2 * step]);
            a2 = u.fma(x2, a2);
            b2 = v.fma(x2, b2);
            FloatVector x3 = FloatVector.broadcast(S, x[i + 3 * step]);
            a3 = u.fma(x3, a3);
            b3 = v.fma(x3, b3);
            FloatVector x4 = FloatVector.broadcast(S, x[i + 4 * step]);
            a4 = u.fma(x4, a4);
            b4 = v.fma(x4, b4);
            FloatVector x5 = FloatVector.broadcast(S, x[i + 5 * step]);
            a5 = u.fma(x5, a5);
            b5 = v.fma(x5, b5);
            FloatVector x6 = FloatVector.broadcast(S, x[i + 6 * step]);
            a6 = u.fma(x6, a6);
            b6 = v.fma(x6, b6);
            FloatVector x7 = FloatVector.broadcast(S, x[i + 7 * step]);
            a7 = u.fma(x7, a7);
            b7 = v.fma(x7, b7);
        }
        // Each accumulator leaves the loop as a phi that C2 types only as FloatVector while parsing, so an instance
        // call on it (intoArray) dispatches on the JDK's shared profile: once vectors of another shape ran there,
        // C2 inlines both classes, the store intrinsic fails and every vector is boxed (measured: 19 MB per resnet8
        // conv after a float model had run). Class.cast with a constant class is an intrinsic that gives the exact
        // class (the vector classes are final) for the price of a class compare.
        ((FloatVector) EXACT.cast(a0)).intoArray(sums, o);
        ((FloatVector) EXACT.cast(b0)).intoArray(sums, o + L);
        ((FloatVector) EXACT.cast(a1)).intoArray(sums, o + np);
        ((FloatVector) EXACT.cast(b1)).intoArray(sums, o + np + L);
        ((FloatVector) EXACT.cast(a2)).intoArray(sums, o + 2 * np);
        ((FloatVector) EXACT.cast(b2)).intoArray(sums, o + 2 * np + L);
        ((FloatVector) EXACT.cast(a3)).intoArray(sums, o + 3 * np);
        ((FloatVector) EXACT.cast(b3)).intoArray(sums, o + 3 * np + L);
        ((FloatVector) EXACT.cast(a4)).intoArray(sums, o + 4 * np);
        ((FloatVector) EXACT.cast(b4)).intoArray(sums, o + 4 * np + L);
        ((FloatVector) EXACT.cast(a5)).intoArray(sums, o + 5 * np);
        ((FloatVector) EXACT.cast(b5)).intoArray(sums, o + 5 * np + L);
        ((FloatVector) EXACT.cast(a6)).intoArray(sums, o + 6 * np);
        ((FloatVector) EXACT.cast(b6)).intoArray(sums, o + 6 * np + L);
        ((FloatVector) EXACT.cast(a7)).intoArray(sums, o + 7 * np);
        ((FloatVector) EXACT.cast(b7)).intoArray(sums, o + 7 * np + L);
    }

    /** 8 pixels x one vector of channels (the last block of a channel count that is an odd number of vectors). */
    private void tile1(float[] x, int base, int step, int[] offsets, int w0, float[] sums, int o, int np) {
        float[] wp = packed;
        int n = depth;
        FloatVector a0 = FloatVector.fromArray(S, start, 0);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int k = 0; k < n; k++) {
            FloatVector u = FloatVector.fromArray(S, wp, w0 + k * L);
            int i = base + (offsets == null ? k : offsets[k]);
            a0 = u.fma(FloatVector.broadcast(S, x[i]), a0);
            a1 = u.fma(FloatVector.broadcast(S, x[i + step]), a1);
            a2 = u.fma(FloatVector.broadcast(S, x[i + 2 * step]), a2);
            a3 = u.fma(FloatVector.broadcast(S, x[i + 3 * step]), a3);
            a4 = u.fma(FloatVector.broadcast(S, x[i + 4 * step]), a4);
            a5 = u.fma(FloatVector.broadcast(S, x[i + 5 * step]), a5);
            a6 = u.fma(FloatVector.broadcast(S, x[i + 6 * step]), a6);
            a7 = u.fma(FloatVector.broadcast(S, x[i + 7 * step]), a7);
        }
        ((FloatVector) EXACT.cast(a0)).intoArray(sums, o);
        ((FloatVector) EXACT.cast(a1)).intoArray(sums, o + np);
        ((FloatVector) EXACT.cast(a2)).intoArray(sums, o + 2 * np);
        ((FloatVector) EXACT.cast(a3)).intoArray(sums, o + 3 * np);
        ((FloatVector) EXACT.cast(a4)).intoArray(sums, o + 4 * np);
        ((FloatVector) EXACT.cast(a5)).intoArray(sums, o + 5 * np);
        ((FloatVector) EXACT.cast(a6)).intoArray(sums, o + 6 * np);
        ((FloatVector) EXACT.cast(a7)).intoArray(sums, o + 7 * np);
    }

    private void pixel2(float[] x, int base, int[] offsets, int w0, float[] sums, int o) {
        float[] wp = packed;
        int n = depth;
        FloatVector a = FloatVector.fromArray(S, start, 0);
        FloatVector b = a;
        for (int k = 0; k < n; k++) {
            FloatVector xk = FloatVector.broadcast(S, x[base + (offsets == null ? k : offsets[k])]);
            a = FloatVector.fromArray(S, wp, w0 + k * BLOCK).fma(xk, a);
            b = FloatVector.fromArray(S, wp, w0 + k * BLOCK + L).fma(xk, b);
        }
        ((FloatVector) EXACT.cast(a)).intoArray(sums, o);
        ((FloatVector) EXACT.cast(b)).intoArray(sums, o + L);
    }

    private void pixel1(float[] x, int base, int[] offsets, int w0, float[] sums, int o) {
        float[] wp = packed;
        int n = depth;
        FloatVector a = FloatVector.fromArray(S, start, 0);
        for (int k = 0; k < n; k++) {
            a = FloatVector.fromArray(S, wp, w0 + k * L)
                    .fma(FloatVector.broadcast(S, x[base + (offsets == null ? k : offsets[k])]), a);
        }
        ((FloatVector) EXACT.cast(a)).intoArray(sums, o);
    }
}
