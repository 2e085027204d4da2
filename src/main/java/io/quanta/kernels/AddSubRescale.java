package io.quanta.kernels;

/**
 * TFLite's quantized ADD/SUB rescaling, the same for int8 and int16 but for the headroom: both inputs are brought
 * to a common scale (twice the larger input scale) shifted left by {@code leftShift} bits (20 for int8, 15 for
 * int16 with general scales), summed or subtracted, then rescaled to the output and clamped.
 */
public record AddSubRescale(
        int leftShift,
        int input1Offset,
        int input2Offset,
        int outputOffset,
        int input1Multiplier,
        int input1Shift,
        int input2Multiplier,
        int input2Shift,
        int outputMultiplier,
        int outputShift,
        int actMin,
        int actMax) {

    /** The parameters from the tensors' scales and zero points, as TFLite's PrepareGeneralSubOp / add Prepare. */
    public static AddSubRescale of(
            int leftShift, double s1, int zp1, double s2, int zp2, double so, int zpo, int actMin, int actMax) {
        double twiceMax = 2 * Math.max(s1, s2);
        FixedPoint.Multiplier m1 = FixedPoint.quantizeMultiplier(s1 / twiceMax);
        FixedPoint.Multiplier m2 = FixedPoint.quantizeMultiplier(s2 / twiceMax);
        FixedPoint.Multiplier mo = FixedPoint.quantizeMultiplier(twiceMax / ((1 << leftShift) * so));
        return new AddSubRescale(
                leftShift,
                -zp1,
                -zp2,
                zpo,
                m1.multiplier(),
                m1.shift(),
                m2.multiplier(),
                m2.shift(),
                mo.multiplier(),
                mo.shift(),
                actMin,
                actMax);
    }

    public int scaled1(int q) {
        return FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(
                (q + input1Offset) << leftShift, input1Multiplier, input1Shift);
    }

    public int scaled2(int q) {
        return FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(
                (q + input2Offset) << leftShift, input2Multiplier, input2Shift);
    }

    /** The output value of a raw sum (or difference) of two scaled inputs, clamped to the activation range. */
    public int output(int raw) {
        int v = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(raw, outputMultiplier, outputShift)
                + outputOffset;
        return Math.max(actMin, Math.min(actMax, v));
    }

    public int add(int a, int b) {
        return output(scaled1(a) + scaled2(b));
    }

    public int sub(int a, int b) {
        return output(scaled1(a) - scaled2(b));
    }
}
