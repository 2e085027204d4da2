package io.quanta.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TFLite's per-channel requantization, eight channels at a time in 64-bit lanes, bit-exact with
 * {@link io.quanta.kernels.FixedPoint}: ruy's (CONV_2D, FULLY_CONNECTED on x86) rounding high multiply and
 * rounding right shift, both ties upward; or gemmlowp's (the reference kernels) high multiply rounding half away
 * from zero, then a shift rounding half away from zero. Multipliers lie in [2^30, 2^31) or are 0, so the one
 * saturating case (both operands INT_MIN) never arises.
 *
 * <p>Both pairs of roundings collapse into one: nested floor divisions by powers of two are one floor division,
 * so ruy's result is {@code (x*m + 2^30 + 2^(30+r)) >> (31+r)} (no second term when r = 0), and gemmlowp's,
 * symmetric about zero, the same on |x*m| with the sign put back, less one in the numerator for negative
 * products (its high multiply truncates {@code x*m + 1 - 2^30} toward zero, and its shift rounds ties down there).
 */
final class VectorRequant implements RowRequant {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    // The species' vector classes, constants: a conversion's result cast to one is exactly typed for C2.
    private static final Class<? extends Vector<Integer>> I_CLASS = I.vectorType();
    private static final Class<? extends Vector<Long>> L_CLASS = LS.vectorType();
    private static final Class<? extends Vector<Byte>> B_CLASS = B.vectorType();
    private static final int L = 8;

    private final int channels;
    private final int[] bias;
    private final int[] leftShift;
    private final long[] multiplier;
    private final long[] nudge; // 2^30 + 2^(30 + rightShift), or 2^30 when there is no right shift
    private final long[] totalShift; // 31 + rightShift
    private final int outputOffset;
    private final int actMin;
    private final int actMax;
    /**
     * The output offset and the activation's bounds, each in 8 lanes at OFFSET, MIN and MAX: loaded rather than
     * broadcast from scalars, whose shared JDK path allocated on every call once other shapes had run in the JVM.
     */
    private final int[] lanes = new int[3 * L];

    private static final int OFFSET = 0;
    private static final int MIN = L;
    private static final int MAX = 2 * L;
    private static final long[] SIGN_BIT = {63, 63, 63, 63, 63, 63, 63, 63};

    /**
     * For {@link #storeMagic}: bias - MAGIC_BITS (the bias of sums read from the bits of floats started from MAGIC),
     * the multiplier times 2^leftShift (no shift in int lanes: with sums below 2^22, checked not to overflow int32
     * as TFLite's shift could), and for gemmlowp's rounding the nudge's change for negative products, 2^S - 2 nudge;
     * null when some channel's bias or left shift could overflow.
     */
    private final int[] magicBias;

    private final long[] magicMultiplier;
    private final long[] negativeNudge;

    private VectorRequant(int[] bias, int[] multipliers, int[] shifts, int outputOffset, int actMin, int actMax) {
        channels = multipliers.length;
        this.bias = bias.clone();
        leftShift = new int[channels];
        multiplier = new long[channels];
        nudge = new long[channels];
        totalShift = new long[channels];
        for (int c = 0; c < channels; c++) {
            leftShift[c] = Math.max(shifts[c], 0);
            int rs = Math.max(-shifts[c], 0);
            multiplier[c] = multipliers[c];
            nudge[c] = (1L << 30) + (rs == 0 ? 0 : 1L << (30 + rs));
            totalShift[c] = 31 + rs;
        }
        this.outputOffset = outputOffset;
        this.actMin = actMin;
        this.actMax = actMax;
        java.util.Arrays.fill(lanes, OFFSET, OFFSET + L, outputOffset);
        java.util.Arrays.fill(lanes, MIN, MIN + L, actMin);
        java.util.Arrays.fill(lanes, MAX, MAX + L, actMax);
        boolean fits = true;
        for (int c = 0; c < channels; c++) {
            fits &= ((Math.abs((long) bias[c]) + ExactGemm.MAGIC_BOUND) << leftShift[c]) <= Integer.MAX_VALUE;
        }
        magicBias = fits ? new int[channels] : null;
        magicMultiplier = fits ? new long[channels] : null;
        negativeNudge = fits ? new long[channels] : null;
        for (int c = 0; fits && c < channels; c++) {
            magicBias[c] = bias[c] - ExactGemm.MAGIC_BITS; // wraps back when the bits are added
            magicMultiplier[c] = multiplier[c] << leftShift[c];
            negativeNudge[c] = (1L << totalShift[c]) - 2 * nudge[c];
        }
    }

