package io.quanta.kernels.int8;

import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * DEQUANTIZE of an int8 or uint8 activation to float32: scale * (q - zero point), computed in double and
 * rounded once to float, as TFLite does. (Its output is float, so it registers as a FLOAT-flavor kernel
 * for int8/uint8 inputs; constant float16 weights are the float kernels' business.)
 */
final class Int8Dequantize implements Kernel {
    private final double scale;
    private final int zeroPoint;
    private final boolean unsigned;

    static Kernel create(OpContext op) {
        return new Int8Dequantize(op);
    }

    private Int8Dequantize(OpContext op) {
        Tensor input = op.input(0);
        if (input.type() != DataType.INT8 && input.type() != DataType.UINT8) {
            throw op.fail("input '" + input.name() + "' is " + input.type() + ", expected INT8 or UINT8");
        }
        if (op.output(0).type() != DataType.FLOAT32) {
            throw op.fail("output '" + op.output(0).name() + "' is " + op.output(0).type() + ", expected FLOAT32");
        }
        Quant.requirePerTensor(op, input, "input");
        scale = Quant.scale(op, input);
        zeroPoint = Quant.zeroPoint(input);
        unsigned = input.type() == DataType.UINT8;
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        Values.sameShape(input, out[0]);
        byte[] x = input.b;
        float[] y = out[0].f;
        int n = input.size();
        for (int k = 0; k < n; k++) {
            int q = unsigned ? x[k] & 0xff : x[k];
            y[k] = (float) (scale * (q - zeroPoint));
        }
    }
}
