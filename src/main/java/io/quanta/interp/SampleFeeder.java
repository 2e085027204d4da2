package io.quanta.interp;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.NdArray;
import io.quanta.data.NdArrays;
import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Copies dataset samples into an interpreter's inputs, checking type and size (for calibration and evaluation, which both sit above the interpreter). */
public final class SampleFeeder {
    private SampleFeeder() {}

    /**
     * Fills every model input from sample {@code index} of {@code samples}: straight from the dataset's storage into
     * the input's buffer where the dataset allows it ({@link Dataset#directItem}) and the array fits the input as it
     * is, else through an array per sample ({@link Dataset#sample}), checked as {@link #feed(Interpreter, int, NdArray,
     * String)} does.
     */
    public static void feed(Interpreter interpreter, Dataset samples, int index) {
        if (samples.inputCount() != interpreter.inputCount()) {
            feed(interpreter, samples.sample(index), samples.sourceOf(index)); // says what is wrong
            return;
        }
        List<NdArray> whole = null;
        for (int k = 0; k < interpreter.inputCount(); k++) {
            TensorValue in = interpreter.input(k);
            NdArray.Item item = samples.directItem(k);
            if (item != null && item.size() == in.size() && sameBytes(NdArrays.dataType(item.dtype()), in.type)) {
                samples.readInto(index, k, buffer(in));
            } else {
                whole = whole != null ? whole : samples.sample(index);
                feed(interpreter, k, whole.get(k), samples.sourceOf(index));
            }
        }
    }

    /** Fills every model input from one sample; {@code source} names where it came from, for messages. */
    public static void feed(Interpreter interpreter, List<NdArray> sample, String source) {
        if (sample.size() != interpreter.inputCount()) {
            throw new DatasetException(source + ": gives " + sample.size() + " array(s) but the model has "
                    + interpreter.inputCount() + " input(s)");
        }
        for (int k = 0; k < sample.size(); k++) {
            feed(interpreter, k, sample.get(k), source);
        }
    }

    /**
     * Copies one array into model input k. Its element type must be the input's; its element count must be
     * the input's (the shape is then the model's), or the input must have a dynamic dimension, in which
     * case the input takes the array's shape.
     */
    public static void feed(Interpreter interpreter, int k, NdArray a, String source) {
        TensorValue in = interpreter.input(k);
        Tensor t = interpreter.graph().inputTensor(k);
        boolean sizeFits = a.size() == in.size() || isDynamic(t);
        if (!sameBytes(NdArrays.dataType(a.dtype()), in.type) || !sizeFits) {
            throw new DatasetException(source + ": model input " + k + " '" + t.name() + "' takes "
                    + in.type.name().toLowerCase(Locale.ROOT) + Arrays.toString(t.shape()) + ", found "
                    + NdArrays.describe(a));
        }
        if (a.size() != in.size()) {
            in.resize(a.shape());
        }
        System.arraycopy(a.data(), 0, buffer(in), 0, a.size());
    }

    /** Whether an array of type {@code found} holds an input of type {@code input}'s values as they are. */
    private static boolean sameBytes(DataType found, DataType input) {
        return found == input
                || (input == DataType.BOOL && found == DataType.UINT8)
                || (input == DataType.UINT8 && found == DataType.BOOL);
    }

    /** The input's values: its float[], int[], long[] or byte[]. */
    private static Object buffer(TensorValue in) {
        return switch (in.type) {
            case FLOAT32 -> in.f;
            case INT32 -> in.i;
            case INT64 -> in.l;
            default -> in.b;
        };
    }

    private static boolean isDynamic(Tensor t) {
        int[] sig = t.shapeSignature();
        return sig != null && Arrays.stream(sig).anyMatch(d -> d < 0);
    }
}
