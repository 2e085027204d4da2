package io.quanta.interp;

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
        DataType found = NdArrays.dataType(a.dtype());
        boolean sameBytes = found == in.type
                || (in.type == DataType.BOOL && found == DataType.UINT8)
                || (in.type == DataType.UINT8 && found == DataType.BOOL);
        boolean sizeFits = a.size() == in.size() || isDynamic(t);
        if (!sameBytes || !sizeFits) {
            throw new DatasetException(source + ": model input " + k + " '" + t.name() + "' takes "
                    + in.type.name().toLowerCase(Locale.ROOT) + Arrays.toString(t.shape()) + ", found "
                    + NdArrays.describe(a));
        }
        if (a.size() != in.size()) {
            in.resize(a.shape());
        }
        switch (in.type) {
            case FLOAT32 -> System.arraycopy(a.floats(), 0, in.f, 0, a.size());
            case INT32 -> System.arraycopy(a.ints(), 0, in.i, 0, a.size());
            case INT64 -> System.arraycopy(a.longs(), 0, in.l, 0, a.size());
            default -> System.arraycopy(a.bytes(), 0, in.b, 0, a.size());
        }
    }

    private static boolean isDynamic(Tensor t) {
        int[] sig = t.shapeSignature();
        return sig != null && Arrays.stream(sig).anyMatch(d -> d < 0);
    }
}
