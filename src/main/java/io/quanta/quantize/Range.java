package io.quanta.quantize;

/** A float range recorded for one tensor during calibration. */
public record Range(float min, float max) {
    public Range {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
        }
    }

    /** The range of a set of values (constants quantized asymmetrically, for example). */
    public static Range of(float[] values) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return values.length == 0 ? new Range(0f, 0f) : new Range(lo, hi);
    }
}
