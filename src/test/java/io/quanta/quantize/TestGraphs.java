package io.quanta.quantize;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Padding;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small hand-built float graphs with known ranges for the quantizer tests. */
final class TestGraphs {
    final List<Tensor> tensors = new ArrayList<>();
    final List<Operator> ops = new ArrayList<>();
    final Map<Integer, Range> ranges = new HashMap<>();

    int activation(String name, int[] shape, float min, float max) {
        tensors.add(new Tensor(name, DataType.FLOAT32, shape));
        ranges.put(tensors.size() - 1, new Range(min, max));
        return tensors.size() - 1;
    }

    int activationWithoutRange(String name, int[] shape) {
        tensors.add(new Tensor(name, DataType.FLOAT32, shape));
        return tensors.size() - 1;
    }

    int constant(String name, int[] shape, float... values) {
        tensors.add(new Tensor(name, DataType.FLOAT32, shape).data(TensorData.of(values)));
        return tensors.size() - 1;
    }

    int intConstant(String name, int[] shape, int... values) {
        tensors.add(new Tensor(name, DataType.INT32, shape).data(TensorData.of(values)));
        return tensors.size() - 1;
    }

    void op(OpType type, int code, OpOptions options, int[] in, int... out) {
        ops.add(new Operator(type, code, 1, in, out, options));
    }

    Model model(int[] inputs, int[] outputs) {
        return Model.of(new Subgraph("main", tensors, ops, inputs, outputs));
    }

    TensorRanges ranges() {
        return TensorRanges.of(ranges);
    }

    static int[] shape(int... dims) {
        return dims;
    }

    /** conv(1x1, 2 channels, channel 1 all zero) -> relu -> max pool 2x2 -> reshape -> fc(3) -> softmax. */
    static final class ConvNet {
        final TestGraphs b = new TestGraphs();
        final int input, convW, convB, conv, relu, pool, reshape, fcW, fcB, fc, softmax;
        final float[] convWeights = {0.5f, -0.2f, 0f, 0f};
        final float[] convBias = {0.1f, -0.1f};
        final float[] fcWeights = new float[24];
        final float[] fcBias = {0.3f, -0.2f, 0.01f};

        ConvNet() {
            for (int i = 0; i < fcWeights.length; i++) {
                fcWeights[i] = (float) Math.sin(i * 0.7) * 0.8f;
            }
            input = b.activation("input", shape(1, 4, 4, 2), -1f, 3f);
            convW = b.constant("conv/w", shape(2, 1, 1, 2), convWeights);
            convB = b.constant("conv/b", shape(2), convBias);
            conv = b.activation("conv", shape(1, 4, 4, 2), -2.5f, 1.7f);
            relu = b.activation("relu", shape(1, 4, 4, 2), 0f, 1.7f);
            pool = b.activation("pool", shape(1, 2, 2, 2), 0f, 1.6f);
            int newShape = b.intConstant("reshape/shape", shape(2), 1, 8);
            reshape = b.activation("flatten", shape(1, 8), 0f, 1.6f);
            fcW = b.constant("fc/w", shape(3, 8), fcWeights);
            fcB = b.constant("fc/b", shape(3), fcBias);
            fc = b.activation("logits", shape(1, 3), -4.2f, 5.3f);
            softmax = b.activation("probs", shape(1, 3), 0f, 1f);
            b.op(OpType.CONV_2D, 3, new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                    new int[] {input, convW, convB}, conv);
            b.op(OpType.RELU, 19, null, new int[] {conv}, relu);
            b.op(OpType.MAX_POOL_2D, 17, new OpOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE),
                    new int[] {relu}, pool);
            b.op(OpType.RESHAPE, 22, new OpOptions.Reshape(new int[] {1, 8}), new int[] {pool, newShape}, reshape);
            b.op(OpType.FULLY_CONNECTED, 9, new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                    new int[] {reshape, fcW, fcB}, fc);
            b.op(OpType.SOFTMAX, 25, new OpOptions.Softmax(1f), new int[] {fc}, softmax);
        }

        Model model() {
            return b.model(new int[] {input}, new int[] {softmax});
        }
    }
}
