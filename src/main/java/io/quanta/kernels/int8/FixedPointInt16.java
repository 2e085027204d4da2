package io.quanta.kernels.int8;

import io.quanta.kernels.FixedPoint;

/**
 * gemmlowp's fixed-point transcendentals on int16 raw values, as TFLite's integer LSTM applies them: a value
 * with {@code integerBits} integer bits has raw = real * 2^(15 - integerBits). Sums and differences wrap
 * like int16 arithmetic, products are rounding doubling high multiplies, rescales saturate, and the
 * int32 reference constants are rounded down to 16 bits exactly as gemmlowp does.
 */
public final class FixedPointInt16 {
    private FixedPointInt16() {}

    private static int wrap(int v) {
        return (short) v;
    }

    private static int saturate(int v) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    private static int mul(int a, int b) {
        return FixedPoint.saturatingRoundingDoublingHighMul16(a, b);
    }

    /** An int32 gemmlowp constant scaled to 16 bits (RescaleConstantInitializer). */
    private static int constant(int int32Raw) {
        return FixedPoint.roundingDivideByPOT(int32Raw, 16);
    }

    /** SaturatingRoundingMultiplyByPOT on int16. */
    static int multiplyByPOT(int x, int exponent) {
        if (exponent > 0) {
            int threshold = (1 << (15 - exponent)) - 1;
            if (x > threshold) {
                return Short.MAX_VALUE;
            }
            if (x < -threshold) {
                return Short.MIN_VALUE;
            }
            return wrap(x << exponent);
        }
        return exponent < 0 ? FixedPoint.roundingDivideByPOT(x, -exponent) : x;
    }

    /** Rescale from {@code fromBits} to {@code toBits} integer bits. */
    private static int rescale(int x, int fromBits, int toBits) {
        return multiplyByPOT(x, fromBits - toBits);
    }

    private static int roundingHalfSum(int a, int b) {
        int sum = a + b;
        int sign = sum >= 0 ? 1 : -1;
        return (short) ((sum + sign) / 2);
    }

    /** exp(a) for a in [-1/4, 0), a with 0 integer bits; result with 0 integer bits. */
    static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
        int constantTerm = constant(1895147668); // exp(-1/8)
        int oneThird = constant(715827883);
        int x = wrap(a + (1 << 12)); // a + 1/8
        int x2 = mul(x, x);
        int x3 = mul(x2, x);
        int x4 = mul(x2, x2);
        int x4Over4 = multiplyByPOT(x4, -2);
        int poly = multiplyByPOT(wrap(mul(wrap(x4Over4 + x3), oneThird) + x2), -1);
        return saturate(constantTerm + mul(constantTerm, wrap(x + poly)));
    }

    private static final int[] BARREL_EXPONENTS = {-2, -1, 0, 1, 2, 3, 4};
    private static final int[] BARREL_MULTIPLIERS = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242
    };

    /** exp(a) for a <= 0 with {@code integerBits} integer bits; result with 0 integer bits. */
    static int expOnNegativeValues(int a, int integerBits) {
        int fractionalBits = 15 - integerBits;
        int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusQuarter = wrap((a & mask) - oneQuarter);
        int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusQuarter, integerBits, 0));
        int remainder = wrap(aModQuarterMinusQuarter - a);
        for (int k = 0; k < BARREL_EXPONENTS.length; k++) {
            int exponent = BARREL_EXPONENTS[k];
            if (integerBits > exponent) {
                int shift = fractionalBits + exponent;
                if ((remainder & (1 << shift)) != 0) {
                    result = mul(result, constant(BARREL_MULTIPLIERS[k]));
                }
            }
        }
        if (integerBits > 5) {
            int clamp = constant(-(1 << (36 - integerBits))); // -32 in this format
            if (a < clamp) {
                result = 0;
            }
        }
        return a == 0 ? Short.MAX_VALUE : result;
    }

    /** Newton-Raphson for 1 / (1 + a), a in (0, 1) with 0 integer bits; the iterate has 2 integer bits. */
    private static int newtonRaphsonReciprocal(int halfDenominator) {
        int fortyEightOver17 = constant(1515870810);
        int minusThirtyTwoOver17 = constant(-1010580540);
        int one = 1 << 13; // 1.0 with 2 integer bits
        int x = wrap(fortyEightOver17 + mul(halfDenominator, minusThirtyTwoOver17));
        for (int i = 0; i < 3; i++) {
            int halfDenominatorTimesX = mul(halfDenominator, x);
            int oneMinus = wrap(one - halfDenominatorTimesX);
            x = wrap(x + rescale(mul(x, oneMinus), 4, 2));
        }
        return x;
    }

    /** 1 / (1 + a) for a in (0, 1), 0 integer bits in and out. */
    static int oneOverOnePlusX(int a) {
        int x = newtonRaphsonReciprocal(roundingHalfSum(a, Short.MAX_VALUE));
        return rescale(x, 1, 0); // ExactMulByPot<-1>: same raw read with one integer bit
    }

    /** (1 - a) / (1 + a) for a in (0, 1), 0 integer bits in and out. */
    static int oneMinusXOverOnePlusX(int a) {
        int x = newtonRaphsonReciprocal(roundingHalfSum(a, Short.MAX_VALUE));
        return rescale(wrap(x - (1 << 13)), 2, 0);
    }

    /** logistic(a), a with {@code integerBits} integer bits; result in Q0.15. */
    public static int logistic(int a, int integerBits) {
        if (a == 0) {
            return constant(1 << 30); // one half
        }
        boolean positive = a > 0;
        int abs = positive ? a : wrap(-a);
        int ifPositive = oneOverOnePlusX(expOnNegativeValues(wrap(-abs), integerBits));
        return positive ? ifPositive : wrap(Short.MAX_VALUE - ifPositive);
    }

    /** tanh(a), a with {@code integerBits} integer bits; result in Q0.15. */
    public static int tanh(int a, int integerBits) {
        if (a == 0) {
            return 0;
        }
        boolean negative = a < 0;
        int n = negative ? a : wrap(-a);
        // exp(2n): the same raw read with one more integer bit
        int t = oneMinusXOverOnePlusX(expOnNegativeValues(n, integerBits + 1));
        return negative ? wrap(-t) : t;
    }
}
