package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import java.util.ArrayList;
import java.util.List;

/** Builds small subgraphs by hand for kernel tests and runs them with the float kernel set. */
final class OpGraph {
    final List<Tensor> tensors = new ArrayList<>();
    final List<Operator> ops = new ArrayList<>();
    final List<Integer> inputs = new ArrayList<>();
    final List<Integer> outputs = new ArrayList<>();

    int tensor(String name, DataType type, int... shape) {
        tensors.add(new Tensor(name, type, shape));
        return tensors.size() - 1;
    }

    /** A graph input. */
    int input(DataType type, int... shape) {
        int t = tensor("in" + inputs.size(), type, shape);
        inputs.add(t);
        return t;
    }

    int constInts(int[] shape, int... values) {
        int t = tensor("c" + tensors.size(), DataType.INT32, shape);
        tensors.get(t).data(TensorData.of(values));
        return t;
    }

    int constLongs(int[] shape, long... values) {
        int t = tensor("c" + tensors.size(), DataType.INT64, shape);
        tensors.get(t).data(TensorData.of(values));
        return t;
    }

    int constFloats(int[] shape, float... values) {
        int t = tensor("c" + tensors.size(), DataType.FLOAT32, shape);
        tensors.get(t).data(TensorData.of(values));
        return t;
    }

    /** An intermediate tensor (not a graph output). */
    int temp(DataType type, int... shape) {
        return tensor("t" + tensors.size(), type, shape);
    }

    /** A graph output. */
    int output(DataType type, int... shape) {
        int t = tensor("out" + outputs.size(), type, shape);
        outputs.add(t);
        return t;
    }

    OpGraph quant(int tensor, float scale, long zeroPoint) {
        tensors.get(tensor).quant(QuantParams.perTensor(scale, zeroPoint));
        return this;
    }

    OpGraph op(OpType type, OpOptions options, int[] in, int... out) {
        ops.add(new Operator(type, io.quanta.tflite.TfLiteTypes.builtinCode(type), 1, in, out, options));
        return this;
    }

    Subgraph subgraph() {
        return new Subgraph("test", tensors, ops, inputs.stream().mapToInt(i -> i).toArray(),
                outputs.stream().mapToInt(i -> i).toArray());
    }

    Interpreter interpreter() {
        return new Interpreter(subgraph(), FloatKernels.registry());
    }

    static int[] ins(int... t) {
        return t;
    }

    static int[] shape(int... d) {
        return d;
    }

    static float[] iota(int n) {
        float[] f = new float[n];
        for (int k = 0; k < n; k++) {
            f[k] = k;
        }
        return f;
    }
}
