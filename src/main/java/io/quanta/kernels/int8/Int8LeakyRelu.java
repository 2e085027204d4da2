package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/** LEAKY_RELU on int8: one multiplier for the identity side, one for alpha, as TFLite's QuantizeLeakyRelu. */
final class Int8LeakyRelu implements Kernel {
    private final int inputZeroPoint;
    private final int outputZeroPoint;
    private final FixedPoint.Multiplier identity;
    private final FixedPoint.Multiplier alpha;

    static Kernel create(OpContext op) {
        return new Int8LeakyRelu(op);
    }

    private Int8LeakyRelu(OpContext op) {
        Quant.requireInt8(op, op.input(0), "input");
        Quant.requireInt8(op, op.output(0), "output");
        float inputScale = Quant.scale(op, op.input(0));
        float outputScale = Quant.scale(op, op.output(0));
        float a = op.options(OpOptions.LeakyRelu.class).alpha();
        inputZeroPoint = Quant.zeroPoint(op.input(0));
        outputZeroPoint = Quant.zeroPoint(op.output(0));
        // TFLite computes both ratios in float, then widens them to double.
        alpha = FixedPoint.quantizeMultiplier(inputScale * a / outputScale);
        identity = FixedPoint.quantizeMultiplier(inputScale / outputScale);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        Values.sameShape(input, out[0]);
        byte[] x = input.b;
        byte[] y = out[0].b;
        int n = input.size();
        for (int k = 0; k < n; k++) {
            int v = x[k] - inputZeroPoint;
            FixedPoint.Multiplier m = v >= 0 ? identity : alpha;
            y[k] = FixedPoint.saturateInt8(outputZeroPoint + FixedPoint.multiplyByQuantizedMultiplier(v, m));
        }
    }
}
