package io.quanta.cli;

import io.quanta.data.NdArray;
import io.quanta.data.NdArray.DType;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an interpreter over a batch: the first axis of each input array is the sample axis. Each sample runs
 * on its own (recurrent state reset before it), and each output's samples are stacked on a new first axis
 * (replacing a leading batch dimension of 1).
 */
final class BatchRunner {
    /** Told after each sample, so a caller can show progress. */
    @FunctionalInterface
    interface Listener {
        void sampleDone(int done, int total);
    }

    /** How one input array splits into samples: how many, and the shape each sample is fed with. */
    record Layout(int samples, int[] sampleShape) {
        int sampleSize() {
            return (int) NdArray.elementCount(sampleShape);
        }
    }

    private final Interpreter interpreter;

    BatchRunner(Interpreter interpreter) {
        this.interpreter = interpreter;
    }

    /** The .npy element type that holds values of a tensor type, or null when there is none. */
    static DType dtypeOf(DataType type) {
        return switch (type) {
            case FLOAT32 -> DType.FLOAT32;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case UINT8 -> DType.UINT8;
            case INT8 -> DType.INT8;
            case BOOL -> DType.BOOL;
            default -> null;
        };
    }

    /**
     * Checks an input array against model input {@code index} and says how it splits into samples. Accepted:
     * {@code [N, ...rest]} for an input of shape {@code [1, ...rest]}; {@code [N, ...shape]} for any input
     * shape; and exactly the input's shape, as one sample. Dimensions the model leaves open (-1) match any size.
     */
    static Layout layout(Subgraph graph, int index, NdArray array, String file) {
        Tensor t = graph.inputTensor(index);
        String what = file + ": input " + index + " '" + t.name() + "'";
        DType expected = dtypeOf(t.type());
        if (expected == null) {
            throw new UserException(what + " has type " + t.type() + ", which run cannot feed from .npy files");
        }
        if (array.dtype() != expected) {
            throw new UserException(what + " expects " + expected.numpyName() + " data (" + expected.descr()
                    + "), found " + array.dtype().numpyName() + " (convert with array.astype(numpy."
                    + expected.numpyName() + "))");
        }
        int[] model = modelShape(t);
        int[] a = array.shape();
        boolean batchDim = model.length > 0 && (model[0] == 1 || model[0] == -1);
        if (batchDim && a.length == model.length && matches(a, 1, model, 1)) {
            int[] sample = a.clone();
            sample[0] = 1;
            return new Layout(a[0], sample);
        }
        if (a.length == model.length + 1 && matches(a, 1, model, 0)) {
            return new Layout(a[0], Arrays.copyOfRange(a, 1, a.length));
        }
        if (a.length == model.length && matches(a, 0, model, 0)) {
            return new Layout(1, a.clone());
        }
        StringBuilder stacked = new StringBuilder("[N");
        for (int k = batchDim ? 1 : 0; k < model.length; k++) {
            stacked.append(',').append(model[k] == -1 ? "?" : Integer.toString(model[k]));
        }
        throw new UserException(what + " has shape " + InspectText.dims(model) + ", so the array must have shape "
                + stacked + "] (N samples); found " + InspectText.dims(a));
    }

    /** The input's shape with -1 for dimensions the model leaves open. */
    private static int[] modelShape(Tensor t) {
        int[] sig = t.shapeSignature();
        return sig != null && sig.length == t.rank() ? sig : t.shape();
    }

    private static boolean matches(int[] a, int aFrom, int[] model, int modelFrom) {
        if (a.length - aFrom != model.length - modelFrom) {
            return false;
        }
        for (int k = 0; k < model.length - modelFrom; k++) {
            int want = model[modelFrom + k];
            if (want != -1 && want != a[aFrom + k]) {
                return false;
            }
        }
        return true;
    }

