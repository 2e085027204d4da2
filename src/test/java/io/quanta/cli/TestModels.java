package io.quanta.cli;

import io.quanta.graph.DataType;
import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.SignatureDef;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;
import java.util.List;
import java.util.Map;

/** Small models built in memory, and kernels of the tests' own, so the commands can be tested on their own. */
final class TestModels {
    private TestModels() {}

    static final float[] BIAS = {0.5f, -1f, 2f};

    /** y = x + BIAS, x float32 [1,3]; its ADD runs with {@link #kernels()}. */
    static Model addBias() {
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {1, 3}).shapeSignature(new int[] {-1, 3});
        Tensor b = new Tensor("bias", DataType.FLOAT32, new int[] {3}).data(TensorData.of(BIAS));
        Tensor y = new Tensor("y", DataType.FLOAT32, new int[] {1, 3});
        Operator add = new Operator(OpType.ADD, 0, 1, new int[] {0, 1}, new int[] {2}, null);
        return Model.of(new Subgraph("main", List.of(x, b, y), List.of(add), new int[] {0}, new int[] {2}));
    }

    /**
     * y = x + state; state = y: a recurrent accumulator over a variable tensor, run by the CUSTOM kernel of
     * {@link #kernels()}. Each sample must see the state reset, so y = x for every sample.
     */
    static Model accumulator() {
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {1, 2});
        Tensor state = new Tensor("state", DataType.FLOAT32, new int[] {1, 2}).variable(true);
        Tensor y = new Tensor("y", DataType.FLOAT32, new int[] {1, 2});
        Operator acc = new Operator(OpType.CUSTOM, 32, 1, new int[] {0, 1}, new int[] {2}, null).customCode("ACCUMULATE");
        return Model.of(new Subgraph("main", List.of(x, state, y), List.of(acc), new int[] {0}, new int[] {2}));
    }

    /** Two inputs of different types (float32 [1,2], int32 [1]) and two outputs: x*2 and n+1. */
    static Model twoInputs() {
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {1, 2});
        Tensor n = new Tensor("n", DataType.INT32, new int[] {1});
        Tensor x2 = new Tensor("x2", DataType.FLOAT32, new int[] {1, 2});
        Tensor n1 = new Tensor("n1", DataType.INT32, new int[] {1});
        Operator dbl = new Operator(OpType.MUL, 18, 1, new int[] {0}, new int[] {2}, null);
        Operator inc = new Operator(OpType.CUSTOM, 32, 1, new int[] {1}, new int[] {3}, null).customCode("INC");
        return Model.of(new Subgraph("main", List.of(x, n, x2, n1), List.of(dbl, inc), new int[] {0, 1}, new int[] {2, 3}));
    }

    /** A model using an op that {@link #kernels()} has no kernel for. */
    static Model unsupported() {
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {1, 3});
        Tensor y = new Tensor("y", DataType.FLOAT32, new int[] {1, 3});
        Operator op = new Operator(OpType.TANH, 28, 1, new int[] {0}, new int[] {1}, null);
        return Model.of(new Subgraph("main", List.of(x, y), List.of(op), new int[] {0}, new int[] {1}));
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
        Tensor in = new Tensor("input", DataType.INT8, new int[] {1, 8, 8, 1}).shapeSignature(new int[] {-1, 8, 8, 1})
                .quant(QuantParams.perTensor(0.0039215689f, -128));
        Tensor w = new Tensor("conv/weights", DataType.INT8, new int[] {channels, 3, 3, 1})
                .data(new byte[channels * 9]).quant(QuantParams.perChannel(wScales, 0));
        Tensor bias = new Tensor("conv/bias", DataType.INT32, new int[] {channels}).data(new byte[channels * 4])
                .quant(QuantParams.perChannel(wScales.clone(), 0));
        Tensor mid = new Tensor("conv1", DataType.INT8, new int[] {1, 8, 8, channels}).quant(QuantParams.perTensor(0.05f, -3));
        Tensor w2 = new Tensor("conv2/weights", DataType.INT8, new int[] {2, 1, 1, channels}).data(new byte[2 * channels])
                .quant(new QuantParams(new float[] {0.25f, 0.5f}, new long[] {0, 0}, 0, null, null));
        Tensor out = new Tensor("conv2", DataType.INT8, new int[] {1, 8, 8, 2}).quant(QuantParams.perTensor(0.1f, 4));
        Tensor probs = new Tensor("probs", DataType.INT8, new int[] {1, 8, 8, 2}).quant(QuantParams.perTensor(1f / 256, -128));
        Tensor f = new Tensor("float_const", DataType.FLOAT32, new int[] {4}).data(TensorData.of(new float[4]));
        List<Tensor> tensors = List.of(in, w, bias, mid, w2, out, probs, f);
        List<Operator> ops = List.of(
                new Operator(OpType.CONV_2D, 3, 3, new int[] {0, 1, 2}, new int[] {3}, null),
                new Operator(OpType.CONV_2D, 3, 3, new int[] {3, 4, -1}, new int[] {5}, null),
                new Operator(OpType.SOFTMAX, 25, 2, new int[] {5}, new int[] {6}, null));
        Subgraph main = new Subgraph("main", tensors, ops, new int[] {0}, new int[] {6});
        return new Model(3, "hand-built for tests", List.of(main),
                List.of(new Metadata("min_runtime_version", "1.14.0".getBytes())),
                List.of(new SignatureDef("serving_default", 0, Map.of("image", 0), Map.of("scores", 6))));
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
                .register(OpType.CUSTOM, Flavor.FLOAT, ctx -> "INC".equals(ctx.op().customCode())
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
        return new Main(file -> {
            ModelFiles.requireReadableFile(file, "model");
            return model;
        }, TestModels::kernels);
    }
}
