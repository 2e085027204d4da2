package io.quanta.kernels.fp32;

import io.quanta.graph.Shapes;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/** TRANSPOSE: output dimension d is input dimension perm[d] (perm from input 1, a permutation of 0..rank-1). */
final class Transpose {
    static final int MAX_RANK = 6;

    private Transpose() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        return (in, out) -> {
            int[] shape = in[0].shape();
            int[] perm = Elements.ints(in[1]);
            check(ctx, shape, perm);
            int[] inStrides = Shapes.strides(shape);
            int[] outShape = new int[shape.length];
            int[] srcStrides = new int[shape.length];
            for (int d = 0; d < shape.length; d++) {
                outShape[d] = shape[perm[d]];
                srcStrides[d] = inStrides[perm[d]];
            }
            out[0].resize(outShape);
            StridedCopy.copy(in[0], 0, srcStrides, out[0], 0, Shapes.strides(outShape), outShape);
        };
    }

    private static void check(OpContext ctx, int[] shape, int[] perm) {
        if (shape.length > MAX_RANK) {
            throw OpChecks.runtime(ctx, "rank " + shape.length + " is above the supported " + MAX_RANK);
        }
        boolean[] seen = new boolean[shape.length];
        boolean ok = perm.length == shape.length;
        for (int p : perm) {
            ok &= p >= 0 && p < shape.length && !seen[p];
            if (ok) {
                seen[p] = true;
            }
        }
        if (!ok) {
            throw OpChecks.runtime(
                    ctx,
                    "perm " + Arrays.toString(perm) + " is not a permutation of the " + shape.length + " dimensions of "
                            + Arrays.toString(shape));
        }
    }
}
