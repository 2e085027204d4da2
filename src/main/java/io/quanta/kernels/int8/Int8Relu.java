package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * RELU, RELU6 and RELU_N1_TO_1 on int8: rescale from the input's to the output's quantization (they may
 * differ), then clamp to the activation's bounds quantized with the output scale.
 */
final class Int8Relu implements Kernel {
    private final int inputZeroPoint;
    private final int outputZeroPoint;
    private final int multiplier;
    private final int shift;
    private final int min;
    private final int max;

    static Kernel relu(OpContext op) {
        return new Int8Relu(op, 0f, Float.POSITIVE_INFINITY);
    }

    static Kernel relu6(OpContext op) {
        return new Int8Relu(op, 0f, 6f);
    }

    static Kernel reluN1To1(OpContext op) {
        return new Int8Relu(op, -1f, 1f);
    }

    private Int8Relu(OpContext op, float low, float high) {
        Quant.requireInt8(op, op.input(0), "input");
        Quant.requireInt8(op, op.output(0), "output");
        float inputScale = Quant.scale(op, op.input(0));
        float outputScale = Quant.scale(op, op.output(0));
        inputZeroPoint = Quant.zeroPoint(op.input(0));
        outputZeroPoint = Quant.zeroPoint(op.output(0));
        // TFLite divides the float scales in float, then widens the ratio to double.
        FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(inputScale / outputScale);
        multiplier = m.multiplier();
        shift = m.shift();
        min = Math.max(-128, outputZeroPoint + (int) FixedPoint.roundHalfAwayFromZero(low / outputScale));
        max = high == Float.POSITIVE_INFINITY ? 127
                : Math.min(127, outputZeroPoint + (int) FixedPoint.roundHalfAwayFromZero(high / outputScale));
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        Values.sameShape(input, out[0]);
        byte[] x = input.b;
        byte[] y = out[0].b;
        int n = input.size();
        for (int k = 0; k < n; k++) {
            int v = outputZeroPoint + FixedPoint.multiplyByQuantizedMultiplier(x[k] - inputZeroPoint, multiplier, shift);
            y[k] = (byte) Math.max(min, Math.min(max, v));
        }
    }
}
