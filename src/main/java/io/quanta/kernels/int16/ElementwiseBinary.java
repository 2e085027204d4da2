package io.quanta.kernels.int16;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.AddSubRescale;
import io.quanta.kernels.BroadcastShapes;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * ADD, SUB, MUL, MAXIMUM and MINIMUM on int16 with NumPy broadcasting, as TFLite's general-scale int16 kernels: ADD and SUB with the
 * shared {@link AddSubRescale} (15 bits of headroom), MUL as (a - za)(b - zb) times s_a s_b / s_out.
 */
final class ElementwiseBinary implements Kernel {
    /** One output element from one element of each input. */
    @FunctionalInterface
    interface Element {
        int apply(int a, int b);
    }

    private final Element element;
    private int[] shapeA = new int[0];
    private int[] shapeB = new int[0];
    private int[] outShape = new int[0];
    private int[] stridesA = new int[0];
    private int[] stridesB = new int[0];

    private ElementwiseBinary(Element element) {
        this.element = element;
    }

    private static void requireInt16(OpContext ctx) {
        Int16.requireInt16(ctx, ctx.input(0), "input 1");
        Int16.requireInt16(ctx, ctx.input(1), "input 2");
        Int16.requireInt16(ctx, ctx.output(0), "output");
    }

    private static AddSubRescale addSub(OpContext ctx) {
        requireInt16(ctx);
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Tensor out = ctx.output(0);
        OpOptions.Arithmetic options = ctx.options(OpOptions.Arithmetic.class);
        if (options.potScaleInt16()) {
            throw ctx.fail("pot_scale_int16 (power-of-two scales) is not supported; Quanta writes general scales");
        }
        int[] range = Int16.activationRange(ctx, options.activation(), out);
        return AddSubRescale.of(15, Int16.scale(a), 0, Int16.scale(b), 0, Int16.scale(out), 0, range[0], range[1]);
    }

    static Kernel add(OpContext ctx) {
        return new ElementwiseBinary(addSub(ctx)::add);
    }

    static Kernel sub(OpContext ctx) {
        return new ElementwiseBinary(addSub(ctx)::sub);
    }

    static Kernel mul(OpContext ctx) {
        requireInt16(ctx);
        Tensor out = ctx.output(0);
        // TFLite multiplies the float scales in float, then widens to double.
        float real = Int16.scale(ctx.input(0)) * Int16.scale(ctx.input(1)) / Int16.scale(out);
        FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(real);
        int[] range = Int16.activationRange(
                ctx, ctx.options(OpOptions.Arithmetic.class).activation(), out);
        int lo = range[0];
        int hi = range[1];
        return new ElementwiseBinary((a, b) ->
                Math.max(lo, Math.min(hi, FixedPoint.multiplyByQuantizedMultiplier(a * b, m))));
    }

    /** MAXIMUM and MINIMUM compare the raw int16 values: TFLite's kernel does not rescale (the scales are shared). */
    static Kernel maximum(OpContext ctx) {
        requireInt16(ctx);
        return new ElementwiseBinary(Math::max);
    }

    static Kernel minimum(OpContext ctx) {
        requireInt16(ctx);
        return new ElementwiseBinary(Math::min);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue a = in[0];
        TensorValue b = in[1];
        if (!BroadcastShapes.matches(shapeA, a) || !BroadcastShapes.matches(shapeB, b)) {
            shapeA = a.shape();
            shapeB = b.shape();
            outShape = BroadcastShapes.of(shapeA, shapeB);
            stridesA = new int[outShape.length];
            stridesB = new int[outShape.length];
            BroadcastShapes.strides(shapeA, stridesA);
            BroadcastShapes.strides(shapeB, stridesB);
        }
        out[0].resize(outShape);
        short[] x = a.s;
        short[] z = b.s;
        short[] y = out[0].s;
        int n = out[0].size();
        if (Arrays.equals(shapeA, shapeB)) {
            for (int k = 0; k < n; k++) {
                y[k] = (short) element.apply(x[k], z[k]);
            }
            return;
        }
        int rank = outShape.length;
        int[] idx = new int[rank];
        int ia = 0;
        int ib = 0;
        for (int k = 0; k < n; k++) {
            y[k] = (short) element.apply(x[ia], z[ib]);
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                ia += stridesA[d];
                ib += stridesB[d];
                if (idx[d] < outShape[d]) break;
                ia -= stridesA[d] * outShape[d];
                ib -= stridesB[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }
}
