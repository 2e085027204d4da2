package io.quanta.quantize;

/** A float range recorded for one tensor during calibration. */
public record Range(float min, float max) {
    public Range {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
        }
    }

    /**
     * The range of the finite values of a set (constants quantized asymmetrically, for example); [0, 0] when there are
     * none. NaN and infinities are left out as calibration leaves them out: a float16 copy keeps them, and the
     * integer forms refuse them before they get here.
     */
    public static Range of(float[] values) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo > hi ? new Range(0f, 0f) : new Range(lo, hi);
    }
}
