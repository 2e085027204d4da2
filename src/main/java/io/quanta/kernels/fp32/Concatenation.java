package io.quanta.kernels.fp32;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import java.util.Arrays;

/**
 * CONCATENATION along an axis, with the fused activation clamped on float outputs. Quantized inputs are
 * accepted only when they share the output's scale and zero point (pure byte movement).
 */
final class Concatenation {
    private Concatenation() {}

    static Kernel create(OpContext ctx) {
        int n = ctx.inputCount();
        for (int k = 0; k < n; k++) {
            OpChecks.sameType(ctx, k, 0);
            OpChecks.sameQuantization(ctx, k, 0);
        }
        OpOptions.Concatenation o = ctx.options(OpOptions.Concatenation.class);
        Activation act = o.activation() == null ? Activation.NONE : o.activation();
        boolean isFloat = ctx.output(0).type() == DataType.FLOAT32;
        if (act != Activation.NONE && (!isFloat || act == Activation.TANH || act == Activation.SIGN_BIT)) {
            throw ctx.fail("fused activation " + act + " on " + ctx.output(0).type() + " is not supported");
        }
        float lo = act.floatMin();
        float hi = act.floatMax();
        return (in, out) -> {
            int[] shape = in[0].shape();
            int axis = Axes.normalize(ctx, o.axis(), shape.length);
            int[] outShape = shape.clone();
            outShape[axis] = 0;
            for (int k = 0; k < n; k++) {
                int[] s = in[k].shape();
                if (s.length != shape.length) {
                    throw mismatch(ctx, k, s, shape, axis);
                }
                for (int d = 0; d < s.length; d++) {
                    if (d != axis && s[d] != shape[d]) {
                        throw mismatch(ctx, k, s, shape, axis);
                    }
                }
                outShape[axis] += s[axis];
            }
            out[0].resize(outShape);
            int outer = Axes.product(shape, 0, axis);
            int inner = Axes.product(shape, axis + 1, shape.length);
            int to = 0;
            for (int q = 0; q < outer; q++) {
                for (int k = 0; k < n; k++) {
                    int run = in[k].dim(axis) * inner;
                    Elements.copy(in[k], q * run, out[0], to, run);
                    to += run;
                }
            }
            if (act != Activation.NONE) {
                float[] f = out[0].f;
                for (int e = 0, size = out[0].size(); e < size; e++) {
                    f[e] = Math.min(Math.max(f[e], lo), hi);
                }
            }
        };
    }

    private static IllegalArgumentException mismatch(OpContext ctx, int k, int[] s, int[] first, int axis) {
        return OpChecks.runtime(
                ctx,
                "input " + k + " has shape " + Arrays.toString(s) + ", which differs from input 0 "
                        + Arrays.toString(first) + " outside axis " + axis);
    }
}
