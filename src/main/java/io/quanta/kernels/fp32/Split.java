package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/** SPLIT: input 1 cut into as many equal parts as there are outputs, along the axis given by input 0. */
final class Split {
    private Split() {}

    static Kernel create(OpContext ctx) {
        OpChecks.indexType(ctx, 0);
        int parts = ctx.op().outputCount();
        for (int k = 0; k < parts; k++) {
            OpChecks.sameType(ctx, 1, k);
            OpChecks.sameQuantization(ctx, 1, k);
        }
        return (in, out) -> {
            int[] shape = in[1].shape();
            int[] axisValue = Elements.ints(in[0]);
            if (axisValue.length != 1) {
                throw OpChecks.runtime(ctx, "axis input must hold one value, found " + axisValue.length);
            }
            int axis = Axes.normalize(ctx, axisValue[0], shape.length);
            if (shape[axis] % parts != 0) {
                throw OpChecks.runtime(
                        ctx,
                        "dimension " + axis + " of " + Arrays.toString(shape) + " does not divide into " + parts
                                + " equal parts");
            }
            int[] partShape = shape.clone();
            partShape[axis] = shape[axis] / parts;
            int outer = Axes.product(shape, 0, axis);
            int run = partShape[axis] * Axes.product(shape, axis + 1, shape.length);
            for (int k = 0; k < parts; k++) {
                out[k].resize(partShape);
                for (int q = 0; q < outer; q++) {
                    Elements.copy(in[1], (q * parts + k) * run, out[k], q * run, run);
                }
            }
        };
    }
}
