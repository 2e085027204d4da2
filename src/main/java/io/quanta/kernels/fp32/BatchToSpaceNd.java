package io.quanta.kernels.fp32;

import io.quanta.graph.Shapes;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * BATCH_TO_SPACE_ND: the inverse of SPACE_TO_BATCH_ND. Each slab of batches goes back to its block offset
 * in space, then the crops are cut off. Output [batch / prod(block), spatial * block - crops ..., rest].
 */
final class BatchToSpaceNd {
    private BatchToSpaceNd() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        OpChecks.indexType(ctx, 2);
        return (in, out) -> run(ctx, in[0], BlockSpace.read(ctx, in[0].shape(), in[1], in[2], "crops"), out[0]);
    }

    private static void run(OpContext ctx, TensorValue input, BlockSpace g, TensorValue output) {
        int[] shape = input.shape();
        int m = g.spatialRank();
        if (shape[0] % g.blockCount() != 0) {
            throw OpChecks.runtime(
                    ctx,
                    "batch " + shape[0] + " of " + Arrays.toString(shape) + " is not a multiple of the block size "
                            + g.blockCount());
        }
        int batch = shape[0] / g.blockCount();
        int[] outShape = shape.clone();
        outShape[0] = batch;
        for (int i = 0; i < m; i++) {
            outShape[1 + i] = shape[1 + i] * g.block()[i] - g.before()[i] - g.after()[i];
            if (outShape[1 + i] < 0) {
                throw OpChecks.runtime(
                        ctx,
                        "crops remove more than spatial dimension " + i + " of " + Arrays.toString(shape) + " holds");
            }
        }
        output.resize(outShape);
        int[] inStrides = Shapes.strides(shape);
        int[] outStrides = Shapes.strides(outShape);
        int[] dstStrides = outStrides.clone();
        int[] extent = shape.clone();
        extent[0] = batch;
        for (int o = 0; o < g.blockCount(); o++) {
            int[] off = g.offsets(o);
            int src = o * batch * inStrides[0];
            int dst = 0;
            boolean empty = false;
            for (int i = 0; i < m; i++) {
                int b = g.block()[i];
                // Input position s lands at s*b + off - cropBefore; keep the s that land inside the output.
                int first = Math.max(0, SpaceToBatchNd.ceilDiv(g.before()[i] - off[i], b));
                int last = Math.min(shape[1 + i] - 1, Math.floorDiv(outShape[1 + i] - 1 + g.before()[i] - off[i], b));
                extent[1 + i] = last - first + 1;
                empty |= extent[1 + i] <= 0;
                dstStrides[1 + i] = outStrides[1 + i] * b;
                src += first * inStrides[1 + i];
                dst += (first * b + off[i] - g.before()[i]) * outStrides[1 + i];
            }
            if (!empty) {
                StridedCopy.copy(input, src, inStrides, output, dst, dstStrides, extent);
            }
        }
    }
}
