package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/** Shared by the resize ops: options, the runtime size input (int32 [2]) and TFLite's scale rule. */
final class ResizeGeometry {
    final boolean alignCorners;
    final boolean halfPixelCenters;
    private final String opName;
    private final ShapeMemo shape = new ShapeMemo();

    ResizeGeometry(OpContext ctx) {
        OpOptions.Resize o = ctx.options(OpOptions.Resize.class);
        SlidingWindow.requireRank4(ctx, ctx.input(0), "input");
        if (ctx.input(1).elementCount() != 2) {
            throw ctx.fail("size '" + ctx.input(1).name() + "' must hold 2 values, found shape "
                    + Arrays.toString(ctx.input(1).shape()));
        }
        this.alignCorners = o.alignCorners();
        this.halfPixelCenters = o.halfPixelCenters();
        this.opName = ctx.op().displayName() + " (node " + ctx.index() + ")";
    }

    /** Resizes the output to [batch, size[0], size[1], channels] and returns that shape. */
    int[] bindOutput(TensorValue input, TensorValue size, TensorValue output) {
        int h = size.i[0];
        int w = size.i[1];
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException(opName + ": size must be positive, found " + h + "x" + w);
        }
        int[] s = shape.of(input.dim(0), h, w, input.dim(3));
        output.resize(s);
        return s;
    }

    /** Input pixels per output pixel along one axis: (in - 1) / (out - 1) with align_corners, else in / out. */
    float scale(int in, int out) {
        return alignCorners && out > 1 ? (in - 1) / (float) (out - 1) : in / (float) out;
    }
}
