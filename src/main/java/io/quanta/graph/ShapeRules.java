package io.quanta.graph;

import java.util.Arrays;

/**
 * The output shapes an op's rule gives for its input shapes (and, where the rule needs them, the values of
 * small integer operands: axes, paddings, target shapes), as TFLite computes them. Pure: used by
 * {@link GraphValidator} to check a model's declared shapes before any kernel sees them. A rule that cannot
 * decide (an operand whose value is only known at run time, an op without a rule here) answers null; a
 * contradiction throws {@link Bad} with what is wrong.
 */
final class ShapeRules {
    private ShapeRules() {}

    /** A contradiction between an op's inputs (or options) and its rule. */
    static final class Bad extends RuntimeException {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    /** What a rule sees: the op, its input shapes and the values of its integer inputs where known. */
    record In(Operator op, int[][] shapes, int[][] values) {
        int count() {
            return shapes.length;
        }

        int[] shape(int i) {
            if (i >= shapes.length || shapes[i] == null) {
                throw new Bad("input " + i + " is missing");
            }
            return shapes[i];
        }

        boolean has(int i) {
            return i < shapes.length && shapes[i] != null;
        }

        /** The value of integer input i, or null when only known at run time. */
        int[] value(int i) {
            shape(i);
            return values[i];
        }
    }

    /** Output shapes and, for integer outputs that are cheap to know (shape arithmetic), their values. */
    record Out(int[][] shapes, int[][] values) {
        static Out of(int[]... shapes) {
            return new Out(shapes, new int[shapes.length][]);
        }

        static Out valued(int[] shape, int[] value) {
            return new Out(new int[][] {shape}, new int[][] {value});
        }
    }

    static Bad bad(String message) {
        return new Bad(message);
    }

