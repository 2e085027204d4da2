package io.quanta.kernels.int8;

import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * QUANTIZE to int8 or uint8: from float32 (round half away from zero of x / scale, plus the zero point,
 * clamped), or requantizing an int8/uint8 tensor to another scale and zero point with a fixed-point
 * multiplier, as TFLite's Requantize.
 */
final class Int8Quantize implements Kernel {
    private final boolean fromFloat;
    private final boolean inputUnsigned;
    private final int min;
    private final int max;
    private final double scale;
    private final int inputZeroPoint;
    private final int outputZeroPoint;
    private final int multiplier;
    private final int shift;

    static Kernel create(OpContext op) {
        return new Int8Quantize(op);
    }

    private Int8Quantize(OpContext op) {
        Tensor input = op.input(0);
        Tensor output = op.output(0);
        if (output.type() != DataType.INT8 && output.type() != DataType.UINT8) {
            throw op.fail("output '" + output.name() + "' is " + output.type() + ", expected INT8 or UINT8");
        }
        Quant.requirePerTensor(op, output, "output");
        boolean outputUnsigned = output.type() == DataType.UINT8;
        min = outputUnsigned ? 0 : -128;
        max = outputUnsigned ? 255 : 127;
        float outputScale = Quant.scale(op, output);
        outputZeroPoint = Quant.zeroPoint(output);
        fromFloat = input.type() == DataType.FLOAT32;
        inputUnsigned = input.type() == DataType.UINT8;
        if (fromFloat) {
            scale = outputScale;
            inputZeroPoint = 0;
            multiplier = 0;
            shift = 0;
        } else if (input.type() == DataType.INT8 || input.type() == DataType.UINT8) {
            float inputScale = Quant.scale(op, input);
            scale = 0;
            inputZeroPoint = Quant.zeroPoint(input);
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier((double) inputScale / (double) outputScale);
            multiplier = m.multiplier();
            shift = m.shift();
        } else {
            throw op.fail("input '" + input.name() + "' is " + input.type() + "; expected FLOAT32, INT8 or UINT8");
        }
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        Values.sameShape(input, out[0]);
        byte[] y = out[0].b;
        int n = input.size();
        if (fromFloat) {
            float[] x = input.f;
            for (int k = 0; k < n; k++) {
                int v = (int) FixedPoint.roundHalfAwayFromZero(x[k] / scale) + outputZeroPoint;
                y[k] = (byte) Math.max(min, Math.min(max, v));
            }
        } else {
            byte[] x = input.b;
            for (int k = 0; k < n; k++) {
                int q = inputUnsigned ? x[k] & 0xff : x[k];
                int v = FixedPoint.multiplyByQuantizedMultiplier(q - inputZeroPoint, multiplier, shift) + outputZeroPoint;
                y[k] = (byte) Math.max(min, Math.min(max, v));
            }
        }
    }
}
