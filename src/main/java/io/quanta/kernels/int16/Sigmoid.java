package io.quanta.kernels.int16;

import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.int8.FixedPointInt16;

/**
 * LOGISTIC and TANH on int16, as TFLite 2.21: the input rescaled so that 2^12 * 3 steps make one unit, then the
 * 256-entry sigmoid table interpolated on its absolute value (tanh(x) = 2 sigmoid(2x) - 1); an input scale of 2^-12
 * (or, for TANH, 2^-11) instead goes through gemmlowp's fixed-point functions on Q3.12, TFLite's optimized path for that case.
 * The output scale is 2^-15.
 */
final class Sigmoid implements Kernel {
    private final boolean tanh;
    /** Power-of-two input scale: TFLite runs gemmlowp's fixed-point function on Q3.12 instead of the table. */
    private final boolean fixedPoint;

    private final int potShift;
    private final int multiplier;
    private final int leftShift;

    static Kernel logistic(OpContext ctx) {
        return new Sigmoid(ctx, false);
    }

    static Kernel tanh(OpContext ctx) {
        return new Sigmoid(ctx, true);
    }

    private Sigmoid(OpContext ctx, boolean tanh) {
        this.tanh = tanh;
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        Int16.requireInt16(ctx, input, "input");
        Int16.requireInt16(ctx, output, "output");
        if (Int16.scale(output) != 1f / 32768) {
            throw ctx.fail("output '" + output.name() + "' must have scale 2^-15");
        }
        double scale = Int16.scale(input);
        int log2 = (int) Math.round(Math.log(scale) / Math.log(2));
        boolean pot = Math.abs(scale - Math.pow(2, log2)) < 1e-6 * scale;
        int shift = (15 - 3) + log2;
        pot &= shift == 0 || shift == 1;
        if (pot && shift == 1 && !tanh) {
            throw ctx.fail(
                    "an input scale of 2^-11 is not supported (TFLite reads it as Q4.11 in a way Quanta does not "
                            + "reproduce yet)");
        }
        fixedPoint = pot;
        potShift = shift;
        if (pot) {
            multiplier = 0;
            leftShift = 0;
        } else {
            double m = scale * 4096.0 * 3.0;
            int s = 0;
            while (m <= 32767.0 / 2.0 && s <= 30) {
                s++;
                m *= 2.0;
            }
            multiplier = (int) m;
            leftShift = s;
        }
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        out[0].resize(in[0].shape());
        short[] x = in[0].s;
        short[] y = out[0].s;
        if (fixedPoint) {
            for (int k = 0, n = in[0].size(); k < n; k++) {
                // 2^-11 inputs (TANH only): saturated into Q3.12 first.
                int q = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, x[k] << potShift));
                y[k] = (short) (tanh ? FixedPointInt16.tanh(q, 3) : FixedPointInt16.logistic(q, 3));
            }
            return;
        }
        int round = leftShift > 0 ? 1 << (leftShift - 1) : 0;
        for (int k = 0, n = in[0].size(); k < n; k++) {
            int v = (x[k] * multiplier + round) >> leftShift;
            y[k] = (short) (tanh ? tanh(v) : logistic(v));
        }
    }

    private static int logistic(int v) {
        long abs = Math.abs((long) v);
        long uh = abs >> 9;
        long result;
        if (uh >= 255) {
            result = 0x7FFFL << 10;
        } else {
            long ua = Lut.SIGMOID[(int) uh];
            long ub = Lut.SIGMOID[(int) uh + 1];
            result = (ua << 9) + (abs & 0x1ff) * (ub - ua);
        }
        result = v >= 0 ? result + (1 << 9) : (1L << (16 + 9)) - result + (1 << 9) - 1;
        return (int) (result >> 10);
    }

    private static int tanh(int v) {
        long abs = Math.abs((long) v);
        long uh = abs >> 8;
        long result;
        if (uh >= 255) {
            result = 0xFFFFL << 8;
        } else {
            long ua = Lut.SIGMOID[(int) uh];
            long ub = Lut.SIGMOID[(int) uh + 1];
            result = (ua << 8) + (abs & 0xFF) * (ub - ua);
        }
        result = v >= 0 ? result - (1 << (14 + 9)) + (1 << (9 - 2)) : -result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
        return (int) (result >> (9 - 1));
    }
}
