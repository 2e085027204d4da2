package io.quanta.kernels.int8;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseTiles} in 256-bit float lanes (the shape of {@link VectorConvTiles}, so C2 sees one vector class
 * in the int8 kernels): eight channels of four output pixels per step over the taps, each weight vector loaded once
 * for the four; a row of fewer than four pixels goes pixel by pixel, and a row's last partial group is recomputed
 * overlapping the one before it (the same sums, written again).
 */
final class VectorDepthwiseTiles implements DepthwiseTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** S's vector class: a cast to it types an accumulator exactly for C2 (see VectorConvTiles.tile). */
    private static final Class<? extends Vector<Float>> EXACT = S.vectorType();

    private static final int L = 8;
    private static final int GROUP = 4;

    private final int taps;
    private final int stride;
    /** Weight (t, c) at {@code t * stride + c}, 0 past the real channels. */
    private final float[] packed;

    private VectorDepthwiseTiles(int[] w, int taps, int channels) {
        this.taps = taps;
        stride = (channels + L - 1) / L * L;
        packed = new float[taps * stride];
        for (int t = 0; t < taps; t++) {
            for (int c = 0; c < channels; c++) {
                packed[t * stride + c] = w[t * channels + c];
            }
        }
    }

    static DepthwiseTiles createIfUsable(int[] w, int taps, int channels) {
        if (FloatVector.SPECIES_PREFERRED.length() < L) {
            return null;
        }
        return new VectorDepthwiseTiles(w, taps, channels);
    }

    @Override
    public int channelStride() {
        return stride;
    }

    @Override
    public void row(float[] x, int base, int step, int pixels, int[] offsets, float[] sums) {
        int cs = stride;
        for (int c = 0; c < cs; c += L) {
            if (pixels < GROUP) {
                for (int p = 0; p < pixels; p++) {
                    pixel(x, base + p * step + c, offsets, c, sums, p * cs + c);
                }
                continue;
            }
            for (int p = 0; p < pixels; p += GROUP) {
                int q = Math.min(p, pixels - GROUP);
                group(x, base + q * step + c, step, offsets, c, sums, q * cs + c);
            }
        }
    }

    private void group(float[] x, int base, int step, int[] offsets, int c, float[] sums, int o) {
        float[] wp = packed;
        int cs = stride;
        int n = taps;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int t = 0; t < n; t++) {
            FloatVector w = FloatVector.fromArray(S, wp, t * cs + c);
            int i = base + offsets[t];
            a0 = w.fma(FloatVector.fromArray(S, x, i), a0);
            a1 = w.fma(FloatVector.fromArray(S, x, i + step), a1);
            a2 = w.fma(FloatVector.fromArray(S, x, i + 2 * step), a2);
            a3 = w.fma(FloatVector.fromArray(S, x, i + 3 * step), a3);
        }
        ((FloatVector) EXACT.cast(a0)).intoArray(sums, o);
        ((FloatVector) EXACT.cast(a1)).intoArray(sums, o + cs);
        ((FloatVector) EXACT.cast(a2)).intoArray(sums, o + 2 * cs);
        ((FloatVector) EXACT.cast(a3)).intoArray(sums, o + 3 * cs);
    }

    private void pixel(float[] x, int base, int[] offsets, int c, float[] sums, int o) {
        float[] wp = packed;
        int cs = stride;
        int n = taps;
        FloatVector a = FloatVector.zero(S);
        for (int t = 0; t < n; t++) {
            a = FloatVector.fromArray(S, wp, t * cs + c).fma(FloatVector.fromArray(S, x, base + offsets[t]), a);
        }
        ((FloatVector) EXACT.cast(a)).intoArray(sums, o);
    }
}
