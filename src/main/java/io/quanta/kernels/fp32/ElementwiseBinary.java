package io.quanta.kernels.fp32;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * A two-input element-wise op with broadcasting and an optional fused activation. Each op supplies its row
 * loops: n elements where input a advances by {@code sa} (0 or 1) and b by {@code sb}; this class walks the
 * outer five dimensions. Int32 rows are optional.
 */
final class ElementwiseBinary implements Kernel {
    /** One row of float elements. */
    @FunctionalInterface
    interface FloatRows {
        void apply(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n);
    }

    /** One row of int32 elements. */
    @FunctionalInterface
    interface IntRows {
        void apply(int[] a, int ai, int sa, int[] b, int bi, int sb, int[] o, int oi, int n);
    }

    private final FloatRows floatRows;
    private final IntRows intRows;
    private final Broadcast plan = new Broadcast();
    private boolean ints;
    private float lo = Float.NEGATIVE_INFINITY;
    private float hi = Float.POSITIVE_INFINITY;
    private int intLo = Integer.MIN_VALUE;
    private int intHi = Integer.MAX_VALUE;
    private String opName;

    private ElementwiseBinary(FloatRows floatRows, IntRows intRows) {
        this.floatRows = floatRows;
        this.intRows = intRows;
    }

    /**
     * The kernel of an op with these row loops ({@code intRows} null when the op has no int32 form), reading the
     * fused activation when the op has one.
     */
    static Kernel create(OpContext ctx, FloatRows floatRows, IntRows intRows) {
        ElementwiseBinary k = new ElementwiseBinary(floatRows, intRows);
        DataType type = ctx.output(0).type();
        for (int i = 0; i < 2; i++) {
            if (ctx.input(i).type() != type) {
                throw ctx.fail("input " + i + " '" + ctx.input(i).name() + "' is "
                        + ctx.input(i).type() + " but the output is " + type);
            }
        }
        if (type == DataType.INT32 && intRows == null || type != DataType.INT32 && type != DataType.FLOAT32) {
            throw ctx.fail("type " + type + " is not supported");
        }
        k.ints = type == DataType.INT32;
        k.opName = ctx.op().displayName() + " (node " + ctx.index() + ")";
        Activation act = ctx.op().options() instanceof OpOptions.Arithmetic a ? a.activation() : Activation.NONE;
        if (k.ints) {
            int[] r = FloatActivation.intRange(ctx, act);
            k.intLo = r[0];
            k.intHi = r[1];
        } else {
            float[] r = FloatActivation.range(ctx, act);
            k.lo = r[0];
            k.hi = r[1];
        }
        try {
            Broadcast.shapeOf(ctx.input(0).shape(), ctx.input(1).shape());
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        return k;
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue a = in[0];
        TensorValue b = in[1];
        plan.update(a, b, opName);
        TensorValue o = out[0];
        o.resize(plan.outShape);
        if (plan.same) {
            row(a, 0, 1, b, 0, 1, o, 0, o.size());
        } else {
            broadcastRows(a, b, o);
        }
        if (ints) {
            FloatActivation.clamp(o.i, 0, o.size(), intLo, intHi);
        } else {
            FloatActivation.clamp(o.f, 0, o.size(), lo, hi);
        }
    }

    private void broadcastRows(TensorValue a, TensorValue b, TensorValue o) {
        int[] d = plan.dims;
        int[] s = plan.strideA;
        int[] t = plan.strideB;
        int n = d[5];
        int oi = 0;
        for (int i0 = 0; i0 < d[0]; i0++) {
            for (int i1 = 0; i1 < d[1]; i1++) {
                for (int i2 = 0; i2 < d[2]; i2++) {
                    for (int i3 = 0; i3 < d[3]; i3++) {
                        for (int i4 = 0; i4 < d[4]; i4++) {
                            int ai = i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
                            int bi = i0 * t[0] + i1 * t[1] + i2 * t[2] + i3 * t[3] + i4 * t[4];
                            row(a, ai, s[5], b, bi, t[5], o, oi, n);
                            oi += n;
                        }
                    }
                }
            }
        }
    }

    private void row(TensorValue a, int ai, int sa, TensorValue b, int bi, int sb, TensorValue o, int oi, int n) {
        if (ints) {
            intRows.apply(a.i, ai, sa, b.i, bi, sb, o.i, oi, n);
        } else {
            floatRows.apply(a.f, ai, sa, b.f, bi, sb, o.f, oi, n);
        }
    }
}
