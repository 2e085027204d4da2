package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * GATHER: slices of params (input 0) along an axis, chosen by int32/int64 indices (input 1), with
 * batch_dims leading dimensions shared by params and indices. Output shape is
 * params[:axis] + indices[batch_dims:] + params[axis+1:]. An index outside [0, dim) is an error.
 */
final class Gather {
    private Gather() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        OpOptions.Gather o = ctx.op().options() instanceof OpOptions.Gather g ? g : new OpOptions.Gather(0, 0);
        return (in, out) -> run(ctx, o, in[0], in[1], out[0]);
    }

    private static void run(
            OpContext ctx, OpOptions.Gather o, TensorValue params, TensorValue indices, TensorValue out) {
        int[] p = params.shape();
        int[] ix = indices.shape();
        int batchDims = o.batchDims() < 0 ? o.batchDims() + ix.length : o.batchDims();
        int axis = o.axis() < 0 ? o.axis() + p.length : o.axis();
        if (batchDims < 0 || batchDims > ix.length || axis < batchDims || axis >= p.length) {
            throw OpChecks.runtime(
                    ctx,
                    "axis " + o.axis() + " and batch_dims " + o.batchDims() + " do not fit params " + Arrays.toString(p)
                            + " and indices " + Arrays.toString(ix));
        }
        for (int d = 0; d < batchDims; d++) {
            if (p[d] != ix[d]) {
                throw OpChecks.runtime(
                        ctx,
                        "batch dimension " + d + " differs: params " + Arrays.toString(p) + ", indices "
                                + Arrays.toString(ix));
            }
        }
        int[] outShape = new int[p.length - 1 + ix.length - batchDims];
        int k = 0;
        for (int d = 0; d < axis; d++) {
            outShape[k++] = p[d];
        }
        for (int d = batchDims; d < ix.length; d++) {
            outShape[k++] = ix[d];
        }
        for (int d = axis + 1; d < p.length; d++) {
            outShape[k++] = p[d];
        }
        out.resize(outShape);
        int batches = Axes.product(p, 0, batchDims);
        int outer = Axes.product(p, batchDims, axis);
        int coord = p[axis];
        int inner = Axes.product(p, axis + 1, p.length);
        int perBatch = Axes.product(ix, batchDims, ix.length);
        for (int b = 0; b < batches; b++) {
            for (int q = 0; q < outer; q++) {
                for (int j = 0; j < perBatch; j++) {
                    long idx = indices.type == io.quanta.graph.DataType.INT64
                            ? indices.l[b * perBatch + j]
                            : indices.i[b * perBatch + j];
                    if (idx < 0 || idx >= coord) {
                        throw OpChecks.runtime(
                                ctx,
                                "index " + idx + " is out of range [0, " + coord + ") for axis " + axis + " of params "
                                        + Arrays.toString(p));
                    }
                    int from = (((b * outer) + q) * coord + (int) idx) * inner;
                    int to = (((b * outer) + q) * perBatch + j) * inner;
                    Elements.copy(params, from, out, to, inner);
                }
            }
        }
    }
}
