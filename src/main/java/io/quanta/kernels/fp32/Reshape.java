package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/**
 * RESHAPE: the data unchanged, the shape from input 1 when it is an integer vector (possibly computed at
 * run time, e.g. by SHAPE/PACK), else from the options. One dimension may be -1 and is inferred.
 */
final class Reshape {
    private Reshape() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        if (ctx.inputCount() >= 2
                && ctx.hasInput(1)
                && ctx.input(1).rank() == 1
                && OpChecks.isIndexType(ctx.input(1).type())) {
            return (in, out) -> Elements.copyAll(in[0], out[0], resolve(ctx, Elements.ints(in[1]), in[0].size()));
        }
        int[] fromOptions = optionsShape(ctx);
        return (in, out) -> Elements.copyAll(in[0], out[0], resolve(ctx, fromOptions, in[0].size()));
    }

    private static int[] optionsShape(OpContext ctx) {
        if (ctx.op().options() instanceof OpOptions.Reshape r && r.newShape() != null) {
            int[] s = r.newShape();
            // Old converters wrote [0] to mean a scalar.
            return s.length == 1 && s[0] == 0 ? new int[0] : s.clone();
        }
        Tensor out = ctx.output(0);
        if (out.shapeSignature() == null || Arrays.stream(out.shapeSignature()).allMatch(d -> d >= 0)) {
            return out.shape(); // neither a shape tensor nor options: the output's static shape is the target
        }
        throw ctx.fail("has neither a shape input nor a new_shape option, and output " + OpChecks.describe(out)
                + " has a dynamic shape");
    }

    /** The target shape with its single -1 inferred; fails when the element counts cannot match. */
    static int[] resolve(OpContext ctx, int[] requested, int inputSize) {
        int[] shape = requested.clone();
        int stretch = -1;
        long known = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == -1) {
                if (stretch >= 0) {
                    throw OpChecks.runtime(ctx, "shape " + Arrays.toString(requested) + " has more than one -1");
                }
                stretch = d;
            } else if (shape[d] < 0) {
                throw OpChecks.runtime(ctx, "shape " + Arrays.toString(requested) + " has a negative dimension");
            } else {
                known *= shape[d];
            }
        }
        if (stretch >= 0 && known != 0) {
            shape[stretch] = (int) (inputSize / known);
            known *= shape[stretch];
        }
        if (known != inputSize) {
            throw OpChecks.runtime(ctx, "cannot reshape " + inputSize + " elements to " + Arrays.toString(requested));
        }
        return shape;
    }
}
