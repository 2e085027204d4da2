package io.quanta.kernels;

import io.quanta.graph.ModelInvalidException;

/**
 * TFLite's integer arithmetic, as pure static functions: real multipliers encoded as an int32 mantissa and
 * a power-of-two shift, gemmlowp's rounding high multiply and rounding shift, and the rounding helpers the
 * kernels need to agree with the real runtime bit for bit.
 *
 * <p>TFLite 2.21 builds without {@code TFLITE_SINGLE_ROUNDING}, so {@link #multiplyByQuantizedMultiplier}
 * rounds twice (high multiply, then shift), exactly as its reference and optimized x86 kernels do.
 */
public final class FixedPoint {
    private FixedPoint() {}

    /** A real multiplier as {@code multiplier * 2^(shift - 31)}, multiplier in [2^30, 2^31) or 0. */
    public record Multiplier(int multiplier, int shift) {
        public double toDouble() {
            return multiplier * Math.pow(2, shift - 31);
        }
    }

    /**
     * Encodes a real multiplier the way TFLite's QuantizeMultiplier does: frexp into [0.5, 1), round the
     * mantissa to 31 bits (half away from zero), renormalise when rounding reaches 2^31, and flush values
     * below 2^-31 or so (shift under -31) to zero.
     */
    public static Multiplier quantizeMultiplier(double real) {
        if (real == 0 || Double.isNaN(real)) {
            return new Multiplier(0, 0);
        }
        if (Double.isInfinite(real)) {
            // Scales from the model's quantization parameters (a tiny output scale, say): the model's fault.
            throw new ModelInvalidException("the quantization scales give an infinite multiplier");
        }
        int shift = frexpExponent(real);
        double mantissa = Math.scalb(real, -shift); // in [0.5, 1) by magnitude
        long fixed = (long) roundHalfAwayFromZero(mantissa * (1L << 31));
        if (Math.abs(fixed) == (1L << 31)) {
            fixed /= 2;
            shift++;
        }
        if (shift < -31) {
            return new Multiplier(0, 0);
        }
        return new Multiplier((int) fixed, shift);
    }

    /** The exponent C's frexp returns: real = m * 2^e with |m| in [0.5, 1). */
    static int frexpExponent(double real) {
        double a = Math.abs(real);
        int e = Math.getExponent(a);
        if (e == Double.MIN_EXPONENT - 1) { // subnormal: normalise first
            return frexpExponent(a * 0x1p64) - 64;
        }
        return e + 1;
    }

    /** gemmlowp's SaturatingRoundingDoublingHighMul: (a*b*2 + 2^31) >> 32, rounding half away from zero. */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == b && a == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * b;
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31)); // Java division truncates toward zero, as C++ does
    }

    /** gemmlowp's RoundingDivideByPOT: x / 2^exponent, rounding half away from zero. */
    public static int roundingDivideByPOT(int x, int exponent) {
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /** TFLite's MultiplyByQuantizedMultiplier (double rounding, the default build). */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
    }

    /**
     * TFLite's MultiplyByQuantizedMultiplier for an int64 accumulator (16x8 kernels with int64 bias): the multiplier
     * reduced to 16 bits (rounded, saturating at 0x7FFF), one product and one rounding shift (ties toward +inf).
     */
    public static int multiplyByQuantizedMultiplier(long x, int multiplier, int shift) {
        long reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
        int totalShift = 15 - shift;
        return (int) ((x * reduced + (1L << (totalShift - 1))) >> totalShift);
    }

    public static int multiplyByQuantizedMultiplier(int x, Multiplier m) {
        return multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift());
    }

    /** For multipliers below one (shift <= 0): one high multiply, one rounding shift. */
    public static int multiplyByQuantizedMultiplierSmallerThanOneExp(int x, int multiplier, int shift) {
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -shift);
    }

    /**
     * The multiplier as ruy (TFLite's matrix-multiply backend for CONV_2D and FULLY_CONNECTED) applies it
     * on x86: a doubling high multiply and a rounding right shift, both rounding ties toward +infinity
     * (ARM's sqrdmulh and srshl semantics), unlike gemmlowp's away-from-zero shift.
     */
    public static int multiplyByQuantizedMultiplierRuy(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        int shifted = x * (1 << leftShift);
        int high;
        if (shifted == Integer.MIN_VALUE && multiplier == Integer.MIN_VALUE) {
            high = Integer.MAX_VALUE;
        } else {
            high = (int) (((long) shifted * multiplier + (1L << 30)) >> 31);
        }
        if (rightShift == 0) {
            return high;
        }
        return (int) (((long) high + (1L << (rightShift - 1))) >> rightShift);
    }

    /** The single-rounding variant (TFLITE_SINGLE_ROUNDING builds, ruy's reference path); kept for comparison. */
    public static int multiplyByQuantizedMultiplierSingleRounding(int x, int multiplier, int shift) {
        int totalShift = 31 - shift;
        long round = 1L << (totalShift - 1);
        return (int) (((long) x * multiplier + round) >> totalShift);
    }

    /** int16 SaturatingRoundingDoublingHighMul (gemmlowp on int16 lanes). */
    public static int saturatingRoundingDoublingHighMul16(int a, int b) {
        if (a == b && a == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        int ab = a * b;
        int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
        return (short) ((ab + nudge) / (1 << 15));
    }

    /** int16 doubling high multiply without rounding (truncates toward zero), saturating the one overflow. */
    public static int saturatingDoublingHighMul16(int a, int b) {
        if (a == b && a == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        return (short) ((a * b) / (1 << 15));
    }

    /** x << shift saturated to int16. */
    public static int saturatingLeftShift16(int x, int shift) {
        int r = x << shift;
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    /** TFLite's DownScaleInt32ToInt16Multiplier: the top 16 bits, rounded, saturating. */
    public static int downScaleInt32ToInt16Multiplier(int multiplier) {
        int rounding = 1 << 15;
        if (multiplier >= Integer.MAX_VALUE - rounding) {
            return Short.MAX_VALUE;
        }
        return (multiplier + rounding) >> 16;
    }

    /** C's round(): half away from zero, exact for every double. */
    public static double roundHalfAwayFromZero(double x) {
        double a = Math.abs(x);
        double r = Math.floor(a);
        if (a - r >= 0.5) {
            r += 1;
        }
        return Math.copySign(r, x);
    }

    /** C's roundf(). */
    public static float roundHalfAwayFromZero(float x) {
        return (float) roundHalfAwayFromZero((double) x);
    }

    /**
     * An integer sum divided by a positive count, rounding half away from zero, as TFLite's quantized average
     * pooling; 0 for an empty window (count 0).
     */
    public static int divideRoundHalfAwayFromZero(int sum, int count) {
        if (count == 0) {
            return 0;
        }
        return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    }

    /**
     * TFLite's QuantizedMeanOrSum multiplier for a mean over {@code count} elements: the multiplier of {@code real}
     * with 1/count folded in, keeping floor(log2(count)) extra bits (at most 32, and the shift stays ≥ -31).
     */
    public static Multiplier meanMultiplier(double real, int count) {
        Multiplier m = quantizeMultiplier(real);
        if (count <= 0) {
            return m;
        }
        int extra = 31 - Integer.numberOfLeadingZeros(count);
        extra = Math.min(extra, 32);
        extra = Math.min(extra, 31 + m.shift());
        return new Multiplier((int) (((long) m.multiplier() << extra) / count), m.shift() - extra);
    }

    /** Clamp to the int8 range. */
    public static byte saturateInt8(int v) {
        return (byte) (v < -128 ? -128 : (v > 127 ? 127 : v));
    }
}
