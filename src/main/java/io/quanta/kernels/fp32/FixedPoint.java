package io.quanta.kernels.fp32;

/**
 * TFLite's fixed-point rescaling (gemmlowp style): a real multiplier as a Q31 value and a power-of-two
 * shift, applied with a saturating rounding doubling high multiply and a rounding right shift.
 */
final class FixedPoint {
    private FixedPoint() {}

    record Multiplier(int q31, int shift) {
        int apply(int x) {
            int left = Math.max(shift, 0);
            int right = Math.max(-shift, 0);
            return roundingDivideByPowerOfTwo(doublingHighMul(x * (1 << left), q31), right);
        }
    }

    static Multiplier quantizeMultiplier(double m) {
        if (m == 0) {
            return new Multiplier(0, 0);
        }
        int shift = Math.getExponent(m) + 1; // m = fraction * 2^shift with fraction in [0.5, 1)
        double fraction = m / Math.scalb(1.0, shift);
        long q = Math.round(fraction * (1L << 31));
        if (q == (1L << 31)) {
            q /= 2;
            shift++;
        }
        if (shift < -31) {
            return new Multiplier(0, 0);
        }
        return new Multiplier((int) q, shift);
    }

    static int doublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int) ((ab + nudge) / (1L << 31));
    }

    static int roundingDivideByPowerOfTwo(int x, int exponent) {
        int mask = (1 << exponent) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }
}
