package io.quanta.kernels.int16;

import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.OpContext;

/**
 * What CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED share in 16x8: int16 input, constant int8 weights (per tensor
 * or per output channel), an int64 bias, and the int64 accumulator's requantization per channel
 * ({@link FixedPoint#multiplyByQuantizedMultiplier(long, int, int)}), clamped to the fused activation.
 */
final class AffineRequant {
    final long[] bias;
    final int[] multipliers;
    final int[] shifts;
    final int actMin;
    final int actMax;
    /**
     * FULLY_CONNECTED: TFLite 2.21's 16x8 kernel requantizes in floating point, round(sum * input_scale *
     * filter_scale / output_scale) in double, rather than with the fixed-point multiplier of its convolutions.
     */
    boolean floatRequant;

    final double[] effectiveScales;

    AffineRequant(OpContext ctx, int channels, io.quanta.graph.Activation activation) {
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        Tensor output = ctx.output(0);
        Int16.requireInt16(ctx, input, "input");
        Int16.requireInt16(ctx, output, "output");
        if (filter.type() != DataType.INT8 || !filter.isConstant() || !filter.isQuantized()) {
            throw ctx.fail("weights '" + filter.name() + "' must be a constant quantized INT8 tensor");
        }
        float[] filterScales = filter.quant().scale();
        if (filterScales.length != 1 && filterScales.length != channels) {
            throw ctx.fail("weights '" + filter.name() + "' have " + filterScales.length + " scales for " + channels
                    + " output channels");
        }
        bias = new long[channels];
        if (ctx.hasInput(2)) {
            Tensor b = ctx.input(2);
            if (!b.isConstant() || (b.type() != DataType.INT64 && b.type() != DataType.INT32)) {
                throw ctx.fail("bias '" + b.name() + "' must be a constant INT64 (or INT32) tensor");
            }
            if (b.type() == DataType.INT32) {
                // TFLite accumulates in int32 with an int32 bias: a different kernel, not this one.
                throw ctx.fail(
                        "bias '" + b.name() + "' is INT32: Quanta's 16x8 kernels take the converter's INT64 bias");
            }
            long[] values = TensorData.longs(b.data());
            if (values.length != channels) {
                throw ctx.fail("bias '" + b.name() + "' has " + values.length + " values, expected " + channels);
            }
            System.arraycopy(values, 0, bias, 0, channels);
        }
        double inputScale = Int16.scale(input);
        double outputScale = Int16.scale(output);
        multipliers = new int[channels];
        shifts = new int[channels];
        effectiveScales = new double[channels];
        for (int c = 0; c < channels; c++) {
            // Per tensor, TFLite multiplies the two float scales in float (GetQuantizedConvolutionMultipler); per
            // channel in double (PopulateConvolutionQuantizationParams).
            double product = filterScales.length == 1
                    ? (double) (Int16.scale(input) * filterScales[0])
                    : inputScale * filterScales[c];
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(product / outputScale);
            effectiveScales[c] = inputScale * filterScales[filterScales.length == 1 ? 0 : c] / outputScale;
            multipliers[c] = m.multiplier();
            shifts[c] = m.shift();
        }
        int[] range = Int16.activationRange(ctx, activation, output);
        actMin = range[0];
        actMax = range[1];
    }

    /** The int16 output of channel c from its accumulator (bias not yet added). */
    short output(long acc, int c) {
        long sum = acc + bias[c];
        int scaled = floatRequant
                ? (int) FixedPoint.roundHalfAwayFromZero(sum * effectiveScales[c])
                : FixedPoint.multiplyByQuantizedMultiplier(sum, multipliers[c], shifts[c]);
        return Int16.clamp(scaled, actMin, actMax);
    }
}
