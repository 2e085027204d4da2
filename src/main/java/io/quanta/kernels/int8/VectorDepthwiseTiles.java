package io.quanta.kernels.int8;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseTiles} in the float lanes of {@link VectorConvTiles} ({@link Lanes#FLOAT}): one vector of channels
 * of four output pixels per step over the taps, each weight vector loaded once for the four; a row of fewer than
 * four pixels goes pixel by pixel, and a row's last partial group is recomputed overlapping the one before it (the
 * same sums, written again).
 *
 * <p>Eight channels at stride 1 in 16 lanes ("pairs"): the input's channel stride stays 8, so one 16-lane load at a
 * pixel holds that pixel and the next, and the weights are packed twice ([w | w]); a vector then computes two
 * neighbouring output pixels, laid out as the sums want them. An odd row's last pair computes one pixel past the
 * row, into the slack {@link DepthwiseTiles#SLACK} that callers leave after the input and the sums.
 */
final class VectorDepthwiseTiles implements DepthwiseTiles {
    private static final VectorSpecies<Float> S = Lanes.FLOAT;
    /** S's vector class: a cast to it types an accumulator exactly for C2 (see VectorConvTiles.tile2). */
    private static final Class<? extends Vector<Float>> EXACT = S.vectorType();

    private static final int L = S.length();
    private static final int GROUP = 4;

    private final int taps;
    private final boolean magic;
    /**
     * Where the sums start, {@link ExactGemm#MAGIC} or 0 (see {@link ConvTiles#magic}), in every lane: loaded, not
     * broadcast from a scalar, whose shared JDK path boxed the vector once other shapes had run in the JVM.
     */
    private final float[] start = new float[L];
    /** The channel stride of the input and the sums. */
    private final int stride;
    /** Two pixels of 8 channels per vector (see the class comment). */
    private final boolean pairs;
    /** The lanes of one tap's weights in {@code packed}: the stride, or L for pairs. */
    private final int tapLanes;
    /** Weight (t, c) at {@code t * tapLanes + c} (and, for pairs, again at {@code + 8}), 0 past the real channels. */
    private final float[] packed;

    private VectorDepthwiseTiles(int[] w, int taps, int channels, int strideW) {
        this.taps = taps;
        magic = ExactGemm.sumBound(w, channels, taps, 1, channels) < ExactGemm.MAGIC_BOUND;
        java.util.Arrays.fill(start, magic ? ExactGemm.MAGIC : 0f);
        pairs = L == 16 && channels <= 8 && strideW == 1;
        stride = pairs ? 8 : (channels + L - 1) / L * L;
        tapLanes = pairs ? L : stride;
        packed = new float[taps * tapLanes];
        for (int t = 0; t < taps; t++) {
            for (int c = 0; c < channels; c++) {
                packed[t * tapLanes + c] = w[t * channels + c];
                if (pairs) {
                    packed[t * tapLanes + 8 + c] = w[t * channels + c];
                }
            }
        }
    }

    static DepthwiseTiles createIfUsable(int[] w, int taps, int channels, int strideW) {
        if (!Lanes.usable()) {
            return null;
        }
        return new VectorDepthwiseTiles(w, taps, channels, strideW);
    }

    @Override
    public int channelStride() {
        return stride;
    }

    @Override
    public boolean magic() {
        return magic;
    }

    @Override
    public void row(float[] x, int base, int step, int pixels, int[] offsets, float[] sums) {
        if (pairs) {
            span(x, base, 2 * step, (pixels + 1) / 2, offsets, 0, sums, L);
            return;
        }
        for (int c = 0; c < stride; c += L) {
            span(x, base + c, step, pixels, offsets, c, sums, stride);
        }
    }

    /**
     * One vector of lanes (weights from lane c of each tap) of {@code units} units (a pixel, or a pair of them)
     * {@code step} apart in the input, their sums {@code sumStride} apart from {@code sums[c]}.
     */
    private void span(float[] x, int base, int step, int units, int[] offsets, int c, float[] sums, int sumStride) {
        if (units < GROUP) {
            for (int p = 0; p < units; p++) {
                pixel(x, base + p * step, offsets, c, sums, p * sumStride + c);
            }
            return;
        }
        for (int p = 0; p < units; p += GROUP) {
            int q = Math.min(p, units - GROUP);
            group(x, base + q * step, step, offsets, c, sums, q * sumStride + c, sumStride);
        }
    }

    private void group(float[] x, int base, int step, int[] offsets, int c, float[] sums, int o, int sumStride) {
        float[] wp = packed;
        int tl = tapLanes;
        int n = taps;
        FloatVector a0 = FloatVector.fromArray(S, start, 0);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int t = 0; t < n; t++) {
            FloatVector w = FloatVector.fromArray(S, wp, t * tl + c);
            int i = base + offsets[t];
            a0 = w.fma(FloatVector.fromArray(S, x, i), a0);
            a1 = w.fma(FloatVector.fromArray(S, x, i + step), a1);
            a2 = w.fma(FloatVector.fromArray(S, x, i + 2 * step), a2);
            a3 = w.fma(FloatVector.fromArray(S, x, i + 3 * step), a3);
        }
        ((FloatVector) EXACT.cast(a0)).intoArray(sums, o);
        ((FloatVector) EXACT.cast(a1)).intoArray(sums, o + sumStride);
        ((FloatVector) EXACT.cast(a2)).intoArray(sums, o + 2 * sumStride);
        ((FloatVector) EXACT.cast(a3)).intoArray(sums, o + 3 * sumStride);
    }

    private void pixel(float[] x, int base, int[] offsets, int c, float[] sums, int o) {
        float[] wp = packed;
        int tl = tapLanes;
        int n = taps;
        FloatVector a = FloatVector.fromArray(S, start, 0);
        for (int t = 0; t < n; t++) {
            a = FloatVector.fromArray(S, wp, t * tl + c).fma(FloatVector.fromArray(S, x, base + offsets[t]), a);
        }
        ((FloatVector) EXACT.cast(a)).intoArray(sums, o);
    }
}
