package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Shapes;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * What MEAN, SUM and REDUCE_MAX share: the axes (input 1, run-time or constant; negative and repeated
 * allowed), keep_dims, and a walk over the input in row-major order that folds each element into its
 * output cell (float sums accumulate in float, in that order, as TFLite's reference kernel does).
 */
final class Reduction {
    enum Kind {
        SUM,
        MEAN,
        MAX
    }

    private Reduction() {}

    static Kernel create(OpContext ctx, Kind kind) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.indexType(ctx, 1);
        DataType type = ctx.input(0).type();
        boolean byteMax = kind == Kind.MAX && (type == DataType.INT8 || type == DataType.UINT8);
        if (byteMax) {
            OpChecks.sameQuantization(ctx, 0, 0); // max commutes with an increasing affine map
        } else if (type != DataType.FLOAT32 && type != DataType.INT32 && type != DataType.INT64) {
            throw OpChecks.unsupportedType(ctx, ctx.input(0));
        }
        boolean keepDims = ctx.op().options() instanceof OpOptions.Reducer r && r.keepDims();
        return (in, out) -> {
            int[] shape = in[0].shape();
            boolean[] reduced = Axes.mask(ctx, Elements.ints(in[1]), shape.length);
            int[] outShape = outputShape(shape, reduced, keepDims);
            out[0].resize(outShape);
            int[] target = targetStrides(shape, reduced);
            int count = 1;
            for (int d = 0; d < shape.length; d++) {
                count *= reduced[d] ? shape[d] : 1;
            }
            switch (type) {
                case FLOAT32 -> reduceFloats(in[0], out[0], shape, target, kind, count);
                case INT32, INT64 -> reduceLongs(in[0], out[0], shape, target, kind, count);
                default -> reduceBytes(in[0], out[0], shape, target, type == DataType.UINT8);
            }
        };
    }

    static int[] outputShape(int[] shape, boolean[] reduced, boolean keepDims) {
        if (keepDims) {
            int[] r = shape.clone();
            for (int d = 0; d < shape.length; d++) {
                if (reduced[d]) {
                    r[d] = 1;
                }
            }
            return r;
        }
        return Squeeze.keep(shape, reduced);
    }

    /** Per input dimension, how far one step moves in the output (0 along reduced dimensions). */
    private static int[] targetStrides(int[] shape, boolean[] reduced) {
        int[] t = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (!reduced[d]) {
                t[d] = acc;
                acc *= shape[d];
            }
        }
        return t;
    }

    /** Calls the visitor with (input index, output index) for every input element, row-major. */
    private interface Visit {
        void at(int input, int output);
    }

    private static void walk(int[] shape, int[] target, Visit v) {
        int n = Shapes.size(shape);
        int[] idx = new int[shape.length];
        int o = 0;
        for (int e = 0; e < n; e++) {
            v.at(e, o);
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d]++;
                o += target[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                o -= target[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    private static void reduceFloats(TensorValue in, TensorValue out, int[] shape, int[] target, Kind kind, int count) {
        float[] x = in.f;
        float[] y = out.f;
        Arrays.fill(y, 0, out.size(), kind == Kind.MAX ? Float.NEGATIVE_INFINITY : 0f);
        if (kind == Kind.MAX) {
            walk(shape, target, (i, o) -> y[o] = Math.max(y[o], x[i]));
        } else {
            walk(shape, target, (i, o) -> y[o] += x[i]);
        }
        if (kind == Kind.MEAN) {
            for (int o = 0; o < out.size(); o++) {
                y[o] /= count;
            }
        }
    }

    private static void reduceLongs(TensorValue in, TensorValue out, int[] shape, int[] target, Kind kind, int count) {
        boolean wide = in.type == DataType.INT64;
        long[] acc = new long[out.size()];
        Arrays.fill(acc, kind == Kind.MAX ? Long.MIN_VALUE : 0L);
        walk(shape, target, (i, o) -> {
            long v = wide ? in.l[i] : in.i[i];
            acc[o] = kind == Kind.MAX ? Math.max(acc[o], v) : acc[o] + v;
        });
        for (int o = 0; o < acc.length; o++) {
            long r = kind == Kind.MEAN ? acc[o] / count : acc[o];
            if (wide) {
                out.l[o] = r;
            } else {
                out.i[o] = (int) r;
            }
        }
    }

    private static void reduceBytes(TensorValue in, TensorValue out, int[] shape, int[] target, boolean unsigned) {
        int[] best = new int[out.size()];
        Arrays.fill(best, Integer.MIN_VALUE);
        walk(shape, target, (i, o) -> best[o] = Math.max(best[o], unsigned ? in.b[i] & 0xff : in.b[i]));
        for (int o = 0; o < best.length; o++) {
            out.b[o] = (byte) best[o];
        }
    }
}
