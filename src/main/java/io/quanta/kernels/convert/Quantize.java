package io.quanta.kernels.convert;

import io.quanta.graph.ChannelAxis;
import io.quanta.graph.DataType;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * QUANTIZE. From float32 to int8/uint8/int16 as TFLite: q = clamp(round(x / scale) + zeroPoint), rounding
 * half away from zero, per tensor or per channel. Between 8-bit types (int8/uint8 to int8/uint8) and from int16
 * (to int8 or int16) it requantizes with TFLite's fixed-point multiplier, so results match bit for bit.
 */
public final class Quantize {
    private Quantize() {}

    public static Kernel create(OpContext ctx) {
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        DataType to = output.type();
        if (to != DataType.INT8 && to != DataType.UINT8 && to != DataType.INT16) {
            throw OpChecks.unsupportedType(ctx, output);
        }
        if (!output.isQuantized()) {
            throw ctx.fail("output " + OpChecks.describe(output) + " has no quantization parameters");
        }
        QuantParams q = output.quant();
        int lo = to == DataType.INT8 ? -128 : to == DataType.UINT8 ? 0 : -32768;
        int hi = to == DataType.INT8 ? 127 : to == DataType.UINT8 ? 255 : 32767;
        if (input.type() == DataType.FLOAT32) {
            int axis = q.isPerChannel() ? q.quantizedDimension() : -1;
            return (in, out) -> fromFloat(ctx, in[0], out[0], q, axis, lo, hi);
        }
        boolean eightBit = input.type() == DataType.INT8 || input.type() == DataType.UINT8;
        boolean narrowsInt16 = input.type() == DataType.INT16 && to != DataType.UINT8;
        if (!(eightBit && to != DataType.INT16 || narrowsInt16)
                || !input.isQuantized()
                || input.quant().isPerChannel()
                || q.isPerChannel()) {
            throw ctx.fail("requantizing " + OpChecks.describe(input) + " to " + OpChecks.describe(output)
                    + " is not supported (only per-tensor int8/uint8 to int8/uint8, int16 to int8/int16)");
        }
        int inZero = (int) input.quant().zeroPoint(0);
        int outZero = (int) q.zeroPoint(0);
        FixedPoint.Multiplier m =
                FixedPoint.quantizeMultiplier((double) input.quant().scale(0) / q.scale(0));
        return (in, out) -> {
            out[0].resize(in[0].shape());
            for (int k = 0, n = in[0].size(); k < n; k++) {
                int v = FixedPoint.multiplyByQuantizedMultiplier(Dequantize.stored(in[0], k) - inZero, m) + outZero;
                int clamped = Math.min(Math.max(v, lo), hi);
                if (to == DataType.INT16) {
                    out[0].s[k] = (short) clamped;
                } else {
                    out[0].b[k] = (byte) clamped;
                }
            }
        };
    }

    private static void fromFloat(
            OpContext ctx, TensorValue x, TensorValue y, QuantParams q, int axis, int lo, int hi) {
        int[] shape = x.shape();
        y.resize(shape);
        if (axis >= shape.length || (axis >= 0 && shape[axis] != q.scale().length)) {
            throw OpChecks.runtime(
                    ctx,
                    q.scale().length + " scales on dimension " + axis + " do not fit input "
                            + java.util.Arrays.toString(shape));
        }
        if (axis < 0) {
            perTensor(x.f, y, x.size(), q.scale(0), q.zeroPoint(0), lo, hi);
            return;
        }
        ChannelAxis channels = ChannelAxis.of(shape, axis);
        for (int k = 0, n = x.size(); k < n; k++) {
            int c = channels.channelOf(k);
            // TFLite divides by a float scale per channel (by a double one per tensor: perTensor).
            double scaled = x.f[k] / q.scale(c);
            int clamped = clamp(scaled, q.zeroPoint(c), lo, hi);
            if (y.type == DataType.INT16) {
                y.s[k] = (short) clamped;
            } else {
                y.b[k] = (byte) clamped;
            }
        }
    }

    /**
     * The per-tensor case (a model's float input, every sample): the same arithmetic with the scale and zero point
     * hoisted, and no channel lookup (two integer divisions per element) in the loop.
     */
    private static void perTensor(float[] x, TensorValue y, int n, float scale, long zeroPoint, int lo, int hi) {
        // TFLite divides by the scale as a double per tensor.
        double s = scale;
        if (y.type == DataType.INT16) {
            short[] out = y.s;
            for (int k = 0; k < n; k++) {
                out[k] = (short) clamp(x[k] / s, zeroPoint, lo, hi);
            }
        } else {
            byte[] out = y.b;
            for (int k = 0; k < n; k++) {
                out[k] = (byte) clamp(x[k] / s, zeroPoint, lo, hi);
            }
        }
    }

    private static int clamp(double scaled, long zeroPoint, int lo, int hi) {
        return (int) Math.min(Math.max(rounded(scaled) + zeroPoint, lo), hi);
    }

    /**
     * {@code (long) FixedPoint.roundHalfAwayFromZero(x)}, with integer steps where they are exact: below 2^52 a
     * double's integer part is exactly its truncation to long, and the fraction exact. NaN, infinities and larger
     * magnitudes take the double path (same results, NaN to 0 and the infinities to the long range's ends included).
     */
    static long rounded(double x) {
        double a = Math.abs(x);
        if (!(a < 0x1p52)) {
            return (long) FixedPoint.roundHalfAwayFromZero(x);
        }
        long t = (long) a;
        if (a - t >= 0.5) {
            t++;
        }
        return x < 0 ? -t : t;
    }
}
