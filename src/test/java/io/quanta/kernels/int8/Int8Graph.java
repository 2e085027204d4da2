package io.quanta.kernels.int8;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds a one-operator quantized subgraph by hand and runs it with the int8 kernels on top of the float set. */
final class Int8Graph {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<byte[]> inputBytes = new ArrayList<>();
    private final List<float[]> inputFloats = new ArrayList<>();

    static QuantParams q(float scale, int zeroPoint) {
        return QuantParams.perTensor(scale, zeroPoint);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    int input(int[] shape, QuantParams q, int... values) {
        tensors.add(new Tensor("in" + tensors.size(), DataType.INT8, shape).quant(q));
        inputs.add(tensors.size() - 1);
        inputBytes.add(bytes(values));
        inputFloats.add(null);
        return tensors.size() - 1;
    }

    int floatInput(int[] shape, float... values) {
        tensors.add(new Tensor("in" + tensors.size(), DataType.FLOAT32, shape));
        inputs.add(tensors.size() - 1);
        inputBytes.add(null);
        inputFloats.add(values);
        return tensors.size() - 1;
    }

    int weights(int[] shape, QuantParams q, int... values) {
        tensors.add(new Tensor("w" + tensors.size(), DataType.INT8, shape).data(bytes(values)).quant(q));
        return tensors.size() - 1;
    }

    int ints(int[] shape, int... values) {
        tensors.add(new Tensor("c" + tensors.size(), DataType.INT32, shape).data(TensorData.of(values)));
        return tensors.size() - 1;
    }

    /** Runs the op twice (kernels reuse scratch) and returns the output values as ints (or floats via out.f). */
    TensorValue run(OpType type, OpOptions options, int[] opInputs, DataType outType, int[] outShape, QuantParams outQ) {
        tensors.add(new Tensor("out", outType, outShape).quant(outQ));
        int out = tensors.size() - 1;
        Operator op = new Operator(type, 0, 1, opInputs, new int[] {out}, options);
        int[] ins = inputs.stream().mapToInt(Integer::intValue).toArray();
        Subgraph g = new Subgraph("test", tensors, List.of(op), ins, new int[] {out});
        Interpreter interp = new Interpreter(g, FloatKernels.registry().with(Int8Kernels.registry()));
        for (int i = 0; i < ins.length; i++) {
            TensorValue v = interp.input(i);
            if (inputBytes.get(i) != null) {
                System.arraycopy(inputBytes.get(i), 0, v.b, 0, v.size());
            } else {
                System.arraycopy(inputFloats.get(i), 0, v.f, 0, v.size());
            }
        }
        interp.invoke();
        TensorValue first = new TensorValue(outType, interp.output(0).shape());
        first.copyFrom(interp.output(0));
        interp.invoke();
        TensorValue second = interp.output(0);
        for (int k = 0; k < first.size(); k++) {
            if (first.getAsDouble(k) != second.getAsDouble(k)) {
                throw new AssertionError("second invocation differs at " + k);
            }
        }
        return second;
    }

    static int[] values(TensorValue v) {
        int[] r = new int[v.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = (int) v.getAsDouble(k);
        }
        return r;
    }

    static String show(TensorValue v) {
        return Arrays.toString(values(v));
    }
}
