package io.quanta.kernels.int16;

import io.quanta.kernels.FixedPoint;
import java.util.function.DoubleUnaryOperator;

/**
 * TFLite's int16 lookup tables: 513-entry tables with linear interpolation (gen_lut / generic_int16_table_lookup,
 * for softmax's exp and 1/(1+x)), and the 256-entry sigmoid table of the int16 LOGISTIC and TANH kernels.
 */
final class Lut {
    private Lut() {}

    /**
     * func sampled at 512 steps over [inMin, inMax] into Q0.15 of [outMin, outMax], each entry biased by half the
     * error of linear interpolation at the step's midpoint (gen_lut), plus the end point for the last slope.
     */
    static short[] generate(DoubleUnaryOperator func, double inMin, double inMax, double outMin, double outMax) {
        int steps = 512;
        short[] lut = new short[steps + 1];
        double step = (inMax - inMin) / steps;
        double halfStep = step / 2;
        double scale = 65536.0 / (outMax - outMin);
        for (int i = 0; i < steps; i++) {
            double val = func.applyAsDouble(inMin + i * step);
            double valMid = func.applyAsDouble(inMin + i * step + halfStep);
            double valNext = func.applyAsDouble(inMin + (i + 1) * step);
            double sample = round(val * scale);
            double midInterp = round((valNext * scale + round(val * scale)) / 2);
            double mid = round(valMid * scale);
            double bias = round((midInterp - mid) / 2);
            lut[i] = (short) Math.min(Math.max(sample - bias, -32768), 32767);
        }
        lut[steps] = (short) Math.min(Math.max(round(func.applyAsDouble(inMax) * scale), -32768), 32767);
        return lut;
    }

    private static double round(double v) {
        return FixedPoint.roundHalfAwayFromZero(v);
    }

    /** Interpolated lookup of an int16 value in a {@link #generate}d table. */
    static int lookup(int value, short[] lut) {
        int index = 256 + (value >> 7);
        int offset = value & 0x7f;
        int base = lut[index];
        int slope = lut[index + 1] - base;
        return (short) (base + ((slope * offset + 64) >> 7));
    }

    /**
     * sigmoid(i / 24) in unsigned 0.16 fixed point, i in [0, 256): the values of TFLite's sigmoid_table_uint16 (they
     * do not follow one rounding rule, so they are data, not computed).
     */
    static final int[] SIGMOID = {
        32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
        43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
        51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
        57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
        61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
        63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
        64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
        64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
        65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
        65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
        65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
        65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
        65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
        65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
        65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
        65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535
    };
}
