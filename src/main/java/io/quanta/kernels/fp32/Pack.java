package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/** PACK: N inputs of one shape stacked along a new axis (in [-(rank+1), rank]). */
final class Pack {
    private Pack() {}

    static Kernel create(OpContext ctx) {
        int n = ctx.inputCount();
        for (int k = 0; k < n; k++) {
            OpChecks.sameType(ctx, k, 0);
            OpChecks.sameQuantization(ctx, k, 0);
        }
        int axis = ctx.options(OpOptions.Pack.class).axis();
        return (in, out) -> {
            int[] shape = in[0].shape();
            for (int k = 1; k < n; k++) {
                if (!Arrays.equals(shape, in[k].shape())) {
                    throw OpChecks.runtime(
                            ctx,
                            "input " + k + " has shape " + Arrays.toString(in[k].shape()) + ", input 0 has "
                                    + Arrays.toString(shape) + "; all must match");
                }
            }
            int[] outShape = ExpandDims.expanded(ctx, shape, axis);
            int at = Axes.normalize(ctx, axis, shape.length + 1);
            outShape[at] = n;
            out[0].resize(outShape);
            int outer = Axes.product(shape, 0, at);
            int inner = Axes.product(shape, at, shape.length);
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < n; k++) {
                    Elements.copy(in[k], o * inner, out[0], (o * n + k) * inner, inner);
                }
            }
        };
    }
}
