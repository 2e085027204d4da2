package io.quanta.cli;

import io.quanta.graph.DataType;
import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.SignatureDef;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;
import io.quanta.testing.TestGraph;
import java.util.List;
import java.util.Map;

/**
 * Small models built in memory with {@link TestGraph}, and kernels of the tests' own, so the commands can be tested on
 * their own.
 */
final class TestModels {
    private TestModels() {}

    static final float[] BIAS = {0.5f, -1f, 2f};

    /** y = x + BIAS, x float32 [1,3]; its ADD runs with {@link #kernels()}. */
    static Model addBias() {
        TestGraph g = new TestGraph();
        int x = g.markInput(
                g.tensor(new Tensor("x", DataType.FLOAT32, new int[] {1, 3}).shapeSignature(new int[] {-1, 3})));
        int b = g.constFloats("bias", new int[] {3}, BIAS);
        int y = g.markOutput(g.tensor("y", DataType.FLOAT32, 1, 3));
        return g.op(OpType.ADD, null, new int[] {x, b}, y).model();
    }

    /**
     * y = x + state; state = y: a recurrent accumulator over a variable tensor, run by the CUSTOM kernel of
     * {@link #kernels()}. Each sample must see the state reset, so y = x for every sample.
     */
    static Model accumulator() {
        TestGraph g = new TestGraph();
        int x = g.markInput(g.tensor("x", DataType.FLOAT32, 1, 2));
        int state = g.tensor(new Tensor("state", DataType.FLOAT32, new int[] {1, 2}).variable(true));
        int y = g.markOutput(g.tensor("y", DataType.FLOAT32, 1, 2));
        return g.op(custom("ACCUMULATE", new int[] {x, state}, y)).model();
    }

    /** Two inputs of different types (float32 [1,2], int32 [1]) and two outputs: x*2 and n+1. */
    static Model twoInputs() {
        TestGraph g = new TestGraph();
        int x = g.markInput(g.tensor("x", DataType.FLOAT32, 1, 2));
        int n = g.markInput(g.tensor("n", DataType.INT32, 1));
        int x2 = g.markOutput(g.tensor("x2", DataType.FLOAT32, 1, 2));
        int n1 = g.markOutput(g.tensor("n1", DataType.INT32, 1));
        return g.op(OpType.MUL, null, new int[] {x}, x2)
                .op(custom("INC", new int[] {n}, n1))
                .model();
    }

    private static Operator custom(String code, int[] in, int out) {
        return new Operator(OpType.CUSTOM, 32, 1, in, new int[] {out}, null).customCode(code);
    }

    /** A model using an op that {@link #kernels()} has no kernel for. */
    static Model unsupported() {
        TestGraph g = new TestGraph();
        int x = g.markInput(g.tensor("x", DataType.FLOAT32, 1, 3));
        int y = g.markOutput(g.tensor("y", DataType.FLOAT32, 1, 3));
        return g.op(OpType.TANH, null, new int[] {x}, y).model();
    }

    /**
     * An int8 conv block as a converter writes it, for inspect: int8 input and output with per-tensor
     * parameters, int8 weights per-channel over 20 output channels, int32 bias, two CONV_2D v3 and a SOFTMAX.
     */
    static Model quantizedConv() {
        int channels = 20;
        float[] wScales = new float[channels];
        for (int c = 0; c < channels; c++) {
            wScales[c] = 0.001f * (c + 1);
        }
        TestGraph g = new TestGraph();
        int in = g.markInput(g.tensor(new Tensor("input", DataType.INT8, new int[] {1, 8, 8, 1})
                .shapeSignature(new int[] {-1, 8, 8, 1})
                .quant(QuantParams.perTensor(0.0039215689f, -128))));
        int w = g.tensor(new Tensor("conv/weights", DataType.INT8, new int[] {channels, 3, 3, 1})
                .data(new byte[channels * 9])
                .quant(QuantParams.perChannel(wScales, 0)));
        int bias = g.tensor(new Tensor("conv/bias", DataType.INT32, new int[] {channels})
                .data(new byte[channels * 4])
                .quant(QuantParams.perChannel(wScales.clone(), 0)));
        int mid = g.tensor(new Tensor("conv1", DataType.INT8, new int[] {1, 8, 8, channels})
                .quant(QuantParams.perTensor(0.05f, -3)));
        int w2 = g.tensor(new Tensor("conv2/weights", DataType.INT8, new int[] {2, 1, 1, channels})
                .data(new byte[2 * channels])
                .quant(new QuantParams(new float[] {0.25f, 0.5f}, new long[] {0, 0}, 0, null, null)));
        int out = g.tensor(
                new Tensor("conv2", DataType.INT8, new int[] {1, 8, 8, 2}).quant(QuantParams.perTensor(0.1f, 4)));
        int probs = g.markOutput(g.tensor(new Tensor("probs", DataType.INT8, new int[] {1, 8, 8, 2})
                .quant(QuantParams.perTensor(1f / 256, -128))));
        g.tensor(new Tensor("float_const", DataType.FLOAT32, new int[] {4}).data(TensorData.of(new float[4])));
        g.op(new Operator(OpType.CONV_2D, 3, 3, new int[] {in, w, bias}, new int[] {mid}, null))
                .op(new Operator(OpType.CONV_2D, 3, 3, new int[] {mid, w2, -1}, new int[] {out}, null))
                .op(new Operator(OpType.SOFTMAX, 25, 2, new int[] {out}, new int[] {probs}, null));
        return new Model(
                3,
                "hand-built for tests",
                List.of(g.subgraph()),
                List.of(new Metadata("min_runtime_version", "1.14.0".getBytes())),
                List.of(new SignatureDef("serving_default", 0, Map.of("image", 0), Map.of("scores", probs))));
    }

    /** Float kernels for the ops above, written here so the commands are tested without the real kernel set. */
    static KernelRegistry kernels() {
        return new KernelRegistry()
                .register(OpType.ADD, Flavor.FLOAT, ctx -> (in, out) -> {
                    out[0].resize(in[0].shape());
                    for (int k = 0; k < in[0].size(); k++) {
                        out[0].f[k] = in[0].f[k] + in[1].f[k % in[1].size()];
                    }
                })
                .register(OpType.MUL, Flavor.FLOAT, ctx -> (in, out) -> {
                    out[0].resize(in[0].shape());
                    for (int k = 0; k < in[0].size(); k++) {
                        out[0].f[k] = in[0].f[k] * 2;
                    }
                })
                .register(
                        OpType.CUSTOM,
                        Flavor.FLOAT,
                        ctx -> "INC".equals(ctx.op().customCode())
                                ? (in, out) -> {
                                    out[0].resize(in[0].shape());
                                    for (int k = 0; k < in[0].size(); k++) {
                                        out[0].i[k] = in[0].i[k] + 1;
                                    }
                                }
                                : (in, out) -> {
                                    out[0].resize(in[0].shape());
                                    for (int k = 0; k < in[0].size(); k++) {
                                        in[1].f[k] += in[0].f[k];
                                        out[0].f[k] = in[1].f[k];
                                    }
                                });
    }

    /** A command line that "reads" every path as the given model. */
    static Main mainFor(Model model) {
        return new Main(
                file -> {
                    ModelFiles.requireReadableFile(file, "model");
                    return model;
                },
                TestModels::kernels);
    }
}