    /** Runs every sample and returns one stacked array per model output. Inputs must have been checked by layout. */
    List<NdArray> run(List<NdArray> inputs, List<Layout> layouts, Listener listener) {
        Subgraph graph = interpreter.graph();
        int samples = layouts.get(0).samples();
        NdArray[] stacked = new NdArray[interpreter.outputCount()];
        if (samples == 0) {
            for (int o = 0; o < stacked.length; o++) {
                stacked[o] = NdArray.zeros(
                        outputDtype(graph, o),
                        stackedShape(0, graph.outputTensor(o).shape()));
            }
        }
        int[][] firstShapes = new int[stacked.length][];
        for (int s = 0; s < samples; s++) {
            interpreter.resetVariables();
            for (int i = 0; i < inputs.size(); i++) {
                feed(interpreter.input(i), inputs.get(i), layouts.get(i), s);
            }
            interpreter.invoke();
            for (int o = 0; o < stacked.length; o++) {
                TensorValue v = interpreter.output(o);
                if (s == 0) {
                    firstShapes[o] = v.shape();
                    stacked[o] = allocate(graph, o, samples, firstShapes[o]);
                } else if (!Arrays.equals(firstShapes[o], v.shape())) {
                    throw new UserException("output " + o + " '"
                            + graph.outputTensor(o).name() + "' has shape "
                            + InspectText.dims(firstShapes[o]) + " for sample 0 but " + InspectText.dims(v.shape())
                            + " for sample " + s + ": samples of different shapes cannot be stacked");
                }
                collect(v, stacked[o], s);
            }
            if (listener != null) {
                listener.sampleDone(s + 1, samples);
            }
        }
        return List.of(stacked);
    }

    private static DType outputDtype(Subgraph graph, int o) {
        Tensor t = graph.outputTensor(o);
        DType d = dtypeOf(t.type());
        if (d == null) {
            throw new UserException("output " + o + " '" + t.name() + "' has type " + t.type()
                    + ", which cannot be written to a .npy file");
        }
        return d;
    }

    private static int[] stackedShape(int samples, int[] sampleShape) {
        boolean leadingOne = sampleShape.length > 0 && sampleShape[0] == 1;
        int[] shape = new int[leadingOne ? sampleShape.length : sampleShape.length + 1];
        shape[0] = samples;
        System.arraycopy(sampleShape, leadingOne ? 1 : 0, shape, 1, shape.length - 1);
        return shape;
    }

    private static NdArray allocate(Subgraph graph, int o, int samples, int[] sampleShape) {
        int[] shape = stackedShape(samples, sampleShape);
        if (NdArray.elementCount(shape) > Integer.MAX_VALUE - 8) {
            throw new UserException("output " + o + " '" + graph.outputTensor(o).name() + "' would have shape "
                    + InspectText.dims(shape) + ", too large for one array: run fewer samples at a time");
        }
        return NdArray.zeros(outputDtype(graph, o), shape);
    }

    private static void feed(TensorValue value, NdArray array, Layout layout, int sample) {
        value.resize(layout.sampleShape());
        int n = layout.sampleSize();
        int from = sample * n;
        switch (array.dtype()) {
            case FLOAT32 -> System.arraycopy(array.floats(), from, value.f, 0, n);
            case INT32 -> System.arraycopy(array.ints(), from, value.i, 0, n);
            case INT64 -> System.arraycopy(array.longs(), from, value.l, 0, n);
            case UINT8, INT8, BOOL -> System.arraycopy(array.bytes(), from, value.b, 0, n);
            default -> throw new IllegalStateException("layout() admits no " + array.dtype());
        }
    }

    private static void collect(TensorValue value, NdArray into, int sample) {
        int n = value.size();
        int at = sample * n;
        switch (into.dtype()) {
            case FLOAT32 -> System.arraycopy(value.f, 0, into.floats(), at, n);
            case INT32 -> System.arraycopy(value.i, 0, into.ints(), at, n);
            case INT64 -> System.arraycopy(value.l, 0, into.longs(), at, n);
            case UINT8, INT8, BOOL -> System.arraycopy(value.b, 0, into.bytes(), at, n);
            default -> throw new IllegalStateException("outputDtype() admits no " + into.dtype());
        }
    }
}