    static String text(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The rule of this op applied to its inputs; null when it cannot be decided statically. */
    static Out apply(In in) {
        Operator op = in.op();
        return switch (op.type()) {
            case RELU,
                    RELU6,
                    RELU_N1_TO_1,
                    LOGISTIC,
                    TANH,
                    EXP,
                    LOG,
                    SQRT,
                    RSQRT,
                    HARD_SWISH,
                    LEAKY_RELU,
                    SOFTMAX,
                    LOG_SOFTMAX,
                    L2_NORMALIZATION,
                    DEQUANTIZE,
                    QUANTIZE -> Out.of(in.shape(0));
            case CAST -> Out.valued(in.shape(0), in.value(0));
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE ->
                Out.of(broadcast(in.shape(0), in.shape(1)));
            case FLOOR_MOD -> floorMod(in);
            case CONV_2D -> conv(in, op.options(OpOptions.Conv2D.class));
            case DEPTHWISE_CONV_2D -> depthwise(in, op.options(OpOptions.DepthwiseConv2D.class));
            case AVERAGE_POOL_2D, MAX_POOL_2D -> pool(in, op.options(OpOptions.Pool2D.class));
            case FULLY_CONNECTED ->
                fullyConnected(in, op.options() instanceof OpOptions.FullyConnected fc && fc.keepNumDims());
            case CONCATENATION ->
                concatenation(in, op.options(OpOptions.Concatenation.class).axis());
            case PACK -> pack(in, op.options(OpOptions.Pack.class).axis());
            case RESHAPE -> reshape(in);
            case SQUEEZE ->
                squeeze(in.shape(0), op.options() instanceof OpOptions.Squeeze s ? s.squeezeDims() : new int[0]);
            case EXPAND_DIMS -> expandDims(in);
            case SHAPE -> Out.valued(new int[] {in.shape(0).length}, in.shape(0).clone());
            case GATHER -> gather(in, op.options(OpOptions.Gather.class));
            case STRIDED_SLICE -> stridedSlice(in, op.options(OpOptions.StridedSlice.class));
            case SLICE -> slice(in);
            case TRANSPOSE -> transpose(in);
            case MEAN, SUM, REDUCE_MAX -> reduce(in, op.options() instanceof OpOptions.Reducer r && r.keepDims());
            case PAD, PADV2 -> pad(in);
            case SPACE_TO_BATCH_ND -> spaceToBatch(in);
            case BATCH_TO_SPACE_ND -> batchToSpace(in);
            case RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR -> resize(in);
            case SPLIT -> split(in, op.options(OpOptions.Split.class).numSplits(), op.outputCount());
            case TRANSPOSE_CONV -> transposeConv(in);
            case BATCH_MATMUL -> batchMatMul(in, op.options() instanceof OpOptions.BatchMatMul b ? b : null);
            case UNIDIRECTIONAL_SEQUENCE_LSTM -> lstm(in);
            default -> null;
        };
    }

    static int axis(int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw bad(what + " " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw bad("shapes " + text(a) + " and " + text(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    private static Out floorMod(In in) {
        int[] shape = broadcast(in.shape(0), in.shape(1));
        int[] a = in.value(0);
        int[] b = in.value(1);
        if (a == null || b == null || a.length != b.length || shape.length > 1) {
            return Out.of(shape);
        }
        int[] v = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            if (b[i] == 0) {
                throw bad("division by zero in a constant operand");
            }
            v[i] = Math.floorMod(a[i], b[i]);
        }
        return Out.valued(shape, v);
    }

    private static void rank(int[] shape, int rank, String role) {
        if (shape.length != rank) {
            throw bad(role + " " + text(shape) + " must have rank " + rank);
        }
    }

    /** Output size of a sliding window; fails when the window does not fit or a parameter is not positive. */
    static int window(Padding padding, int in, int filter, int stride, int dilation, String axis) {
        if (stride <= 0 || dilation <= 0 || filter <= 0) {
            throw bad("stride " + stride + ", dilation " + dilation + " and filter " + filter + " along " + axis
                    + " must be positive");
        }
        long eff = (long) (filter - 1) * dilation + 1;
        long out = padding == Padding.SAME ? ((long) in + stride - 1) / stride : ((long) in + stride - eff) / stride;
        if (out <= 0 || eff > Integer.MAX_VALUE) {
            throw bad("input " + axis + " " + in + " is smaller than the window " + filter + " (dilation " + dilation
                    + ")");
        }
        return (int) out;
    }

    private static Out conv(In in, OpOptions.Conv2D o) {
        int[] x = in.shape(0);
        int[] f = in.shape(1);
        rank(x, 4, "input");
        rank(f, 4, "filter");
        if (f[3] == 0 || x[3] % f[3] != 0) {
            throw bad("input " + text(x) + " has " + x[3] + " channels but filter " + text(f) + " takes " + f[3]);
        }
        bias(in, f[0]);
        return Out.of(new int[] {
            x[0],
            window(o.padding(), x[1], f[1], o.strideH(), o.dilationH(), "height"),
            window(o.padding(), x[2], f[2], o.strideW(), o.dilationW(), "width"),
            f[0]
        });
    }

    private static void bias(In in, long n) {
        if (in.has(2) && Shapes.elementCount(in.shape(2)) != n) {
            throw bad("bias " + text(in.shape(2)) + " must hold " + n + " values");
        }
    }

    private static Out depthwise(In in, OpOptions.DepthwiseConv2D o) {
        int[] x = in.shape(0);
        int[] f = in.shape(1);
        rank(x, 4, "input");
        rank(f, 4, "filter");
        if (x[3] == 0 ? f[3] != 0 : f[3] % x[3] != 0) {
            throw bad("filter " + text(f) + " does not give a whole multiple of the input's " + x[3] + " channels");
        }
        bias(in, f[3]);
        return Out.of(new int[] {
            x[0],
            window(o.padding(), x[1], f[1], o.strideH(), o.dilationH(), "height"),
            window(o.padding(), x[2], f[2], o.strideW(), o.dilationW(), "width"),
            f[3]
        });
    }

    private static Out pool(In in, OpOptions.Pool2D o) {
        int[] x = in.shape(0);
        rank(x, 4, "input");
        return Out.of(new int[] {
            x[0],
            window(o.padding(), x[1], o.filterHeight(), o.strideH(), 1, "height"),
            window(o.padding(), x[2], o.filterWidth(), o.strideW(), 1, "width"),
            x[3]
        });
    }

    private static Out fullyConnected(In in, boolean keepNumDims) {
        int[] x = in.shape(0);
        int[] w = in.shape(1);
        rank(w, 2, "weights");
        int units = w[0];
        int depth = w[1];
        bias(in, units);
        long n = Shapes.elementCount(x);
        if (depth == 0 || n % depth != 0) {
            throw bad("input " + text(x) + " does not split into rows of the weights' depth " + depth);
        }
        if (keepNumDims) {
            if (x.length == 0 || x[x.length - 1] != depth) {
                throw bad("input " + text(x) + " must end in the weights' depth " + depth);
            }
            int[] out = x.clone();
            out[out.length - 1] = units;
            return Out.of(out);
        }
        return Out.of(new int[] {(int) (n / depth), units});
    }

    private static Out concatenation(In in, int axis) {
        int[] first = in.shape(0);
        int a = axis(axis, first.length, "axis");
        int[] out = first.clone();
        long sum = first[a];
        for (int i = 1; i < in.count(); i++) {
            int[] s = in.shape(i);
            if (s.length != first.length) {
                throw bad("input " + i + " " + text(s) + " and input 0 " + text(first) + " differ in rank");
            }
            for (int d = 0; d < s.length; d++) {
                if (d != a && s[d] != first[d]) {
                    throw bad(
                            "input " + i + " " + text(s) + " and input 0 " + text(first) + " differ outside axis " + a);
                }
            }
            sum += s[a];
        }
        out[a] = checkedDim(sum);
        return Out.of(out);
    }

    static int checkedDim(long d) {
        if (d > Integer.MAX_VALUE) {
            throw bad("a dimension of " + d + " is too large");
        }
        return (int) d;
    }

    private static Out pack(In in, int axis) {
        int[] first = in.shape(0);
        int a = axis(axis, first.length + 1, "axis");
        for (int i = 1; i < in.count(); i++) {
            if (!Arrays.equals(in.shape(i), first)) {
                throw bad("input " + i + " " + text(in.shape(i)) + " differs from input 0 " + text(first));
            }
        }
        int[] out = insert(first, a, in.count());
        int[] value = null;
        if (first.length == 0 && a == 0) {
            value = new int[in.count()];
            for (int i = 0; i < in.count(); i++) {
                int[] v = in.value(i);
                if (v == null || v.length != 1) {
                    value = null;
                    break;
                }
                value[i] = v[0];
            }
        }
        return Out.valued(out, value);
    }

    private static int[] insert(int[] shape, int at, int dim) {
        int[] out = new int[shape.length + 1];
        System.arraycopy(shape, 0, out, 0, at);
        out[at] = dim;
        System.arraycopy(shape, at, out, at + 1, shape.length - at);
        return out;
    }

    private static Out reshape(In in) {
        int[] target;
        if (in.has(1)) {
            target = in.value(1);
            if (target == null) {
                return null;
            }
            if (in.shape(1).length > 1) {
                throw bad("the target shape " + text(in.shape(1)) + " must be a vector");
            }
        } else if (in.op().options() instanceof OpOptions.Reshape r && r.newShape() != null) {
            target = r.newShape();
        } else {
            return null;
        }
        long n = Shapes.elementCount(in.shape(0));
        int unknown = -1;
        long known = 1;
        int[] out = target.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (out[i] < 0) {
                throw bad("target shape " + text(target) + " has an invalid dimension " + out[i]);
            } else {
                known = multiply(known, out[i]);
            }
        }
        if (unknown >= 0) {
            if (known == 0 || n % known != 0) {
                throw bad("cannot reshape " + n + " elements to " + text(target));
            }
            out[unknown] = checkedDim(n / known);
        } else if (known != n) {
            throw bad("cannot reshape " + n + " elements to " + text(target));
        }
        return Out.of(out);
    }

    static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw bad("the shape has too many elements");
        }
    }

    private static Out squeeze(int[] x, int[] dims) {
        boolean[] drop = new boolean[x.length];
        if (dims.length == 0) {
            for (int d = 0; d < x.length; d++) {
                drop[d] = x[d] == 1;
            }
        } else {
            for (int d : dims) {
                int a = axis(d, x.length, "squeeze dimension");
                if (x[a] != 1) {
                    throw bad("dimension " + a + " of " + text(x) + " is " + x[a] + ", not 1");
                }
                drop[a] = true;
            }
        }
        return Out.of(java.util.stream.IntStream.range(0, x.length)
                .filter(d -> !drop[d])
                .map(d -> x[d])
                .toArray());
    }

    private static Out expandDims(In in) {
        int[] axis = in.value(1);
        if (axis == null) {
            return null;
        }
        if (axis.length != 1) {
            throw bad("axis " + text(axis) + " must hold one value");
        }
        int[] x = in.shape(0);
        return Out.valued(insert(x, axis(axis[0], x.length + 1, "axis"), 1), in.value(0));
    }

    private static Out gather(In in, OpOptions.Gather o) {
        int[] params = in.shape(0);
        int[] indices = in.shape(1);
        int a = axis(o.axis(), params.length, "axis");
        int batch = o.batchDims() < 0 ? o.batchDims() + indices.length : o.batchDims();
        if (batch < 0 || batch > a || batch > indices.length) {
            throw bad("batch_dims " + o.batchDims() + " does not fit axis " + a + " and indices " + text(indices));
        }
        int[] out = new int[a + indices.length - batch + params.length - a - 1];
        int k = 0;
        for (int d = 0; d < a; d++) {
            out[k++] = params[d];
        }
        for (int d = batch; d < indices.length; d++) {
            out[k++] = indices[d];
        }
        for (int d = a + 1; d < params.length; d++) {
            out[k++] = params[d];
        }
        int[] pv = in.value(0);
        int[] iv = in.value(1);
        int[] value = null;
        if (pv != null && iv != null && params.length == 1 && batch == 0) {
            value = new int[iv.length];
            for (int i = 0; i < iv.length; i++) {
                if (iv[i] < 0 || iv[i] >= pv.length) {
                    throw bad("index " + iv[i] + " is out of range for " + pv.length + " values");
                }
                value[i] = pv[iv[i]];
            }
        } else if (iv != null) {
            for (int i : iv) {
                if (i < 0 || i >= params[a]) {
                    throw bad("index " + i + " is out of range for dimension " + a + " of " + text(params));
                }
            }
        }
        return Out.valued(out, value);
    }

    /** STRIDED_SLICE with constant begin, end and strides (no ellipsis or new axes: those answer null). */
    private static Out stridedSlice(In in, OpOptions.StridedSlice o) {
        int[] x = in.shape(0);
        int[] begin = in.value(1);
        int[] end = in.value(2);
        int[] strides = in.has(3) ? in.value(3) : null;
        if (begin == null
                || end == null
                || (in.has(3) && strides == null)
                || o.ellipsisMask() != 0
                || o.newAxisMask() != 0
                || o.offset()) {
            return null;
        }
        int n = begin.length;
        if (end.length != n || (strides != null && strides.length != n) || n > x.length) {
            throw bad("begin " + text(begin) + ", end " + text(end) + " and strides do not fit input " + text(x));
        }
        int[] out = new int[x.length];
        boolean[] shrink = new boolean[x.length];
        int[] xv = in.value(0);
        int start0 = 0;
        int step0 = 1;
        for (int d = 0; d < x.length; d++) {
            if (d >= n) {
                out[d] = x[d];
                continue;
            }
            int stride = strides == null ? 1 : strides[d];
            if (stride == 0) {
                throw bad("stride " + d + " is 0");
            }
            int dim = x[d];
            boolean shrinks = (o.shrinkAxisMask() >> d & 1) != 0;
            long b = clampIndex(begin[d], dim, stride, (o.beginMask() >> d & 1) != 0, true);
            long e;
            if (shrinks) {
                long bi = begin[d] < 0 ? (long) begin[d] + dim : begin[d];
                if (bi < 0 || bi >= dim) {
                    throw bad("index " + begin[d] + " is out of range for dimension " + d + " of " + text(x));
                }
                b = bi;
                e = bi + 1;
                stride = 1;
            } else {
                e = clampIndex(end[d], dim, stride, (o.endMask() >> d & 1) != 0, false);
            }
            long count = stride > 0
                    ? Math.max(0, (e - b + stride - 1) / stride)
                    : Math.max(0, (b - e - stride - 1) / -stride);
            out[d] = (int) count;
            shrink[d] = shrinks;
            if (d == 0) {
                start0 = (int) b;
                step0 = stride;
            }
        }
        int[] shape = java.util.stream.IntStream.range(0, x.length)
                .filter(d -> !shrink[d])
                .map(d -> out[d])
                .toArray();
        int[] value = null;
        if (xv != null && x.length == 1) {
            value = new int[out[0]];
            for (int i = 0; i < value.length; i++) {
                value[i] = xv[start0 + i * step0];
            }
        }
        return Out.valued(shape, value);
    }

    /** A begin or end index as TFLite clamps it into [0, dim] (or [-1, dim-1] going backwards). */
    private static long clampIndex(int index, int dim, int stride, boolean masked, boolean isBegin) {
        if (masked) {
            if (isBegin) {
                return stride > 0 ? 0 : dim - 1L;
            }
            return stride > 0 ? dim : -1;
        }
        long i = index < 0 ? (long) index + dim : index;
        return stride > 0 ? Math.max(0, Math.min(dim, i)) : Math.max(-1, Math.min(dim - 1L, i));
    }

    private static Out slice(In in) {
        int[] x = in.shape(0);
        int[] begin = in.value(1);
        int[] size = in.value(2);
        if (begin == null || size == null) {
            return null;
        }
        if (begin.length != x.length || size.length != x.length) {
            throw bad("begin " + text(begin) + " and size " + text(size) + " must have one value per dimension of "
                    + text(x));
        }
        int[] out = new int[x.length];
        for (int d = 0; d < x.length; d++) {
            long s = size[d] == -1 ? (long) x[d] - begin[d] : size[d];
            if (begin[d] < 0 || s < 0 || begin[d] + s > x[d]) {
                throw bad(
                        "slice from " + begin[d] + " of size " + size[d] + " leaves dimension " + d + " of " + text(x));
            }
            out[d] = (int) s;
        }
        return Out.of(out);
    }

    private static Out transpose(In in) {
        int[] x = in.shape(0);
        int[] perm = in.value(1);
        if (perm == null) {
            return null;
        }
        if (perm.length != x.length) {
            throw bad("permutation " + text(perm) + " does not fit " + text(x));
        }
        boolean[] seen = new boolean[x.length];
        int[] out = new int[x.length];
        for (int d = 0; d < perm.length; d++) {
            int p = axis(perm[d], x.length, "permutation entry");
            if (seen[p]) {
                throw bad("permutation " + text(perm) + " repeats " + p);
            }
            seen[p] = true;
            out[d] = x[p];
        }
        return Out.of(out);
    }

    private static Out reduce(In in, boolean keepDims) {
        int[] x = in.shape(0);
        int[] axes = in.value(1);
        if (axes == null) {
            return null;
        }
        boolean[] reduced = new boolean[x.length];
        for (int a : axes) {
            reduced[axis(a, x.length, "axis")] = true;
        }
        if (keepDims) {
            int[] out = x.clone();
            for (int d = 0; d < x.length; d++) {
                out[d] = reduced[d] ? 1 : x[d];
            }
            return Out.of(out);
        }
        return Out.of(java.util.stream.IntStream.range(0, x.length)
                .filter(d -> !reduced[d])
                .map(d -> x[d])
                .toArray());
    }

    private static Out pad(In in) {
        int[] x = in.shape(0);
        int[] p = in.value(1);
        if (p == null) {
            return null;
        }
        if (p.length != 2 * x.length) {
            throw bad("paddings hold " + p.length + " values, expected 2 per dimension of " + text(x));
        }
        int[] out = new int[x.length];
        for (int d = 0; d < x.length; d++) {
            if (p[2 * d] < 0 || p[2 * d + 1] < 0) {
                throw bad("padding " + p[2 * d] + ", " + p[2 * d + 1] + " of dimension " + d + " is negative");
            }
            out[d] = checkedDim((long) x[d] + p[2 * d] + p[2 * d + 1]);
        }
        return Out.of(out);
    }

    /** Block shape and paddings (or crops) of the block-space ops: values of inputs 1 and 2. */
    private static int[][] blocks(In in, int[] x, String second) {
        int[] block = in.value(1);
        int[] pads = in.value(2);
        if (block == null || pads == null) {
            return null;
        }
        int m = block.length;
        if (m == 0 || m + 1 >= x.length + 1 || pads.length != 2 * m || x.length < m + 1) {
            throw bad("block shape " + text(block) + " and " + second + " " + text(pads) + " do not fit input "
                    + text(x));
        }
        for (int v : block) {
            if (v <= 0) {
                throw bad("block shape " + text(block) + " must be positive");
            }
        }
        for (int v : pads) {
            if (v < 0) {
                throw bad(second + " " + text(pads) + " must not be negative");
            }
        }
        return new int[][] {block, pads};
    }

    private static Out spaceToBatch(In in) {
        int[] x = in.shape(0);
        int[][] bp = blocks(in, x, "paddings");
        if (bp == null) {
            return null;
        }
        int[] out = x.clone();
        long batch = x[0];
        for (int i = 0; i < bp[0].length; i++) {
            long padded = (long) x[i + 1] + bp[1][2 * i] + bp[1][2 * i + 1];
            if (padded % bp[0][i] != 0) {
                throw bad("padded dimension " + (i + 1) + " (" + padded + ") is not a multiple of block " + bp[0][i]);
            }
            out[i + 1] = checkedDim(padded / bp[0][i]);
            batch = multiply(batch, bp[0][i]);
        }
        out[0] = checkedDim(batch);
        return Out.of(out);
    }

    private static Out batchToSpace(In in) {
        int[] x = in.shape(0);
        int[][] bc = blocks(in, x, "crops");
        if (bc == null) {
            return null;
        }
        int[] out = x.clone();
        long prod = 1;
        for (int b : bc[0]) {
            prod = multiply(prod, b);
        }
        if (x[0] % prod != 0) {
            throw bad("batch " + x[0] + " is not a multiple of the block size " + prod);
        }
        out[0] = (int) (x[0] / prod);
        for (int i = 0; i < bc[0].length; i++) {
            long d = (long) x[i + 1] * bc[0][i] - bc[1][2 * i] - bc[1][2 * i + 1];
            if (d < 0) {
                throw bad("crops " + text(bc[1]) + " exceed dimension " + (i + 1));
            }
            out[i + 1] = checkedDim(d);
        }
        return Out.of(out);
    }

    private static Out resize(In in) {
        int[] x = in.shape(0);
        int[] size = in.value(1);
        rank(x, 4, "input");
        if (size == null) {
            return null;
        }
        if (size.length != 2 || size[0] <= 0 || size[1] <= 0) {
            throw bad("size " + text(size) + " must be two positive values");
        }
        return Out.of(new int[] {x[0], size[0], size[1], x[3]});
    }

    private static Out split(In in, int numSplits, int outputs) {
        int[] axisValue = in.value(0);
        int[] x = in.shape(1);
        if (axisValue == null) {
            return null;
        }
        if (axisValue.length != 1) {
            throw bad("axis " + text(axisValue) + " must hold one value");
        }
        int a = axis(axisValue[0], x.length, "axis");
        if (numSplits <= 0 || numSplits != outputs || x[a] % numSplits != 0) {
            throw bad("dimension " + a + " of " + text(x) + " does not split into " + numSplits + " parts for "
                    + outputs + " outputs");
        }
        int[][] out = new int[outputs][];
        for (int i = 0; i < outputs; i++) {
            out[i] = x.clone();
            out[i][a] = x[a] / numSplits;
        }
        return Out.of(out);
    }

    private static Out transposeConv(In in) {
        int[] shape = in.value(0);
        int[] f = in.shape(1);
        int[] x = in.shape(2);
        rank(f, 4, "filter");
        rank(x, 4, "input");
        if (f[3] != x[3]) {
            throw bad("filter " + text(f) + " takes " + f[3] + " channels, input " + text(x) + " has " + x[3]);
        }
        if (shape == null) {
            return null;
        }
        if (shape.length != 4 || shape[3] != f[0] || shape[0] != x[0]) {
            throw bad("output shape " + text(shape) + " does not fit filter " + text(f) + " and input " + text(x));
        }
        for (int d : shape) {
            if (d <= 0) {
                throw bad("output shape " + text(shape) + " must be positive");
            }
        }
        return Out.of(shape.clone());
    }

    private static Out batchMatMul(In in, OpOptions.BatchMatMul o) {
        int[] a = in.shape(0);
        int[] b = in.shape(1);
        if (a.length < 2 || b.length < 2) {
            throw bad("operands " + text(a) + " and " + text(b) + " must have rank 2 or more");
        }
        boolean adjX = o != null && o.adjX();
        boolean adjY = o != null && o.adjY();
        int rows = adjX ? a[a.length - 1] : a[a.length - 2];
        int inner = adjX ? a[a.length - 2] : a[a.length - 1];
        int innerB = adjY ? b[b.length - 1] : b[b.length - 2];
        int cols = adjY ? b[b.length - 2] : b[b.length - 1];
        if (inner != innerB) {
            throw bad("operands " + text(a) + " and " + text(b) + " do not multiply");
        }
        int[] batch = broadcast(Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = rows;
        out[batch.length + 1] = cols;
        return Out.of(out);
    }

    /** UNIDIRECTIONAL_SEQUENCE_LSTM: output [batch, time, output size] (time-major swaps the first two). */
    private static Out lstm(In in) {
        int[] x = in.shape(0);
        rank(x, 3, "input");
        int[] inputToOutput = in.shape(4);
        int[] recurrentToOutput = in.shape(8);
        rank(inputToOutput, 2, "input_to_output weights");
        rank(recurrentToOutput, 2, "recurrent_to_output weights");
        if (inputToOutput[1] != x[2]) {
            throw bad("input " + text(x) + " has " + x[2] + " features, the weights " + text(inputToOutput) + " take "
                    + inputToOutput[1]);
        }
        int cells = inputToOutput[0];
        int outputs = recurrentToOutput[1];
        if (recurrentToOutput[0] != cells) {
            throw bad("recurrent weights " + text(recurrentToOutput) + " do not match " + cells + " cells");
        }
        for (int gate : new int[] {1, 2, 3}) {
            if (in.has(gate) && !Arrays.equals(in.shape(gate), inputToOutput)) {
                throw bad("input weights " + gate + " " + text(in.shape(gate)) + " differ from " + text(inputToOutput));
            }
        }
        for (int gate : new int[] {5, 6, 7}) {
            if (in.has(gate) && !Arrays.equals(in.shape(gate), recurrentToOutput)) {
                throw bad("recurrent weights " + gate + " " + text(in.shape(gate)) + " differ from "
                        + text(recurrentToOutput));
            }
        }
        for (int gate = 12; gate <= 15; gate++) {
            if (in.has(gate) && Shapes.elementCount(in.shape(gate)) != cells) {
                throw bad("gate bias " + gate + " " + text(in.shape(gate)) + " must hold " + cells + " values");
            }
        }
        if (in.has(16)) {
            int[] proj = in.shape(16);
            if (proj.length != 2 || proj[0] != outputs || proj[1] != cells) {
                throw bad("projection weights " + text(proj) + " must be [" + outputs + ", " + cells + "]");
            }
        } else if (outputs != cells) {
            throw bad("without projection the output size " + outputs + " must equal the " + cells + " cells");
        }
        for (int state : new int[] {18, 19}) {
            if (in.has(state)) {
                long per = state == 18 ? outputs : cells;
                long batch = in.op().options() instanceof OpOptions.SequenceLstm s && s.timeMajor() ? x[1] : x[0];
                if (Shapes.elementCount(in.shape(state)) != per * batch) {
                    throw bad("state " + state + " " + text(in.shape(state)) + " must hold " + per * batch + " values");
                }
            }
        }
        return Out.of(new int[] {x[0], x[1], outputs});
    }
}
