package io.quanta.graph;

import java.util.Arrays;
import java.util.List;

/**
 * Checks a model before any kernel is built, so that kernels may trust their inputs: every index in range,
 * every shape non-negative and small enough to hold, each constant as long as its shape and type say, each
 * op's declared output shapes what its rule gives for its inputs ({@link ShapeRules}), and the memory all
 * tensors take within a limit. Pure: refusals are a {@link ModelInvalidException} naming the op, the tensor
 * and the number.
 */
public final class GraphValidator {
    /** Integer operands up to this many values are tracked through shape arithmetic (SHAPE, PACK, SLICE...). */
    private static final int MAX_TRACKED_VALUES = 1024;

    private static volatile long configuredLimit;

    private GraphValidator() {}

    /**
     * The memory an interpreter may take for a model's tensors: {@link #setMemoryLimit} if set (the CLI's
     * {@code --max-memory}, the pod's memory limit), else half of the Java heap.
     */
    public static long memoryLimit() {
        long l = configuredLimit;
        return l > 0 ? l : Runtime.getRuntime().maxMemory() / 2;
    }

    /** Sets the process-wide limit of {@link #memoryLimit()}; 0 or less goes back to the default. */
    public static void setMemoryLimit(long bytes) {
        configuredLimit = bytes;
    }

    /** Validates every subgraph: indices, shapes, constants, and each op's shapes against its rule. */
    public static void validate(Model model) {
        List<Subgraph> sgs = model.subgraphs();
        if (sgs.isEmpty()) {
            throw new ModelInvalidException("the model has no subgraph");
        }
        for (int s = 0; s < sgs.size(); s++) {
            validate(sgs.get(s), sgs.size() > 1 ? "subgraph " + s + ": " : "");
        }
        for (SignatureDef sig : model.signatureDefs()) {
            if (sig.subgraphIndex() < 0 || sig.subgraphIndex() >= sgs.size()) {
                throw new ModelInvalidException("signature '" + sig.key() + "' refers to subgraph "
                        + sig.subgraphIndex() + ", but the model has " + sgs.size());
            }
        }
    }

    public static void validate(Subgraph graph) {
        validate(graph, "");
    }

    private static void validate(Subgraph graph, String where) {
        checkStructure(graph, where);
        inferShapes(graph, where, true);
    }

