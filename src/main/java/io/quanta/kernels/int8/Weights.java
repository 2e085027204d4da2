package io.quanta.kernels.int8;

import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.OpContext;

/** Preparing constant weights, biases and per-channel output multipliers once, in a kernel's factory. */
final class Weights {
    private Weights() {}

    /** Output multipliers and shifts per output channel. */
    record Requant(int[] multipliers, int[] shifts) {}

    static int[] widen(byte[] int8) {
        int[] r = new int[int8.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = int8[i];
        }
        return r;
    }

    /** The int32 bias at input {@code index}, or zeros when the optional input is omitted. */
    static int[] bias(OpContext ctx, int index, int channels) {
        if (!ctx.hasInput(index)) {
            return new int[channels];
        }
        Tensor bias = ctx.input(index);
        if (bias.type() != DataType.INT32) {
            throw ctx.fail("bias '" + bias.name() + "' is " + bias.type() + ", expected INT32");
        }
        if (!bias.isConstant()) {
            throw ctx.fail("bias '" + bias.name() + "' must be a constant");
        }
        int[] values = TensorData.ints(bias.data());
        if (values.length != channels) {
            throw ctx.fail("bias '" + bias.name() + "' has " + values.length + " values, expected " + channels);
        }
        return values;
    }

    /**
     * input_scale * filter_scale[c] / output_scale per channel, in double as TFLite's
     * PopulateConvolutionQuantizationParams computes it, then encoded with QuantizeMultiplier.
     */
    static Requant perChannelMultipliers(OpContext ctx, Tensor input, Tensor filter, Tensor output, int channels) {
        if (!filter.isQuantized()) {
            throw ctx.fail("filter '" + filter.name() + "' has no quantization parameters");
        }
        float[] filterScales = filter.quant().scale();
        if (filterScales.length != 1 && filterScales.length != channels) {
            throw ctx.fail("filter '" + filter.name() + "' has " + filterScales.length + " scales for " + channels
                    + " output channels");
        }
        double inputScale = Quant.scale(ctx, input);
        double outputScale = Quant.scale(ctx, output);
        int[] multipliers = new int[channels];
        int[] shifts = new int[channels];
        for (int c = 0; c < channels; c++) {
            double filterScale = filterScales[filterScales.length == 1 ? 0 : c];
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(inputScale * filterScale / outputScale);
            multipliers[c] = m.multiplier();
            shifts[c] = m.shift();
        }
        return new Requant(multipliers, shifts);
    }
}
