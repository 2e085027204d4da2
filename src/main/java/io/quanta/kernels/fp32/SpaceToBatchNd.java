package io.quanta.kernels.fp32;

import io.quanta.graph.Shapes;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * SPACE_TO_BATCH_ND: pads the spatial dimensions (zero, or the zero point when quantized), then moves each
 * block offset into its own slab of batches. Output [batch * prod(block), padded / block ..., rest].
 */
final class SpaceToBatchNd {
    private SpaceToBatchNd() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        OpChecks.indexType(ctx, 2);
        double zero = OpChecks.zeroPoint(ctx.output(0));
        return (in, out) ->
                run(ctx, in[0], BlockSpace.read(ctx, in[0].shape(), in[1], in[2], "paddings"), out[0], zero);
    }

    private static void run(OpContext ctx, TensorValue input, BlockSpace g, TensorValue output, double zero) {
        int[] shape = input.shape();
        int m = g.spatialRank();
        int batch = shape[0];
        int[] outShape = shape.clone();
        outShape[0] = batch * g.blockCount();
        for (int i = 0; i < m; i++) {
            int padded = shape[1 + i] + g.before()[i] + g.after()[i];
            if (padded % g.block()[i] != 0) {
                throw OpChecks.runtime(
                        ctx,
                        "padded size " + padded + " of spatial dimension " + i + " of " + Arrays.toString(shape)
                                + " is not a multiple of block " + g.block()[i]);
            }
            outShape[1 + i] = padded / g.block()[i];
        }
        output.resize(outShape);
        Elements.fill(output, 0, output.size(), zero);
        int[] inStrides = Shapes.strides(shape);
        int[] outStrides = Shapes.strides(outShape);
        int[] srcStrides = inStrides.clone();
        int[] extent = shape.clone();
        for (int o = 0; o < g.blockCount(); o++) {
            int[] off = g.offsets(o);
            int src = 0;
            int dst = o * batch * outStrides[0];
            boolean empty = false;
            for (int i = 0; i < m; i++) {
                int b = g.block()[i];
                // Output position s reads input s*b + off - before; keep the s that land inside the input.
                int first = Math.max(0, ceilDiv(g.before()[i] - off[i], b));
                int last = Math.min(outShape[1 + i] - 1, Math.floorDiv(shape[1 + i] - 1 + g.before()[i] - off[i], b));
                extent[1 + i] = last - first + 1;
                empty |= extent[1 + i] <= 0;
                srcStrides[1 + i] = inStrides[1 + i] * b;
                src += (first * b + off[i] - g.before()[i]) * inStrides[1 + i];
                dst += first * outStrides[1 + i];
            }
            if (!empty) {
                StridedCopy.copy(input, src, srcStrides, output, dst, outStrides, extent);
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
