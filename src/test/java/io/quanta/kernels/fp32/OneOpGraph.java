package io.quanta.kernels.fp32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.DataType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds a one-operator subgraph by hand and runs it with the float kernels. */
final class OneOpGraph {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Integer> graphInputs = new ArrayList<>();
    private final List<float[]> inputValues = new ArrayList<>();
    private final List<int[]> inputInts = new ArrayList<>();
    private KernelRegistry registry = FloatKernels.registry();

    /** Runs the op with these kernels instead of {@link FloatKernels#registry()}. */
    OneOpGraph using(KernelRegistry kernels) {
        this.registry = kernels;
        return this;
    }

    int input(int[] shape, float[] values) {
        tensors.add(new Tensor("in" + tensors.size(), DataType.FLOAT32, shape));
        graphInputs.add(tensors.size() - 1);
        inputValues.add(values);
        inputInts.add(null);
        return tensors.size() - 1;
    }

    int intInput(int[] shape, int[] values) {
        tensors.add(new Tensor("in" + tensors.size(), DataType.INT32, shape));
        graphInputs.add(tensors.size() - 1);
        inputValues.add(null);
        inputInts.add(values);
        return tensors.size() - 1;
    }

    int constant(int[] shape, float[] values) {
        tensors.add(new Tensor("c" + tensors.size(), DataType.FLOAT32, shape).data(TensorData.of(values)));
        return tensors.size() - 1;
    }

    int constantInts(int[] shape, int[] values) {
        tensors.add(new Tensor("c" + tensors.size(), DataType.INT32, shape).data(TensorData.of(values)));
        return tensors.size() - 1;
    }

    int constantInt8(int[] shape, byte[] values, QuantParams q) {
        tensors.add(new Tensor("w" + tensors.size(), DataType.INT8, shape).data(values).quant(q));
        return tensors.size() - 1;
    }

    /** Runs op over the given inputs into one output of the given type and returns the output value. */
    TensorValue run(OpType type, OpOptions options, int[] inputs, DataType outType) {
        tensors.add(new Tensor("out", outType, new int[] {1}));
        int out = tensors.size() - 1;
        Operator op = new Operator(type, 0, 1, inputs, new int[] {out}, options);
        int[] ins = graphInputs.stream().mapToInt(Integer::intValue).toArray();
        Subgraph g = new Subgraph("test", tensors, List.of(op), ins, new int[] {out});
        Interpreter interp = new Interpreter(g, registry);
        for (int i = 0; i < ins.length; i++) {
            TensorValue v = interp.input(i);
            v.resize(tensors.get(ins[i]).shape());
            if (inputValues.get(i) != null) {
                System.arraycopy(inputValues.get(i), 0, v.f, 0, v.size());
            } else {
                System.arraycopy(inputInts.get(i), 0, v.i, 0, v.size());
            }
        }
        interp.invoke();
        // A second run must give the same result (kernels reuse their scratch).
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

    TensorValue run(OpType type, OpOptions options, int[] inputs) {
        return run(type, options, inputs, DataType.FLOAT32);
    }

    static float[] random(Random r, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * r.nextFloat();
        }
        return x;
    }

    static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Asserts shape and values within 1e-5 relative to max(1, max |expected|). */
    static void assertClose(int[] shape, float[] expected, TensorValue actual) {
        assertArrayEquals(shape, actual.shape(), "output shape");
        float scale = 1f;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual.f[k], 1e-5 * scale, "element " + k);
        }
    }
}
