package io.quanta.calibrate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ValueScan} in SIMD lanes. */
final class VectorValueScan extends ValueScan.Scalar {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** 1.5 · 2^23: adding it to |t| ≤ 2^22 rounds t to an integer held in the low mantissa bits. */
    private static final float MAGIC = 0x1.8p23f;

    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    /** Grid indices the magic-number rounding takes exactly. */
    private static final long INDEX_LIMIT = 1L << 22;
    /** Indices computed in SIMD lanes before they are counted one by one: a few KB, stays in L1. */
    private static final int CHUNK = 512;

    /** Per thread: this scan is shared by every calibration worker. */
    private static final ThreadLocal<int[]> CHUNKS = ThreadLocal.withInitial(() -> new int[CHUNK]);

    /**
     * FloatVector.min/max follow Math.min/max, NaN and infinities included. Their NaN and −0 rules make each a chain
     * of several instructions, so four pairs of accumulators keep the loop from waiting on one.
     */
    @Override
    void scan(float[] data, int from, int to, float[] into) {
        FloatVector lo0 = FloatVector.broadcast(S, data[from]);
        FloatVector lo1 = lo0;
        FloatVector lo2 = lo0;
        FloatVector lo3 = lo0;
        FloatVector hi0 = lo0;
        FloatVector hi1 = lo0;
        FloatVector hi2 = lo0;
        FloatVector hi3 = lo0;
        int len = S.length();
        int k = from;
        for (int up = to - 4 * len; k <= up; k += 4 * len) {
            FloatVector v0 = FloatVector.fromArray(S, data, k);
            FloatVector v1 = FloatVector.fromArray(S, data, k + len);
            FloatVector v2 = FloatVector.fromArray(S, data, k + 2 * len);
            FloatVector v3 = FloatVector.fromArray(S, data, k + 3 * len);
            lo0 = lo0.min(v0);
            hi0 = hi0.max(v0);
            lo1 = lo1.min(v1);
            hi1 = hi1.max(v1);
            lo2 = lo2.min(v2);
            hi2 = hi2.max(v2);
            lo3 = lo3.min(v3);
            hi3 = hi3.max(v3);
        }
        for (int up = from + S.loopBound(to - from); k < up; k += len) {
            FloatVector v = FloatVector.fromArray(S, data, k);
            lo0 = lo0.min(v);
            hi0 = hi0.max(v);
        }
        float l = lo0.min(lo1).min(lo2.min(lo3)).reduceLanes(VectorOperators.MIN);
        float h = hi0.max(hi1).max(hi2.max(hi3)).reduceLanes(VectorOperators.MAX);
        for (; k < to; k++) {
            l = Math.min(l, data[k]);
            h = Math.max(h, data[k]);
        }
        into[0] = l;
        into[1] = h;
    }

    /**
     * t = v · 2^-e is exact in float when e ≤ 0 (no underflow; |t| stays below 2^22 on grids this takes), and
     * floor(t) = round(t) − (round(t) − t > 0), with round(t) from the magic-number addition. round(t) − t is exact,
     * +0 when equal (also for t = −0) and never −0, so it is above 0 exactly when its bits, as an int, are: then the
     * negated bits shifted right by 31 give −1, else 0. So every index equals {@link ValueScan#index}'s. Grids with
     * coarser bins or indices far from 0 take the scalar loop.
     */
    @Override
    void bin(float[] data, int start, int end, int exponent, long offset, int bins, int[] counts) {
        if (exponent > 0 || Math.abs(offset) + bins >= INDEX_LIMIT || S.length() != I.length()) {
            binScalar(data, start, end, exponent, offset, bins, counts);
            return;
        }
        float scale = Math.scalb(1f, -exponent);
        FloatVector vScale = FloatVector.broadcast(S, scale);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        IntVector vBase = IntVector.broadcast(I, MAGIC_BITS + (int) offset);
        IntVector vZero = IntVector.broadcast(I, (int) -offset);
        IntVector vSlots = IntVector.zero(I).addIndex(1).add(bins);
        int[] ix = CHUNKS.get();
        int up = start + S.loopBound(end - start);
        for (int from = start; from < up; from += CHUNK) {
            int to = Math.min(up, from + CHUNK);
            for (int k = from; k < to; k += S.length()) {
                FloatVector t = FloatVector.fromArray(S, data, k).mul(vScale);
                FloatVector r = t.add(vMagic);
                IntVector below = r.sub(vMagic).sub(t).reinterpretAsInts().neg().lanewise(VectorOperators.ASHR, 31);
                IntVector j = r.reinterpretAsInts().sub(vBase).add(below);
                VectorMask<Integer> zero = j.compare(VectorOperators.EQ, vZero);
                j.blend(vSlots, zero).intoArray(ix, k - from);
            }
            for (int k = 0, m = to - from; k < m; k++) {
                counts[ix[k]]++;
            }
        }
        binScalar(data, up, end, exponent, offset, bins, counts);
    }
}
