package io.quanta.kernels.int16;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * LEAKY_RELU on int16 (zero points 0), as TFLite 2.21's QuantizeLeakyRelu: the identity multiplier for x ≥ 0, the
 * alpha multiplier below, saturated to int16. Tabulated over all 65 536 inputs, as the output depends on the input
 * alone.
 */
final class LeakyRelu implements Kernel {
    private final short[] table = new short[65536];

    static Kernel create(OpContext ctx) {
        return new LeakyRelu(ctx);
    }

    private LeakyRelu(OpContext ctx) {
        Int16.requireInt16(ctx, ctx.input(0), "input");
        Int16.requireInt16(ctx, ctx.output(0), "output");
        float in = Int16.scale(ctx.input(0));
        float out = Int16.scale(ctx.output(0));
        float a = ctx.options(OpOptions.LeakyRelu.class).alpha();
        // TFLite computes both ratios in float, then widens them to double.
        FixedPoint.Multiplier alpha = FixedPoint.quantizeMultiplier(in * a / out);
        FixedPoint.Multiplier identity = FixedPoint.quantizeMultiplier(in / out);
        for (int v = Int16.MIN; v <= Int16.MAX; v++) {
            int y = FixedPoint.multiplyByQuantizedMultiplier(v, v >= 0 ? identity : alpha);
            table[v & 0xffff] = Int16.clamp(y, Int16.MIN, Int16.MAX);
        }
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        out[0].resize(in[0].shape());
        short[] x = in[0].s;
        short[] y = out[0].s;
        int n = in[0].size();
        for (int k = 0; k < n; k++) {
            y[k] = table[x[k] & 0xffff];
        }
    }
}
