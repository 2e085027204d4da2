package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.TensorValue;

/** A one-input float op applied element by element; the output takes the input's shape. */
final class ElementwiseUnary implements Kernel {
    /** Computes o[k] for k in [0, n) from x[k]: one op's arithmetic, as a loop the JIT can vectorize. */
    @FunctionalInterface
    interface Rows {
        void apply(float[] x, float[] o, int n);
    }

    private final Rows rows;
    private final ShapeMemo shape = new ShapeMemo();
    private final int[] dims = new int[16];

    private ElementwiseUnary(Rows rows) {
        this.rows = rows;
    }

    static Kernel create(OpContext ctx, Rows rows) {
        if (ctx.input(0).type() != DataType.FLOAT32 || ctx.output(0).type() != DataType.FLOAT32) {
            throw ctx.fail("expects float32 input and output, found "
                    + ctx.input(0).type() + " -> " + ctx.output(0).type());
        }
        return new ElementwiseUnary(rows);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue x = in[0];
        out[0].resize(sameShape(x, dims, shape));
        rows.apply(x.f, out[0].f, x.size());
    }

    /** The shape of v, without allocating when it did not change. */
    static int[] sameShape(TensorValue v, int[] dims, ShapeMemo memo) {
        int rank = v.rank();
        for (int d = 0; d < rank; d++) {
            dims[d] = v.dim(d);
        }
        return memo.of(dims, rank);
    }
}
