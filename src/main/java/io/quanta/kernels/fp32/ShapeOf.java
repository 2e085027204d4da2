package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;

/** SHAPE: the run-time shape of input 0 as an int32 or int64 vector. */
final class ShapeOf {
    private ShapeOf() {}

    static Kernel create(OpContext ctx) {
        DataType type = ctx.output(0).type();
        if (!OpChecks.isIndexType(type)) {
            throw OpChecks.unsupportedType(ctx, ctx.output(0));
        }
        return (in, out) -> {
            int rank = in[0].rank();
            out[0].resize(new int[] {rank});
            for (int d = 0; d < rank; d++) {
                if (type == DataType.INT32) {
                    out[0].i[d] = in[0].dim(d);
                } else {
                    out[0].l[d] = in[0].dim(d);
                }
            }
        };
    }
}