    /** Indices, shapes and constant sizes: what must hold before the interpreter allocates anything. */
    public static void checkStructure(Subgraph graph, String where) {
        List<Tensor> tensors = graph.tensors();
        int n = tensors.size();
        for (int t = 0; t < n; t++) {
            Tensor tensor = tensors.get(t);
            int[] shape = tensor.shape();
            long elements = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw invalid(where + "tensor " + t + " '" + tensor.name() + "' has a negative dimension in "
                            + text(shape));
                }
                elements =
                        d == 0 || elements == 0 ? 0 : elements > Integer.MAX_VALUE / d ? Long.MAX_VALUE : elements * d;
            }
            int[] sig = tensor.shapeSignature();
            boolean agrees = sig == null || sig.length == shape.length;
            for (int d = 0; sig != null && agrees && d < sig.length; d++) {
                agrees = sig[d] == -1 || sig[d] == shape[d];
            }
            if (!agrees) {
                throw invalid(where + "tensor " + t + " '" + tensor.name() + "' has shape " + text(shape)
                        + " but shape signature " + text(sig));
            }
            if (elements > Integer.MAX_VALUE) {
                throw invalid(where + "tensor " + t + " '" + tensor.name() + "' of shape " + text(shape)
                        + " has more than " + Integer.MAX_VALUE + " elements");
            }
            if (tensor.isConstant()
                    && tensor.type().byteSize() > 0
                    && (long) tensor.data().length != elements * tensor.type().byteSize()) {
                throw invalid(where + "constant tensor " + t + " '" + tensor.name() + "' " + tensor.type() + text(shape)
                        + " needs " + elements * tensor.type().byteSize() + " bytes, but holds "
                        + tensor.data().length);
            }
        }
        indices(graph.inputs(), n, false, where + "model input");
        indices(graph.outputs(), n, false, where + "model output");
        List<Operator> ops = graph.operators();
        int[] producer = new int[n];
        Arrays.fill(producer, -1);
        for (int k = 0; k < ops.size(); k++) {
            Operator op = ops.get(k);
            String name = where + op.displayName() + " (node " + k + ")";
            indices(op.inputs(), n, true, name + " input");
            indices(op.outputs(), n, false, name + " output");
            indices(op.intermediates(), n, false, name + " intermediate");
            if (op.outputCount() == 0) {
                throw invalid(name + " has no outputs");
            }
            for (int t : op.outputs()) {
                if (tensors.get(t).isConstant()) {
                    throw invalid(name + " writes constant tensor " + t + " '"
                            + tensors.get(t).name() + "'");
                }
                if (producer[t] >= 0) {
                    throw invalid(name + " writes tensor " + t + " '"
                            + tensors.get(t).name() + "', already written by node " + producer[t]);
                }
                producer[t] = k;
            }
        }
    }

    private static void indices(int[] values, int tensorCount, boolean optional, String role) {
        for (int k = 0; k < values.length; k++) {
            int v = values[k];
            if (v >= tensorCount || v < (optional ? -1 : 0)) {
                throw invalid(role + " " + k + " refers to tensor " + v + ", but the subgraph has " + tensorCount
                        + " tensors");
            }
        }
    }

    /**
     * Walks the ops in order, applying each op's rule to the shapes its inputs will have. A declared output
     * shape must match, except where the shape signature marks a dimension as sized at run time (-1): there
     * the inferred shape stands, as the interpreter will resize to it. Returns the inferred shapes, with null
     * for tensors only sized at run time (an operand whose value is not known here). Strict: a contradiction
     * throws; lenient: it leaves the outputs unknown (the kernels then check at run time).
     */
    private static int[][] inferShapes(Subgraph graph, String where, boolean strict) {
        List<Tensor> tensors = graph.tensors();
        int[][] shapes = new int[tensors.size()][];
        int[][] values = new int[tensors.size()][];
        for (int t = 0; t < tensors.size(); t++) {
            shapes[t] = tensors.get(t).shape();
            values[t] = constantInts(tensors.get(t));
        }
        List<Operator> ops = graph.operators();
        for (int k = 0; k < ops.size(); k++) {
            Operator op = ops.get(k);
            int[] ins = op.inputs();
            int[][] inShapes = new int[ins.length][];
            int[][] inValues = new int[ins.length][];
            boolean unknown = false;
            for (int i = 0; i < ins.length; i++) {
                if (ins[i] >= 0) {
                    inShapes[i] = shapes[ins[i]];
                    inValues[i] = values[ins[i]];
                    unknown |= shapes[ins[i]] == null;
                }
            }
            String name = where + op.displayName() + " (node " + k + ")";
            if (strict) {
                checkTypes(op, tensors, name);
            }
            ShapeRules.Out out = null;
            if (!unknown) {
                try {
                    out = ShapeRules.apply(new ShapeRules.In(op, inShapes, inValues));
                } catch (ShapeRules.Bad e) {
                    if (strict) {
                        throw invalid(name + ": " + e.getMessage());
                    }
                } catch (IllegalStateException e) {
                    out = null; // options of another kind: the kernel refuses the op with its own message
                }
            }
            if (out == null) {
                for (int t : op.outputs()) {
                    shapes[t] = isDynamic(tensors.get(t)) || unknown ? null : shapes[t];
                    values[t] = null;
                }
                continue;
            }
            if (out.shapes().length != op.outputCount()) {
                if (strict) {
                    throw invalid(
                            name + " has " + op.outputCount() + " outputs, its rule gives " + out.shapes().length);
                }
                continue;
            }
            for (int o = 0; o < out.shapes().length; o++) {
                int t = op.output(o);
                Tensor tensor = tensors.get(t);
                int[] declared = tensor.shape();
                int[] inferred = out.shapes()[o];
                if (!Arrays.equals(declared, inferred) && !fitsSignature(tensor, inferred) && strict) {
                    throw invalid(name + ": output " + o + " '" + tensor.name() + "' is declared " + text(declared)
                            + " but the inputs " + inputText(op, tensors) + " give " + text(inferred));
                }
                shapes[t] = inferred;
                int[] v = out.values()[o];
                values[t] = v != null && v.length <= MAX_TRACKED_VALUES && isInt(tensor.type()) ? v : null;
            }
        }
        return shapes;
    }

    /** Ops whose data inputs and outputs share one element type (the kernels read and write one array kind). */
    private static final java.util.Set<OpType> SAME_TYPE = java.util.EnumSet.of(
            OpType.CONV_2D,
            OpType.DEPTHWISE_CONV_2D,
            OpType.FULLY_CONNECTED,
            OpType.AVERAGE_POOL_2D,
            OpType.MAX_POOL_2D,
            OpType.ADD,
            OpType.SUB,
            OpType.MUL,
            OpType.DIV,
            OpType.MAXIMUM,
            OpType.MINIMUM,
            OpType.RELU,
            OpType.RELU6,
            OpType.RELU_N1_TO_1,
            OpType.LOGISTIC,
            OpType.TANH,
            OpType.SOFTMAX,
            OpType.LOG_SOFTMAX,
            OpType.CONCATENATION,
            OpType.RESHAPE,
            OpType.SQUEEZE,
            OpType.EXPAND_DIMS,
            OpType.PAD,
            OpType.PADV2,
            OpType.MEAN,
            OpType.SUM,
            OpType.REDUCE_MAX,
            OpType.TRANSPOSE,
            OpType.STRIDED_SLICE,
            OpType.SLICE,
            OpType.GATHER,
            OpType.PACK,
            OpType.SPLIT,
            OpType.RESIZE_BILINEAR,
            OpType.RESIZE_NEAREST_NEIGHBOR,
            OpType.SPACE_TO_BATCH_ND,
            OpType.BATCH_TO_SPACE_ND,
            OpType.L2_NORMALIZATION,
            OpType.HARD_SWISH,
            OpType.LEAKY_RELU,
            OpType.EXP,
            OpType.LOG,
            OpType.SQRT,
            OpType.RSQRT,
            OpType.SQUARED_DIFFERENCE,
            OpType.FLOOR_MOD,
            OpType.BATCH_MATMUL,
            OpType.UNIDIRECTIONAL_SEQUENCE_LSTM,
            OpType.TRANSPOSE_CONV);

    /** Ops that compute on real values: on 8- or 16-bit integers they need scales and zero points. */
    private static final java.util.Set<OpType> INTEGER_NEEDS_SCALES = java.util.EnumSet.of(
            OpType.CONV_2D,
            OpType.DEPTHWISE_CONV_2D,
            OpType.FULLY_CONNECTED,
            OpType.AVERAGE_POOL_2D,
            OpType.TRANSPOSE_CONV,
            OpType.SOFTMAX,
            OpType.LOGISTIC,
            OpType.TANH,
            OpType.UNIDIRECTIONAL_SEQUENCE_LSTM);

    private static boolean isSmallInt(DataType t) {
        return t == DataType.INT8 || t == DataType.UINT8 || t == DataType.INT16;
    }

    private static void checkTypes(Operator op, List<Tensor> tensors, String name) {
        if (!SAME_TYPE.contains(op.type())) {
            return;
        }
        int[] data = switch (op.type()) {
            // BATCH_MATMUL checks only its left operand: a hybrid model's constant right one is int8.
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, FLOOR_MOD -> new int[] {0, 1};
            case CONCATENATION, PACK ->
                java.util.stream.IntStream.range(0, op.inputCount()).toArray();
            case SPLIT -> new int[] {1};
            case TRANSPOSE_CONV -> new int[] {2};
            default -> new int[] {0};
        };
        Tensor out = tensors.get(op.output(0));
        int first = op.input(data[0]);
        if (INTEGER_NEEDS_SCALES.contains(op.type())
                && first >= 0
                && tensors.get(first).type() != DataType.FLOAT32
                && !isSmallInt(tensors.get(first).type())) {
            throw invalid(name + ": input '" + tensors.get(first).name() + "' is "
                    + tensors.get(first).type()
                    + "; this op computes on float32, or on int8, uint8 or int16 with quantization");
        }
        if (INTEGER_NEEDS_SCALES.contains(op.type())
                && first >= 0
                && isSmallInt(tensors.get(first).type())
                && (!tensors.get(first).isQuantized() || !out.isQuantized())) {
            throw invalid(name + ": " + tensors.get(first).type() + " input '"
                    + tensors.get(first).name() + "' and output '" + out.name()
                    + "' need quantization parameters (this op computes on real values)");
        }
        for (int i : data) {
            int t = op.input(i);
            if (t >= 0 && tensors.get(t).type() != out.type()) {
                throw invalid(name + ": input " + i + " '" + tensors.get(t).name() + "' is "
                        + tensors.get(t).type() + " but output 0 '" + out.name() + "' is " + out.type());
            }
        }
    }

    private static boolean isDynamic(Tensor t) {
        int[] sig = t.shapeSignature();
        return sig != null && Arrays.stream(sig).anyMatch(d -> d < 0);
    }

    /** True when a shape agrees with every dimension the tensor's signature fixes (its -1s take anything). */
    private static boolean fitsSignature(Tensor t, int[] shape) {
        int[] sig = t.shapeSignature();
        if (sig == null || sig.length != shape.length || !isDynamic(t)) {
            return false;
        }
        for (int d = 0; d < sig.length; d++) {
            if (sig[d] >= 0 && sig[d] != shape[d]) {
                return false;
            }
        }
        return true;
    }

    private static String inputText(Operator op, List<Tensor> tensors) {
        StringBuilder b = new StringBuilder();
        for (int t : op.inputs()) {
            if (t >= 0 && !tensors.get(t).isConstant()) {
                b.append(b.length() == 0 ? "" : ", ").append(text(tensors.get(t).shape()));
            }
        }
        return b.length() == 0 ? "(constants)" : b.toString();
    }

    private static boolean isInt(DataType t) {
        return t == DataType.INT32 || t == DataType.INT64;
    }

    /** The values of a small int32/int64 constant, or null (not constant, too long, or out of int range). */
    private static int[] constantInts(Tensor t) {
        if (!t.isConstant()
                || !isInt(t.type())
                || t.data().length > MAX_TRACKED_VALUES * t.type().byteSize()) {
            return null;
        }
        if (t.type() == DataType.INT32) {
            return TensorData.ints(t.data());
        }
        long[] l = TensorData.longs(t.data());
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i]) {
                return null;
            }
            out[i] = (int) l[i];
        }
        return out;
    }

    /**
     * Bytes the interpreter allocates for the tensors of a graph (one value per tensor, at the larger of its
     * declared shape and the shape its producer will give it), overflow-safe.
     */
    public static long tensorBytes(Subgraph graph) {
        int[][] inferred = inferShapes(graph, "", false);
        long total = 0;
        for (int t = 0; t < graph.tensors().size(); t++) {
            total = saturatingAdd(total, bytes(graph.tensor(t), inferred[t]));
        }
        return total;
    }

    private static long bytes(Tensor t, int[] inferred) {
        return Math.max(bytes(t.type(), t.shape()), inferred == null ? 0 : bytes(t.type(), inferred));
    }

    private static long bytes(DataType type, int[] shape) {
        long n = Math.max(1, type.byteSize());
        for (int d : shape) {
            if (d <= 0) {
                return 0;
            }
            n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        return n;
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** Refuses a graph whose tensors would take more than {@code limit} bytes, naming the largest tensor. */
    public static void checkMemory(Subgraph graph, long limit) {
        int[][] inferred = inferShapes(graph, "", false);
        long total = 0;
        int largest = 0;
        if (graph.tensors().isEmpty()) {
            return;
        }
        for (int t = 0; t < graph.tensors().size(); t++) {
            long b = bytes(graph.tensor(t), inferred[t]);
            total = saturatingAdd(total, b);
            if (b > bytes(graph.tensor(largest), inferred[largest])) {
                largest = t;
            }
        }
        if (total <= limit) {
            return;
        }
        Tensor big = graph.tensor(largest);
        int[] shape = inferred[largest] != null && bytes(big.type(), inferred[largest]) > bytes(big.type(), big.shape())
                ? inferred[largest]
                : big.shape();
        throw invalid("the model's tensors need " + human(total) + ", more than the " + human(limit)
                + " allowed (--max-memory); the largest is tensor " + largest + " '" + big.name() + "' " + big.type()
                + text(shape) + " (" + human(bytes(big.type(), shape)) + ")");
    }

    /** A byte count for people: 1536 -> "1.5 KiB". */
    public static String human(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Parses a size such as 512m, 2g, 1500000 or 64KiB into bytes; fails with a one-line message. */
    public static long parseSize(String text) {
        String s =
                text.trim().toLowerCase(java.util.Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1).trim();
        }
        try {
            double v = Double.parseDouble(s);
            if (!(v > 0) || v * unit >= Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a memory size: '" + text + "' (use e.g. 512m or 2g)");
        }
    }

    private static String text(int[] shape) {
        if (shape.length <= 8) {
            return Arrays.toString(shape);
        }
        return Arrays.toString(Arrays.copyOf(shape, 8)).replace("]", ", ... (" + shape.length + " dims)]");
    }

    private static ModelInvalidException invalid(String message) {
        return new ModelInvalidException(message);
    }
}
