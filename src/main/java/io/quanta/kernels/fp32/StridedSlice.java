package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Shapes;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * STRIDED_SLICE with numpy/TensorFlow semantics: begin/end/strides (run-time or constant int vectors),
 * begin/end masks, one ellipsis, new axes, shrunk axes, negative strides, and the offset flag (end is then
 * relative to begin). The sparse spec is first expanded to one range per input dimension.
 */
final class StridedSlice {
    private StridedSlice() {}

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        OpChecks.sameQuantization(ctx, 0, 0);
        for (int k = 1; k <= 3; k++) {
            OpChecks.indexType(ctx, k);
        }
        OpOptions.StridedSlice o = ctx.op().options() instanceof OpOptions.StridedSlice s
                ? s
                : new OpOptions.StridedSlice(0, 0, 0, 0, 0, false);
        if (Integer.bitCount(o.ellipsisMask()) > 1) {
            throw ctx.fail("ellipsis_mask " + o.ellipsisMask() + " sets more than one bit");
        }
        return (in, out) -> {
            Plan p = plan(ctx, o, in[0].shape(), Elements.ints(in[1]), Elements.ints(in[2]), Elements.ints(in[3]));
            run(in[0], out[0], p);
        };
    }

    /** What to copy: per input dimension a start, a step and a count, plus the output shape. */
    record Plan(int[] start, int[] step, int[] count, int[] outShape) {}

    static Plan plan(OpContext ctx, OpOptions.StridedSlice o, int[] shape, int[] begin, int[] end, int[] strides) {
        int n = begin.length;
        if (end.length != n || strides.length != n) {
            throw OpChecks.runtime(
                    ctx,
                    "begin, end and strides have lengths " + n + ", " + end.length + ", " + strides.length
                            + "; they must be equal");
        }
        int rank = shape.length;
        int consuming = 0; // spec entries that take an input dimension (not the ellipsis, not new axes)
        for (int i = 0; i < n; i++) {
            if (!bit(o.ellipsisMask(), i) && !bit(o.newAxisMask(), i)) {
                consuming++;
            }
        }
        if (consuming > rank) {
            throw OpChecks.runtime(
                    ctx,
                    "slice spec of length " + n + " indexes more dimensions than the input " + Arrays.toString(shape)
                            + " has");
        }
        int[] start = new int[rank];
        int[] step = new int[rank];
        int[] count = new int[rank];
        int[] outShape = new int[rank + n];
        int outRank = 0;
        int d = 0;
        for (int i = 0; i <= n; i++) {
            // Past the spec, or at the ellipsis, the remaining input dimensions are taken whole.
            boolean ellipsisHere = i < n && bit(o.ellipsisMask(), i);
            if (i == n || ellipsisHere) {
                int whole = ellipsisHere ? rank - consuming : rank - d;
                for (int w = 0; w < whole; w++, d++) {
                    start[d] = 0;
                    step[d] = 1;
                    count[d] = shape[d];
                    outShape[outRank++] = shape[d];
                }
                if (i == n) {
                    break;
                }
                continue;
            }
            if (bit(o.newAxisMask(), i)) {
                outShape[outRank++] = 1;
                continue;
            }
            int size = shape[d];
            if (bit(o.shrinkAxisMask(), i)) {
                int b = bit(o.beginMask(), i)
                        ? (strides[i] > 0 ? 0 : size - 1)
                        : begin[i] < 0 ? begin[i] + size : begin[i];
                if (b < 0 || b >= size) {
                    throw OpChecks.runtime(
                            ctx,
                            "index " + begin[i] + " of dimension " + d + " is out of range for "
                                    + Arrays.toString(shape));
                }
                start[d] = b;
                step[d] = 1;
                count[d] = 1;
                d++;
                continue;
            }
            int s = strides[i];
            if (s == 0) {
                throw OpChecks.runtime(ctx, "stride " + i + " is zero");
            }
            int first = bit(o.beginMask(), i) ? (s > 0 ? 0 : size - 1) : clampStart(begin[i], size, s);
            int stop;
            if (bit(o.endMask(), i)) {
                stop = s > 0 ? size : -1;
            } else {
                long rawEnd = o.offset() ? (long) begin[i] + end[i] : end[i];
                stop = clampStop(rawEnd, size, s);
            }
            int c = s > 0 ? ceilDiv(stop - first, s) : ceilDiv(first - stop, -s);
            c = Math.max(c, 0);
            start[d] = first;
            step[d] = s;
            count[d] = c;
            outShape[outRank++] = c;
            d++;
        }
        return new Plan(start, step, count, Arrays.copyOf(outShape, outRank));
    }

    private static int clampStart(int begin, int size, int stride) {
        long b = begin < 0 ? (long) begin + size : begin;
        return (int) (stride > 0 ? Math.min(Math.max(b, 0), size) : Math.min(Math.max(b, -1), size - 1));
    }

    private static int clampStop(long end, int size, int stride) {
        long e = end < 0 ? end + size : end;
        return (int) (stride > 0 ? Math.min(Math.max(e, 0), size) : Math.min(Math.max(e, -1), size - 1));
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static boolean bit(int mask, int i) {
        return (mask & (1 << i)) != 0;
    }

    static void run(TensorValue src, TensorValue dst, Plan p) {
        int rank = p.count.length;
        int[] inStrides = Shapes.strides(src.shape());
        int base = 0;
        int[] srcStrides = new int[rank];
        for (int d = 0; d < rank; d++) {
            base += p.start[d] * inStrides[d];
            srcStrides[d] = p.step[d] * inStrides[d];
        }
        dst.resize(p.outShape);
        StridedCopy.copy(src, base, srcStrides, dst, 0, Shapes.strides(p.count), p.count);
    }
}