    /** This requantizer, or null without 512-bit vectors (eight 64-bit lanes) or with fewer than 8 channels. */
    static RowRequant createIfUsable(
            int[] bias, int[] multipliers, int[] shifts, int outputOffset, int actMin, int actMax) {
        if (LongVector.SPECIES_PREFERRED.length() < L || multipliers.length < L) {
            return null;
        }
        return new VectorRequant(bias, multipliers, shifts, outputOffset, actMin, actMax);
    }

    // One flat loop per rounding, apart from the float-to-int step: a vector merged from two branches, passed to a
    // method C2 compiled on its own first (its boxed code then too large to inline), or a loop body too large
    // for C2's inlining budget gets boxed, allocating on every iteration (measured with the conversion fused in).

    @Override
    public int store(int[] acc, int pixels, byte[] y, int o, boolean ruyRounding) {
        if (ruyRounding) {
            storeRuy(acc, pixels, y, o);
        } else {
            storeGemmlowp(acc, pixels, y, o);
        }
        return channels - channels % L;
    }

    @Override
    public int storeMagic(float[] sums, int pixels, int stride, byte[] y, int o, boolean ruyRounding) {
        if (magicBias == null) {
            return 0;
        }
        if (ruyRounding) {
            storeMagicRuy(sums, pixels, stride, y, o);
        } else {
            storeMagicGemmlowp(sums, pixels, stride, y, o);
        }
        return channels - channels % L;
    }

    // Channels outermost: their parameters load once into registers for every pixel (a flat loop reloading them per
    // eight outputs cost as much as the convolution), and no float-to-int conversion (see ExactGemm.MAGIC): each
    // float's bits plus bias - MAGIC_BITS are the int32 sum. No helper method returns a vector: once C2 had
    // compiled one on its own (hot from another model), it no longer inlined it and boxed every vector crossing it.

    private void storeMagicRuy(float[] sums, int pixels, int stride, byte[] y, int o) {
        int n = channels;
        int nv = n - n % L;
        IntVector offset = IntVector.fromArray(I, lanes, OFFSET);
        IntVector min = IntVector.fromArray(I, lanes, MIN);
        IntVector max = IntVector.fromArray(I, lanes, MAX);
        for (int c = 0; c < nv; c += L) {
            IntVector b = IntVector.fromArray(I, magicBias, c);
            LongVector m = LongVector.fromArray(LS, magicMultiplier, c);
            LongVector nudged = LongVector.fromArray(LS, nudge, c);
            LongVector shift = LongVector.fromArray(LS, totalShift, c);
            for (int p = 0; p < pixels; p++) {
                IntVector x = ((IntVector) I_CLASS.cast(
                                FloatVector.fromArray(F, sums, p * stride + c).reinterpretAsInts()))
                        .add(b);
                LongVector scaled = ((LongVector) L_CLASS.cast(x.convertShape(VectorOperators.I2L, LS, 0)))
                        .mul(m)
                        .add(nudged)
                        .lanewise(VectorOperators.ASHR, shift);
                IntVector r = ((IntVector) I_CLASS.cast(scaled.convertShape(VectorOperators.L2I, I, 0)))
                        .add(offset)
                        .max(min)
                        .min(max);
                ((ByteVector) B_CLASS.cast(r.convertShape(VectorOperators.I2B, B, 0))).intoArray(y, o + p * n + c);
            }
        }
    }

