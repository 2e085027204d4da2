package io.quanta.kernels.fp32;

import io.quanta.graph.Shapes;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/** SLICE: a box at begin (input 1) of the given size (input 2; -1 means up to the end of the dimension). */
final class Slice {
    private Slice() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        OpChecks.indexType(ctx, 2);
        return (in, out) -> {
            int[] shape = in[0].shape();
            int[] begin = Elements.ints(in[1]);
            int[] size = Elements.ints(in[2]);
            if (begin.length != shape.length || size.length != shape.length) {
                throw OpChecks.runtime(
                        ctx,
                        "begin " + Arrays.toString(begin) + " and size " + Arrays.toString(size)
                                + " must have one entry per dimension of " + Arrays.toString(shape));
            }
            int[] extent = new int[shape.length];
            int[] strides = Shapes.strides(shape);
            int base = 0;
            for (int d = 0; d < shape.length; d++) {
                extent[d] = size[d] == -1 ? shape[d] - begin[d] : size[d];
                if (begin[d] < 0 || extent[d] < 0 || begin[d] + extent[d] > shape[d]) {
                    throw OpChecks.runtime(
                            ctx,
                            "begin " + Arrays.toString(begin) + " with size " + Arrays.toString(size)
                                    + " does not fit in " + Arrays.toString(shape));
                }
                base += begin[d] * strides[d];
            }
            out[0].resize(extent);
            StridedCopy.copy(in[0], base, strides, out[0], 0, Shapes.strides(extent), extent);
        };
    }
}
