package io.quanta.kernels.fp32;

import io.quanta.graph.OpType;
import io.quanta.graph.Shapes;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/**
 * PAD and PADV2: paddings (input 1, [rank, 2] before/after) filled with zero (the zero point when
 * quantized) or with PADV2's constant value (input 2, stored as the tensor's own representation).
 */
final class Pad {
    private Pad() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        boolean hasValue = ctx.op().type() == OpType.PADV2 && ctx.inputCount() > 2 && ctx.hasInput(2);
        if (hasValue && ctx.input(2).type() != ctx.input(0).type()) {
            throw ctx.fail("constant value " + OpChecks.describe(ctx.input(2)) + " must have the type of input "
                    + OpChecks.describe(ctx.input(0)));
        }
        double zero = OpChecks.zeroPoint(ctx.output(0));
        return (in, out) -> {
            int[] shape = in[0].shape();
            int[] pads = Elements.ints(in[1]);
            if (pads.length != 2 * shape.length) {
                throw OpChecks.runtime(
                        ctx,
                        "paddings " + Arrays.toString(pads) + " must be [" + shape.length + ", 2] for input "
                                + Arrays.toString(shape));
            }
            int[] outShape = new int[shape.length];
            for (int d = 0; d < shape.length; d++) {
                if (pads[2 * d] < 0 || pads[2 * d + 1] < 0) {
                    throw OpChecks.runtime(ctx, "negative paddings " + Arrays.toString(pads) + " are not supported");
                }
                outShape[d] = shape[d] + pads[2 * d] + pads[2 * d + 1];
            }
            out[0].resize(outShape);
            Elements.fill(out[0], 0, out[0].size(), hasValue ? Elements.scalar(in[2]) : zero);
            int[] outStrides = Shapes.strides(outShape);
            int base = 0;
            for (int d = 0; d < shape.length; d++) {
                base += pads[2 * d] * outStrides[d];
            }
            StridedCopy.copy(in[0], 0, Shapes.strides(shape), out[0], base, outStrides, shape);
        };
    }
}
