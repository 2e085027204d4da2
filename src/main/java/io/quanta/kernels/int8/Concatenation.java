package io.quanta.kernels.int8;

import io.quanta.graph.Activation;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Shapes;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * CONCATENATION of int8 tensors. Inputs quantized like the output are copied byte for byte; an input with
 * another scale or zero point is requantized on the way, with TFLite's ConcatenationWithScaling formula
 * (round(q * s_in / s_out - z_in * s_in / s_out) + z_out, in float). TFLite itself only accepts int8
 * inputs that share the output's quantization; the requantizing path is for models of our own.
 */
final class Concatenation implements Kernel {
    private final int axisOption;
    private final boolean[] copy;
    private final float[] scales;
    private final float[] biases;
    private final int outputZeroPoint;
    private int[] outShape = new int[0];

    static Kernel create(OpContext ctx) {
        return new Concatenation(ctx);
    }

    private Concatenation(OpContext ctx) {
        OpOptions.Concatenation options = ctx.options(OpOptions.Concatenation.class);
        if (options.activation() != Activation.NONE) {
            throw ctx.fail("fused activation " + options.activation() + " is not supported on int8");
        }
        axisOption = options.axis();
        Tensor output = ctx.output(0);
        Quant.requireInt8(ctx, output, "output");
        float outputScale = Quant.scale(ctx, output);
        outputZeroPoint = Quant.zeroPoint(output);
        int n = ctx.inputCount();
        copy = new boolean[n];
        scales = new float[n];
        biases = new float[n];
        float inverseOutputScale = 1.f / outputScale;
        for (int i = 0; i < n; i++) {
            Tensor t = ctx.input(i);
            Quant.requireInt8(ctx, t, "input " + i);
            float s = Quant.scale(ctx, t);
            int z = Quant.zeroPoint(t);
            copy[i] = s == outputScale && z == outputZeroPoint;
            scales[i] = s * inverseOutputScale;
            biases[i] = -z * scales[i];
        }
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue first = in[0];
        int rank = first.rank();
        int axis = Shapes.axis(axisOption, rank);
        if (outShape.length != rank) {
            outShape = new int[rank];
        }
        int axisTotal = 0;
        for (TensorValue v : in) {
            axisTotal += v.dim(axis);
        }
        for (int d = 0; d < rank; d++) {
            outShape[d] = d == axis ? axisTotal : first.dim(d);
        }
        out[0].resize(outShape);
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= first.dim(d);
        }
        int inner = 1;
        for (int d = axis + 1; d < rank; d++) {
            inner *= first.dim(d);
        }
        byte[] y = out[0].b;
        int o = 0;
        for (int b = 0; b < outer; b++) {
            for (int i = 0; i < in.length; i++) {
                int chunk = in[i].dim(axis) * inner;
                byte[] x = in[i].b;
                int src = b * chunk;
                if (copy[i]) {
                    System.arraycopy(x, src, y, o, chunk);
                } else {
                    float scale = scales[i];
                    float bias = biases[i];
                    for (int k = 0; k < chunk; k++) {
                        int v = (int) FixedPoint.roundHalfAwayFromZero(x[src + k] * scale + bias) + outputZeroPoint;
                        y[o + k] = FixedPoint.saturateInt8(v);
                    }
                }
                o += chunk;
            }
        }
    }
}
