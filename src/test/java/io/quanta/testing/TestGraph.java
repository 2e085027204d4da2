package io.quanta.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.quantize.Range;
import io.quanta.quantize.TensorRanges;
import io.quanta.tflite.TfLiteTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The one builder of test graphs: add tensors (model inputs, constants, intermediates, outputs), then ops in
 * execution order, then take the {@link #subgraph()} or {@link #model()}. Inputs added with values
 * ({@link #floatInput}, {@link #intInput}, {@link #int8Input}) are fed by {@link #run}, which runs a single op
 * twice and checks that the second run repeats the first (kernels reuse their scratch). Tensors added with a
 * calibrated range ({@link #activation}) give the quantizer tests their {@link #ranges()}.
 *
 * <pre>{@code
 * TestGraph g = new TestGraph();
 * int x = g.floatInput(new int[] {1, 4}, 1, -2, 3, -4);
 * TensorValue y = g.run(OpType.RELU, null, TestGraph.ins(x));
 * }</pre>
 */
public final class TestGraph {
    public final List<Tensor> tensors = new ArrayList<>();
    private final List<Operator> ops = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();
    private final Map<Integer, Object> feeds = new HashMap<>();
    private final Map<Integer, Range> ranges = new HashMap<>();
    /** The kernels {@link #interpreter()} and {@link #run} use; null means the float set. */
    private KernelRegistry registry;

    /** Runs with these kernels instead of the float set, e.g. {@code Pipeline.quantizedKernels()} for int8. */
    public TestGraph using(KernelRegistry kernels) {
        this.registry = kernels;
        return this;
    }

    // ---- tensors ----

    /** Any tensor as given (a name, a shape signature or a variable flag of its own). */
    public int tensor(Tensor t) {
        tensors.add(t);
        return tensors.size() - 1;
    }

    /** A constant, or an intermediate tensor when the spec has no data. */
    public int tensor(SingleOpModels.Spec spec) {
        return tensor(spec.toTensor("t" + tensors.size()));
    }

    public int tensor(String name, DataType type, int... shape) {
        return tensor(new Tensor(name, type, shape));
    }

    /** A model input. */
    public int input(DataType type, int... shape) {
        return markInput(tensor("in" + inputs.size(), type, shape));
    }

    public int input(SingleOpModels.Spec spec) {
        return markInput(tensor(spec));
    }

    /** A float32 model input that {@link #run} feeds with these values. */
    public int floatInput(int[] shape, float... values) {
        int t = input(DataType.FLOAT32, shape);
        feeds.put(t, values);
        return t;
    }

    /** An int32 model input that {@link #run} feeds with these values. */
    public int intInput(int[] shape, int... values) {
        int t = input(DataType.INT32, shape);
        feeds.put(t, values);
        return t;
    }

    /** An int8 model input with quantization {@code q} that {@link #run} feeds with these values. */
    public int int8Input(int[] shape, QuantParams q, int... values) {
        int t = input(DataType.INT8, shape);
        tensors.get(t).quant(q);
        feeds.put(t, bytes(values));
        return t;
    }

    public int markInput(int tensor) {
        inputs.add(tensor);
        return tensor;
    }

    public int constFloats(int[] shape, float... values) {
        return tensor(new Tensor("c" + tensors.size(), DataType.FLOAT32, shape).data(TensorData.of(values)));
    }

    public int constInts(int[] shape, int... values) {
        return tensor(new Tensor("c" + tensors.size(), DataType.INT32, shape).data(TensorData.of(values)));
    }

    public int constLongs(int[] shape, long... values) {
        return tensor(new Tensor("c" + tensors.size(), DataType.INT64, shape).data(TensorData.of(values)));
    }

    /** Int8 constant (weights) with quantization {@code q}. */
    public int constInt8(int[] shape, QuantParams q, byte[] values) {
        return tensor(new Tensor("w" + tensors.size(), DataType.INT8, shape)
                .data(values)
                .quant(q));
    }

    public int constInt8(int[] shape, QuantParams q, int... values) {
        return constInt8(shape, q, bytes(values));
    }

    /** A named float32 constant. */
    public int constFloats(String name, int[] shape, float... values) {
        return tensor(new Tensor(name, DataType.FLOAT32, shape).data(TensorData.of(values)));
    }

    /** A named int32 constant. */
    public int constInts(String name, int[] shape, int... values) {
        return tensor(new Tensor(name, DataType.INT32, shape).data(TensorData.of(values)));
    }

    /** A named float32 activation with the range calibration would have measured (see {@link #ranges()}). */
    public int activation(String name, int[] shape, float min, float max) {
        int t = tensor(name, DataType.FLOAT32, shape);
        ranges.put(t, new Range(min, max));
        return t;
    }

    /** An intermediate tensor (not a graph output). */
    public int temp(DataType type, int... shape) {
        return tensor("t" + tensors.size(), type, shape);
    }

    /** A model output. */
    public int output(DataType type, int... shape) {
        return markOutput(tensor("out" + outputs.size(), type, shape));
    }

    public int output(SingleOpModels.Spec spec) {
        return markOutput(tensor(spec));
    }

    /** Marks an existing tensor as a model output. */
    public int markOutput(int tensor) {
        outputs.add(tensor);
        return tensor;
    }

    public TestGraph quant(int tensor, float scale, long zeroPoint) {
        tensors.get(tensor).quant(QuantParams.perTensor(scale, zeroPoint));
        return this;
    }

    // ---- ops ----

    /** Appends an op (version 1); -1 in {@code in} marks an omitted optional input. */
    public TestGraph op(OpType type, OpOptions options, int[] in, int... out) {
        return op(type, 1, options, in, out);
    }

    public TestGraph op(OpType type, int version, OpOptions options, int[] in, int... out) {
        return op(new Operator(type, TfLiteTypes.builtinCode(type), version, in, out, options));
    }

    /** An op as given (a custom code of its own). */
    public TestGraph op(Operator op) {
        ops.add(op);
        return this;
    }

    // ---- results ----

    public Subgraph subgraph() {
        return new Subgraph("main", tensors, ops, toArray(inputs), toArray(outputs));
    }

    public Model model() {
        return Model.of(subgraph());
    }

    /** The graph with explicit inputs and outputs instead of the marked ones. */
    public Model model(int[] graphInputs, int[] graphOutputs) {
        return Model.of(new Subgraph("main", tensors, ops, graphInputs, graphOutputs));
    }

    public Interpreter interpreter() {
        return new Interpreter(subgraph(), registry == null ? FloatKernels.registry() : registry);
    }

    /** The ranges given with {@link #activation}. */
    public TensorRanges ranges() {
        return TensorRanges.of(ranges);
    }

    /**
     * Adds the output tensor and op, runs the graph twice with the values given to the inputs, asserts the second
     * run repeats the first, and returns the output.
     */
    public TensorValue run(
            OpType type, OpOptions options, int[] opInputs, DataType outType, int[] outShape, QuantParams outQ) {
        int out = markOutput(tensor(new Tensor("out", outType, outShape).quant(outQ)));
        op(type, options, opInputs, out);
        Interpreter interp = interpreter();
        for (int i = 0; i < inputs.size(); i++) {
            TensorValue v = interp.input(i);
            v.resize(tensors.get(inputs.get(i)).shape());
            Object feed = feeds.get(inputs.get(i));
            if (feed instanceof float[] f) {
                System.arraycopy(f, 0, v.f, 0, v.size());
            } else if (feed instanceof int[] n) {
                System.arraycopy(n, 0, v.i, 0, v.size());
            } else if (feed instanceof byte[] b) {
                System.arraycopy(b, 0, v.b, 0, v.size());
            } else {
                throw new IllegalStateException("input " + i + " has no values to feed");
            }
        }
        interp.invoke();
        TensorValue first = new TensorValue(outType, interp.output(0).shape());
        first.copyFrom(interp.output(0));
        interp.invoke();
        TensorValue second = interp.output(0);
        assertArrayEquals(first.shape(), second.shape());
        for (int k = 0; k < first.size(); k++) {
            assertEquals(first.getAsDouble(k), second.getAsDouble(k), 0.0, "second invocation differs at " + k);
        }
        return first;
    }

    /** As above with an output of the given type whose shape the kernel sets. */
    public TensorValue run(OpType type, OpOptions options, int[] opInputs, DataType outType) {
        return run(type, options, opInputs, outType, new int[] {1}, null);
    }

    public TensorValue run(OpType type, OpOptions options, int[] opInputs) {
        return run(type, options, opInputs, DataType.FLOAT32);
    }

    // ---- small helpers ----

    public static int[] ins(int... t) {
        return t;
    }

    public static int[] shape(int... d) {
        return d;
    }

    public static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public static float[] iota(int n) {
        float[] f = new float[n];
        for (int k = 0; k < n; k++) {
            f[k] = k;
        }
        return f;
    }

    public static float[] random(Random r, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * r.nextFloat();
        }
        return x;
    }

    public static QuantParams q(float scale, int zeroPoint) {
        return QuantParams.perTensor(scale, zeroPoint);
    }

    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** The elements of a value as ints (int8, int32, …). */
    public static int[] values(TensorValue v) {
        int[] r = new int[v.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = (int) v.getAsDouble(k);
        }
        return r;
    }

    public static String show(TensorValue v) {
        return Arrays.toString(values(v));
    }

    /** Asserts shape and values within 1e-5 relative to max(1, max |expected|). */
    public static void assertClose(int[] shape, float[] expected, TensorValue actual) {
        assertArrayEquals(shape, actual.shape(), "output shape");
        float scale = 1f;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual.f[k], 1e-5 * scale, "element " + k);
        }
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
