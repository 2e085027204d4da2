package io.quanta.quantize;

import static io.quanta.testing.TestGraph.shape;

import io.quanta.graph.Activation;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.testing.TestGraph;

/** conv(1x1, 2 channels, channel 1 all zero) -> relu -> max pool 2x2 -> reshape -> fc(3) -> softmax. */
final class ConvNet {
    final TestGraph b = new TestGraph();
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
        convW = b.constFloats("conv/w", shape(2, 1, 1, 2), convWeights);
        convB = b.constFloats("conv/b", shape(2), convBias);
        conv = b.activation("conv", shape(1, 4, 4, 2), -2.5f, 1.7f);
        relu = b.activation("relu", shape(1, 4, 4, 2), 0f, 1.7f);
        pool = b.activation("pool", shape(1, 2, 2, 2), 0f, 1.6f);
        int newShape = b.constInts("reshape/shape", shape(2), 1, 8);
        reshape = b.activation("flatten", shape(1, 8), 0f, 1.6f);
        fcW = b.constFloats("fc/w", shape(3, 8), fcWeights);
        fcB = b.constFloats("fc/b", shape(3), fcBias);
        fc = b.activation("logits", shape(1, 3), -4.2f, 5.3f);
        softmax = b.activation("probs", shape(1, 3), 0f, 1f);
        b.op(
                OpType.CONV_2D,
                new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                new int[] {input, convW, convB},
                conv);
        b.op(OpType.RELU, null, new int[] {conv}, relu);
        b.op(
                OpType.MAX_POOL_2D,
                new OpOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE),
                new int[] {relu},
                pool);
        b.op(OpType.RESHAPE, new OpOptions.Reshape(new int[] {1, 8}), new int[] {pool, newShape}, reshape);
        b.op(
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                new int[] {reshape, fcW, fcB},
                fc);
        b.op(OpType.SOFTMAX, new OpOptions.Softmax(1f), new int[] {fc}, softmax);
    }

    Model model() {
        return b.model(new int[] {input}, new int[] {softmax});
    }
}
