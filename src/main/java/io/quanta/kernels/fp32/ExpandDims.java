package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;

/** EXPAND_DIMS: inserts a size-1 dimension at the axis given by input 1, in [-(rank+1), rank]. */
final class ExpandDims {
    private ExpandDims() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        return (in, out) -> {
            int[] axis = Elements.ints(in[1]);
            if (axis.length != 1) {
                throw OpChecks.runtime(ctx, "axis input must hold one value, found " + axis.length);
            }
            Elements.copyAll(in[0], out[0], expanded(ctx, in[0].shape(), axis[0]));
        };
    }

    static int[] expanded(OpContext ctx, int[] shape, int axis) {
        int at = Axes.normalize(ctx, axis, shape.length + 1);
        int[] r = new int[shape.length + 1];
        for (int d = 0, k = 0; d < r.length; d++) {
            r[d] = d == at ? 1 : shape[k++];
        }
        return r;
    }
}
