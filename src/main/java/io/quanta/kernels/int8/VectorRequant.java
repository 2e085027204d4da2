package io.quanta.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TFLite's per-channel requantization, eight channels at a time in 64-bit lanes, bit-exact with
 * {@link io.quanta.kernels.FixedPoint}: ruy's (CONV_2D, FULLY_CONNECTED on x86) rounding high multiply and
 * rounding right shift, both ties upward; or gemmlowp's (the reference kernels) high multiply rounding half away
 * from zero, then a shift rounding half away from zero. Multipliers lie in [2^30, 2^31) or are 0, so the one
 * saturating case (both operands INT_MIN) never arises.
 */
final class VectorRequant implements RowRequant {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final int L = 8;

    private final int channels;
    private final int[] bias;
    private final int[] leftShift;
    private final long[] multiplier;
    private final long[] rightShift;
    private final long[] ruyNudge; // ruy's two roundings as one: 2^30 + 2^(30 + rightShift) (no second term at 0)
    private final long[] ruyShift; // 31 + rightShift
    private final long[] mask; // gemmlowp: 2^rightShift - 1
    private final int outputOffset;
    private final int actMin;
    private final int actMax;

    private VectorRequant(int[] bias, int[] multipliers, int[] shifts, int outputOffset, int actMin, int actMax) {
        channels = multipliers.length;
        this.bias = bias.clone();
        leftShift = new int[channels];
        multiplier = new long[channels];
        rightShift = new long[channels];
        ruyNudge = new long[channels];
        ruyShift = new long[channels];
        mask = new long[channels];
        for (int c = 0; c < channels; c++) {
            leftShift[c] = Math.max(shifts[c], 0);
            int rs = Math.max(-shifts[c], 0);
            multiplier[c] = multipliers[c];
            rightShift[c] = rs;
            ruyNudge[c] = (1L << 30) + (rs == 0 ? 0 : 1L << (30 + rs));
            ruyShift[c] = 31 + rs;
            mask[c] = (1L << rs) - 1;
        }
        this.outputOffset = outputOffset;
        this.actMin = actMin;
        this.actMax = actMax;
    }

    /** This requantizer, or null without 512-bit vectors (eight 64-bit lanes) or with fewer than 8 channels. */
    static RowRequant createIfUsable(
            int[] bias, int[] multipliers, int[] shifts, int outputOffset, int actMin, int actMax) {
        if (LongVector.SPECIES_PREFERRED.length() < L || multipliers.length < L) {
            return null;
        }
        return new VectorRequant(bias, multipliers, shifts, outputOffset, actMin, actMax);
    }

    @Override
    public int store(int[] acc, int pixels, byte[] y, int o, boolean ruyRounding) {
        // One whole loop per rounding: vectors passed to or returned from a call C2 does not inline get boxed.
        if (ruyRounding) {
            storeRuy(acc, pixels, y, o);
        } else {
            storeGemmlowp(acc, pixels, y, o);
        }
        return channels - channels % L;
    }

    /**
     * ruy's rounding high multiply then rounding shift, both floor(v + half): nested floor divisions by powers of
     * two are one, so it is (x * m + 2^30 + 2^(30 + rightShift)) >> (31 + rightShift).
     */
    private void storeRuy(int[] acc, int pixels, byte[] y, int o) {
        int n = channels;
        int nv = n - n % L;
        for (int p = 0; p < pixels; p++) {
            int base = p * n;
            for (int c = 0; c < nv; c += L) {
                IntVector sum = IntVector.fromArray(I, acc, base + c).add(IntVector.fromArray(I, bias, c));
                IntVector shifted = sum.lanewise(VectorOperators.LSHL, IntVector.fromArray(I, leftShift, c));
                LongVector x = (LongVector) shifted.convertShape(VectorOperators.I2L, LS, 0);
                LongVector scaled = x.mul(LongVector.fromArray(LS, multiplier, c))
                        .add(LongVector.fromArray(LS, ruyNudge, c))
                        .lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, ruyShift, c));
                IntVector out = ((IntVector) scaled.convertShape(VectorOperators.L2I, I, 0))
                        .add(outputOffset)
                        .max(actMin)
                        .min(actMax);
                ((ByteVector) out.convertShape(VectorOperators.I2B, B, 0)).intoArray(y, o + base + c);
            }
        }
    }

    /** gemmlowp's high multiply and shift, both rounding half away from zero. */
    private void storeGemmlowp(int[] acc, int pixels, byte[] y, int o) {
        int n = channels;
        int nv = n - n % L;
        for (int p = 0; p < pixels; p++) {
            int base = p * n;
            for (int c = 0; c < nv; c += L) {
                IntVector sum = IntVector.fromArray(I, acc, base + c).add(IntVector.fromArray(I, bias, c));
                IntVector shifted = sum.lanewise(VectorOperators.LSHL, IntVector.fromArray(I, leftShift, c));
                LongVector x = (LongVector) shifted.convertShape(VectorOperators.I2L, LS, 0);
                LongVector product = x.mul(LongVector.fromArray(LS, multiplier, c));
                LongVector rs = LongVector.fromArray(LS, rightShift, c);
                // (ab + nudge) / 2^31 truncating toward zero: add 2^31 - 1 first when negative.
                LongVector nudged = product.add(product.compare(VectorOperators.LT, 0L)
                        .toVector()
                        .reinterpretAsLongs()
                        .and(1L - (1L << 31))
                        .add(1L << 30));
                LongVector high = nudged.add(
                                nudged.lanewise(VectorOperators.ASHR, 63).and((1L << 31) - 1))
                        .lanewise(VectorOperators.ASHR, 31);
                LongVector m = LongVector.fromArray(LS, mask, c);
                LongVector remainder = high.and(m);
                LongVector threshold = m.lanewise(VectorOperators.ASHR, 1).sub(high.lanewise(VectorOperators.ASHR, 63));
                LongVector floor = high.lanewise(VectorOperators.ASHR, rs);
                LongVector scaled = floor.sub(remainder
                        .compare(VectorOperators.GT, threshold)
                        .toVector()
                        .reinterpretAsLongs());
                IntVector out = ((IntVector) scaled.convertShape(VectorOperators.L2I, I, 0))
                        .add(outputOffset)
                        .max(actMin)
                        .min(actMax);
                ((ByteVector) out.convertShape(VectorOperators.I2B, B, 0)).intoArray(y, o + base + c);
            }
        }
    }
}
