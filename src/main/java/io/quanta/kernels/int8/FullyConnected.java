package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * FULLY_CONNECTED, int8 with per-tensor or per-channel weights and int32 bias. The input offset's
 * contribution (input offset times each weight row's sum) is folded into the bias once, so the inner loop
 * is a plain int8 dot product.
 */
final class FullyConnected implements Kernel {
    private final int units;
    private final int depth;
    private final boolean keepNumDims;
    private final int[] weights; // [units][depth], filter offset already added
    private final int[] base; // bias + input offset * row sum
    private final int[] multipliers;
    private final int[] shifts;
    private final int outputOffset;
    private final int actMin;
    private final int actMax;
    private final int[] shifted;
    private int[] outShape = new int[0];

    static Kernel create(OpContext ctx) {
        return new FullyConnected(ctx);
    }

    private FullyConnected(OpContext ctx) {
        OpOptions.FullyConnected options = ctx.options(OpOptions.FullyConnected.class);
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        Tensor output = ctx.output(0);
        Quant.requireInt8(ctx, input, "input");
        Quant.requireInt8(ctx, filter, "weights");
        Quant.requireInt8(ctx, output, "output");
        if (options.weightsFormat() != 0) {
            throw ctx.fail("shuffled weights format " + options.weightsFormat() + " is not supported");
        }
        if (!filter.isConstant() || filter.rank() != 2) {
            throw ctx.fail("weights '" + filter.name() + "' must be a constant 2-D tensor");
        }
        units = filter.dim(0);
        depth = filter.dim(1);
        keepNumDims = options.keepNumDims();
        int filterOffset = filter.quant() != null && !filter.quant().isPerChannel() ? -Quant.zeroPoint(filter) : 0;
        int inputOffset = -Quant.zeroPoint(input);
        weights = Weights.widen(filter.data());
        int[] bias = Weights.bias(ctx, 2, units);
        base = new int[units];
        for (int u = 0; u < units; u++) {
            int rowSum = 0;
            for (int j = 0; j < depth; j++) {
                weights[u * depth + j] += filterOffset;
                rowSum += weights[u * depth + j];
            }
            base[u] = bias[u] + inputOffset * rowSum;
        }
        Weights.Requant r = Weights.perChannelMultipliers(ctx, input, filter, output, units);
        multipliers = r.multipliers();
        shifts = r.shifts();
        outputOffset = Quant.zeroPoint(output);
        int[] range = Quant.activationRange(ctx, options.activation(), output);
        actMin = range[0];
        actMax = range[1];
        shifted = new int[depth];
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int size = input.size();
        if (size % depth != 0) {
            throw new IllegalStateException("FULLY_CONNECTED: input of " + size + " elements is not a multiple of the weights' depth " + depth);
        }
        int batches = size / depth;
        updateOutShape(input, batches);
        TensorValue output = out[0];
        output.resize(outShape);
        byte[] x = input.b;
        byte[] y = output.b;
        int[] w = weights;
        int[] xs = shifted;
        int o = 0;
        for (int b = 0; b < batches; b++) {
            int xBase = b * depth;
            for (int j = 0; j < depth; j++) {
                xs[j] = x[xBase + j];
            }
            for (int u = 0, wBase = 0; u < units; u++, wBase += depth) {
                int acc = 0;
                for (int j = 0; j < depth; j++) {
                    acc += w[wBase + j] * xs[j];
                }
                acc += base[u];
                acc = FixedPoint.multiplyByQuantizedMultiplierRuy(acc, multipliers[u], shifts[u]) + outputOffset;
                y[o++] = (byte) Math.max(actMin, Math.min(actMax, acc));
            }
        }
    }

    private void updateOutShape(TensorValue input, int batches) {
        int rank = keepNumDims ? input.rank() : 2;
        if (outShape.length != rank) {
            outShape = new int[rank];
        }
        if (keepNumDims) {
            for (int d = 0; d < rank - 1; d++) {
                outShape[d] = input.dim(d);
            }
        } else {
            outShape[0] = batches;
        }
        outShape[rank - 1] = units;
    }
}