    private void storeMagicGemmlowp(float[] sums, int pixels, int stride, byte[] y, int o) {
        int n = channels;
        int nv = n - n % L;
        IntVector offset = IntVector.fromArray(I, lanes, OFFSET);
        IntVector min = IntVector.fromArray(I, lanes, MIN);
        IntVector max = IntVector.fromArray(I, lanes, MAX);
        LongVector signBit = LongVector.fromArray(LS, SIGN_BIT, 0);
        for (int c = 0; c < nv; c += L) {
            IntVector b = IntVector.fromArray(I, magicBias, c);
            LongVector m = LongVector.fromArray(LS, magicMultiplier, c);
            LongVector nudged = LongVector.fromArray(LS, nudge, c);
            LongVector negative = LongVector.fromArray(LS, negativeNudge, c);
            LongVector shift = LongVector.fromArray(LS, totalShift, c);
            for (int p = 0; p < pixels; p++) {
                // Rounding |P| half away from zero, sign put back, is floor((P + nudge) / 2^S) for P >= 0 and
                // -floor((-P + nudge - 1) / 2^S) = floor((P + 2^S - nudge) / 2^S) below: one floor with the nudge
                // chosen by the sign.
                IntVector x = ((IntVector) I_CLASS.cast(
                                FloatVector.fromArray(F, sums, p * stride + c).reinterpretAsInts()))
                        .add(b);
                LongVector product = ((LongVector) L_CLASS.cast(x.convertShape(VectorOperators.I2L, LS, 0))).mul(m);
                LongVector sign = product.lanewise(VectorOperators.ASHR, signBit); // -1 below zero, else 0
                LongVector scaled = product.add(nudged)
                        .add(sign.lanewise(VectorOperators.AND, negative))
                        .lanewise(VectorOperators.ASHR, shift);
                IntVector r = ((IntVector) I_CLASS.cast(scaled.convertShape(VectorOperators.L2I, I, 0)))
                        .add(offset)
                        .max(min)
                        .min(max);
                ((ByteVector) B_CLASS.cast(r.convertShape(VectorOperators.I2B, B, 0))).intoArray(y, o + p * n + c);
            }
        }
    }

    private void storeRuy(int[] acc, int pixels, byte[] y, int o) {
        int n = channels;
        int nv = n - n % L;
        // Vector operands only, and conversions' results cast to their constant class: a scalar operand's broadcast,
        // or a call on a result typed only as Vector, dispatches on the JDK's shared type profile and boxes once
        // other shapes have run (see VectorConvert.toInts).
        IntVector offset = IntVector.fromArray(I, lanes, OFFSET);
        IntVector min = IntVector.fromArray(I, lanes, MIN);
        IntVector max = IntVector.fromArray(I, lanes, MAX);
        for (int p = 0, base = 0; p < pixels; p++, base += n) {
            for (int c = 0; c < nv; c += L) {
                IntVector x = IntVector.fromArray(I, acc, base + c)
                        .add(IntVector.fromArray(I, bias, c))
                        .lanewise(VectorOperators.LSHL, IntVector.fromArray(I, leftShift, c));
                LongVector scaled = ((LongVector) L_CLASS.cast(x.convertShape(VectorOperators.I2L, LS, 0)))
                        .mul(LongVector.fromArray(LS, multiplier, c))
                        .add(LongVector.fromArray(LS, nudge, c))
                        .lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, totalShift, c));
                IntVector out = ((IntVector) I_CLASS.cast(scaled.convertShape(VectorOperators.L2I, I, 0)))
                        .add(offset)
                        .max(min)
                        .min(max);
                ((ByteVector) B_CLASS.cast(out.convertShape(VectorOperators.I2B, B, 0))).intoArray(y, o + base + c);
            }
        }
    }

    private void storeGemmlowp(int[] acc, int pixels, byte[] y, int o) {
        int n = channels;
        int nv = n - n % L;
        IntVector offset = IntVector.fromArray(I, lanes, OFFSET);
        IntVector min = IntVector.fromArray(I, lanes, MIN);
        IntVector max = IntVector.fromArray(I, lanes, MAX);
        LongVector signBit = LongVector.fromArray(LS, SIGN_BIT, 0);
        for (int p = 0, base = 0; p < pixels; p++, base += n) {
            for (int c = 0; c < nv; c += L) {
                IntVector x = IntVector.fromArray(I, acc, base + c)
                        .add(IntVector.fromArray(I, bias, c))
                        .lanewise(VectorOperators.LSHL, IntVector.fromArray(I, leftShift, c));
                LongVector product = ((LongVector) L_CLASS.cast(x.convertShape(VectorOperators.I2L, LS, 0)))
                        .mul(LongVector.fromArray(LS, multiplier, c));
                LongVector sign = product.lanewise(VectorOperators.ASHR, signBit); // -1 for negative products, else 0
                LongVector q = product.lanewise(VectorOperators.XOR, sign)
                        .sub(sign) // |product|
                        .add(LongVector.fromArray(LS, nudge, c))
                        .add(sign)
                        .lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, totalShift, c));
                LongVector scaled = q.lanewise(VectorOperators.XOR, sign).sub(sign);
                IntVector out = ((IntVector) I_CLASS.cast(scaled.convertShape(VectorOperators.L2I, I, 0)))
                        .add(offset)
                        .max(min)
                        .min(max);
                ((ByteVector) B_CLASS.cast(out.convertShape(VectorOperators.I2B, B, 0))).intoArray(y, o + base + c);
            }
        }
    }
}
