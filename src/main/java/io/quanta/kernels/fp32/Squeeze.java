package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/** SQUEEZE: drops the listed size-1 dimensions (negative allowed), or every size-1 dimension when none listed. */
final class Squeeze {
    private Squeeze() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        int[] dims = ctx.op().options() instanceof OpOptions.Squeeze s && s.squeezeDims() != null
                ? s.squeezeDims().clone()
                : new int[0];
        return (in, out) -> Elements.copyAll(in[0], out[0], squeezed(ctx, in[0].shape(), dims));
    }

    static int[] squeezed(OpContext ctx, int[] shape, int[] dims) {
        boolean[] drop = new boolean[shape.length];
        if (dims.length == 0) {
            for (int d = 0; d < shape.length; d++) {
                drop[d] = shape[d] == 1;
            }
        } else {
            for (int axis : dims) {
                int d = Axes.normalize(ctx, axis, shape.length);
                if (shape[d] != 1) {
                    throw OpChecks.runtime(
                            ctx,
                            "cannot squeeze dimension " + axis + " of shape " + Arrays.toString(shape)
                                    + ": its size is " + shape[d] + ", not 1");
                }
                drop[d] = true;
            }
        }
        return keep(shape, drop);
    }

    static int[] keep(int[] shape, boolean[] drop) {
        int n = 0;
        for (boolean b : drop) {
            n += b ? 0 : 1;
        }
        int[] r = new int[n];
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!drop[d]) {
                r[k++] = shape[d];
            }
        }
        return r;
    }
}
