package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * SOFTMAX int8 -> int8 along the last axis, as TFLite's default x86 kernel computes it: a 256-entry float
 * table of exp(-input_scale * beta * d) for every distance d below the row's maximum, a float sum, one
 * reciprocal, and rounding of each probability divided by the output scale.
 */
final class Softmax implements Kernel {
    private final float[] table = new float[256]; // table[255 - d] = exp(-scale * beta * d)
    private final float outputScale;
    private final int outputZeroPoint;

    static Kernel create(OpContext ctx) {
        return new Softmax(ctx);
    }

    private Softmax(OpContext ctx) {
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        Quant.requireInt8InputAndOutput(ctx);
        float beta = ctx.options(OpOptions.Softmax.class).beta();
        float scale = -Quant.scale(ctx, input) * beta;
        for (int d = 0; d <= 255; d++) {
            table[255 - d] = (float) Math.exp(scale * d);
        }
        outputScale = Quant.scale(ctx, output);
        outputZeroPoint = Quant.zeroPoint(output);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        Values.sameShape(input, out[0]);
        int rank = input.rank();
        int depth = rank == 0 ? 1 : input.dim(rank - 1);
        int rows = depth == 0 ? 0 : input.size() / depth;
        byte[] x = input.b;
        byte[] y = out[0].b;
        float[] t = table;
        for (int r = 0; r < rows; r++) {
            int base = r * depth;
            int max = -128;
            for (int j = 0; j < depth; j++) {
                max = Math.max(max, x[base + j]);
            }
            int offset = 255 - max;
            float sum = 0f;
            for (int j = 0; j < depth; j++) {
                sum += t[offset + x[base + j]];
            }
            float inverse = 1.0f / (sum * outputScale);
            for (int j = 0; j < depth; j++) {
                float p = t[offset + x[base + j]] * inverse;
                int q = (int) FixedPoint.roundHalfAwayFromZero(p) + outputZeroPoint;
                y[base + j] = FixedPoint.saturateInt8(q);
            }
        }
    }
}
