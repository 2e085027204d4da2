package io.quanta.kernels.int16;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/** FULLY_CONNECTED in 16x8, as TFLite's reference int16 kernel: int64 dot products plus the int64 bias. */
final class FullyConnected implements Kernel {
    private final int units;
    private final int depth;
    private final boolean keepNumDims;
    private final byte[] weights;
    private final AffineRequant requant;
    private int[] outShape = new int[0];

    static Kernel create(OpContext ctx) {
        return new FullyConnected(ctx);
    }

    private FullyConnected(OpContext ctx) {
        OpOptions.FullyConnected options = ctx.options(OpOptions.FullyConnected.class);
        Tensor filter = ctx.input(1);
        if (options.weightsFormat() != 0) {
            throw ctx.fail("shuffled weights format " + options.weightsFormat() + " is not supported");
        }
        if (filter.rank() != 2) {
            throw ctx.fail("weights '" + filter.name() + "' must be 2-D");
        }
        units = filter.dim(0);
        depth = filter.dim(1);
        keepNumDims = options.keepNumDims();
        requant = new AffineRequant(ctx, units, options.activation());
        requant.floatRequant = true;
        weights = filter.data();
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int size = input.size();
        if (depth == 0 || size % depth != 0) {
            throw new IllegalStateException(
                    "FULLY_CONNECTED: input of " + size + " elements is not a multiple of the weights' depth " + depth);
        }
        int batches = size / depth;
        int rank = keepNumDims ? input.rank() : 2;
        if (outShape.length != rank) outShape = new int[rank];
        if (keepNumDims) {
            for (int d = 0; d < rank - 1; d++) outShape[d] = input.dim(d);
        } else {
            outShape[0] = batches;
        }
        outShape[rank - 1] = units;
        out[0].resize(outShape);
        short[] x = input.s;
        short[] y = out[0].s;
        for (int b = 0; b < batches; b++) {
            int xi = b * depth;
            for (int u = 0; u < units; u++) {
                int wi = u * depth;
                long acc = 0;
                for (int d = 0; d < depth; d++) {
                    acc += (long) weights[wi + d] * x[xi + d];
                }
                y[b * units + u] = requant.output(acc, u);
            }
        }
    }
}
