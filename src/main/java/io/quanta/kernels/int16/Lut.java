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
     * sigmoid(i / 24) in unsigned 0.16 fixed point, i in [0, 256), for the int16 LOGISTIC and TANH kernels. Like
     * {@link #generate}, each entry is biased by half the error that linear interpolation makes at the step's
     * midpoint, so interpolated values stay centred on the curve; the last entry is the largest uint16, where the curve
     * has reached 1 to 16 bits. Matches TFLite 2.21 on every int16 input (Int16VsTfLiteTest sweeps all 65 536).
     */
    static final int[] SIGMOID = sigmoidTable();

    private static int[] sigmoidTable() {
        int n = 256;
        double step = 1.0 / 24;
        int[] table = new int[n];
        for (int i = 0; i < n - 1; i++) {
            double val = 65536 * sigmoid(i * step);
            double next = 65536 * sigmoid((i + 1) * step);
            double mid = 65536 * sigmoid((i + 0.5) * step);
            double bias = ((val + next) / 2 - mid) / 2;
            table[i] = (int) round(val - bias);
        }
        table[n - 1] = 65535;
        return table;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
