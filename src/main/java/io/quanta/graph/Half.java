package io.quanta.graph;

/** IEEE 754 binary16 conversions (Java 17 has no Float.float16ToFloat). */
public final class Half {
    private Half() {}

    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Subnormal (or zero): value = mant * 2^-24, exact in float.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Rounds to the nearest binary16, ties to even; overflow gives infinity, NaN stays NaN. */
    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xff;
        int mant = f & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // Subnormal: shift the full significand (with its implicit bit) and round to nearest even.
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = 1 << (shift - 1);
            int rounded = (m + half - 1 + ((m >>> shift) & 1)) >>> shift;
            return (short) (sign | rounded);
        }
        int rounded = (e << 10 | mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (rounded & 1) != 0)) {
            rounded++; // may carry into the exponent, which is the correct result (up to infinity)
        }
        return (short) (sign | rounded);
    }
}
