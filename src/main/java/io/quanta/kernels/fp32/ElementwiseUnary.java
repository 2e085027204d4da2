package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.TensorValue;
import java.util.function.Supplier;

/** A one-input float op applied element by element; the output takes the input's shape. */
abstract class ElementwiseUnary implements Kernel {
    private final ShapeMemo shape = new ShapeMemo();
    private final int[] dims = new int[16];

    /** Computes o[k] for k in [0, n) from x[k]. */
    abstract void apply(float[] x, float[] o, int n);

    static Kernel create(OpContext ctx, Supplier<? extends ElementwiseUnary> make) {
        if (ctx.input(0).type() != DataType.FLOAT32 || ctx.output(0).type() != DataType.FLOAT32) {
            throw ctx.fail("expects float32 input and output, found " + ctx.input(0).type() + " -> "
                    + ctx.output(0).type());
        }
        return make.get();
    }

    @Override
    public final void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue x = in[0];
        out[0].resize(sameShape(x, dims, shape));
        apply(x.f, out[0].f, x.size());
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
