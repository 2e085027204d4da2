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
import io.quanta.testing.SharedModelData;
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
        Dataset raw = Datasets.withLabels(
                IdxFile.dataset(SharedModelData.mnistImages()), SharedModelData.mnistLabels(), null);
        Normalization n = SharedModelData.mnistNormalization(graph.inputTensor(0));
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
        SharedModelData.ImageData images = SharedModelData.images(modelFile);
        if (images != null) {
            return ModelInputAdapter.adapt(
                    new ImageFolderDataset(images.folder()),
                    InputSpec.of(graph),
                    Preprocessing.normalized(images.normalization()));
        }
        return null;
    }

    /** Random values in the range the model expects ({@link SharedModelData#knownFloatRange}, else [-1, 1]), token ids. */
    private static NdArray random(Subgraph graph, Tensor t, String modelFile, Random rnd) {
        int[] shape = t.shape();
        int n = io.quanta.graph.Shapes.size(shape);
        switch (t.type()) {
            case FLOAT32 -> {
                float[] known = SharedModelData.knownFloatRange(modelFile);
                float lo = known != null ? known[0] : -1f;
                float hi = known != null ? known[1] : 1f;
                float[] f = new float[n];
                for (int k = 0; k < n; k++) {
                    f[k] = lo + rnd.nextFloat() * (hi - lo);
                }
                return NdArray.ofFloats(shape, f);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int k = 0; k < n; k++) {
                    v[k] = rnd.nextInt(SharedModelData.TOKEN_ID_BOUND);
                }
                return NdArray.ofInts(shape, v);
            }
            case UINT8, INT8 -> {
                byte[] b = new byte[n];
                rnd.nextBytes(b);
                return NdArray.ofBytes(
                        t.type() == io.quanta.graph.DataType.UINT8 ? NdArray.DType.UINT8 : NdArray.DType.INT8,
                        shape,
                        b);
            }
            default -> throw new IllegalArgumentException("no random inputs for " + t.type() + " input " + t.name());
        }
    }
}
