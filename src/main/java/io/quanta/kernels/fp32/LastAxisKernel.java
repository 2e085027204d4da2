package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.TensorValue;

/** A float op that maps each row along the last axis to a row of the same length (softmax and kin). */
final class LastAxisKernel implements Kernel {
    /** Computes o[off, off + n) from x[off, off + n). */
    @FunctionalInterface
    interface Row {
        void apply(float[] x, float[] o, int off, int n);
    }

    private final Row row;
    private final ShapeMemo shape = new ShapeMemo();
    private final int[] dims = new int[16];

    private LastAxisKernel(Row row) {
        this.row = row;
    }

    /** The kernel applying {@code row} to every row along the last axis, after checking the op is float. */
    static Kernel create(OpContext ctx, Row row) {
        if (ctx.input(0).type() != DataType.FLOAT32 || ctx.output(0).type() != DataType.FLOAT32) {
            throw ctx.fail("expects float32 input and output, found "
                    + ctx.input(0).type() + " -> " + ctx.output(0).type());
        }
        if (ctx.input(0).rank() == 0) {
            throw ctx.fail("input '" + ctx.input(0).name() + "' must have rank >= 1");
        }
        return new LastAxisKernel(row);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue x = in[0];
        out[0].resize(ElementwiseUnary.sameShape(x, dims, shape));
        int n = x.dim(x.rank() - 1);
        int size = x.size();
        for (int off = 0; n > 0 && off < size; off += n) {
            row.apply(x.f, out[0].f, off, n);
        }
    }
}
