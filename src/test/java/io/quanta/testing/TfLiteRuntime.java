package io.quanta.testing;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.TfLiteInterpreter;
import org.bytedeco.tensorflowlite.TfLiteInterpreterOptions;
import org.bytedeco.tensorflowlite.TfLiteModel;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * The judge: the real TensorFlow Lite 2.21 runtime, through its C API (its default CPU kernels, one
 * thread). Tensors travel as raw little-endian bytes so that any type can be compared bit for bit.
 */
public final class TfLiteRuntime implements AutoCloseable {
    private final TfLiteModel model;
    private final TfLiteInterpreterOptions options;
    private final TfLiteInterpreter interpreter;

    public TfLiteRuntime(Path modelFile) {
        model = TfLiteModelCreateFromFile(modelFile.toString());
        if (model == null || model.isNull()) {
            throw new IllegalArgumentException("TFLite cannot load " + modelFile);
        }
        options = TfLiteInterpreterOptionsCreate();
        TfLiteInterpreterOptionsSetNumThreads(options, 1);
        interpreter = TfLiteInterpreterCreate(model, options);
        if (interpreter == null || interpreter.isNull()) {
            TfLiteInterpreterOptionsDelete(options);
            TfLiteModelDelete(model);
            throw new IllegalArgumentException("TFLite cannot build an interpreter for " + modelFile);
        }
        check(TfLiteInterpreterAllocateTensors(interpreter), "AllocateTensors");
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("TFLite " + what + " failed with status " + status);
        }
    }

    public int inputCount() {
        return TfLiteInterpreterGetInputTensorCount(interpreter);
    }

    public int outputCount() {
        return TfLiteInterpreterGetOutputTensorCount(interpreter);
    }

    /** TfLiteType code of input i (1 float32, 2 int32, 3 uint8, 9 int8, …). */
    public int inputType(int i) {
        return TfLiteTensorType(TfLiteInterpreterGetInputTensor(interpreter, i));
    }

    public int outputType(int i) {
        return TfLiteTensorType(TfLiteInterpreterGetOutputTensor(interpreter, i));
    }

    public int[] inputShape(int i) {
        return shape(TfLiteInterpreterGetInputTensor(interpreter, i));
    }

    public int[] outputShape(int i) {
        return shape(TfLiteInterpreterGetOutputTensor(interpreter, i));
    }

    private static int[] shape(TfLiteTensor t) {
        int[] s = new int[TfLiteTensorNumDims(t)];
        for (int d = 0; d < s.length; d++) {
            s[d] = TfLiteTensorDim(t, d);
        }
        return s;
    }

    /** Resizes input i (for models with dynamic shapes) and re-allocates. */
    public void resizeInput(int i, int[] shape) {
        check(TfLiteInterpreterResizeInputTensor(interpreter, i, shape, shape.length), "ResizeInputTensor");
        check(TfLiteInterpreterAllocateTensors(interpreter), "AllocateTensors");
    }

    public void setInput(int i, byte[] raw) {
        TfLiteTensor t = TfLiteInterpreterGetInputTensor(interpreter, i);
        long expected = TfLiteTensorByteSize(t);
        if (raw.length != expected) {
            throw new IllegalArgumentException("input " + i + " takes " + expected + " bytes, got " + raw.length);
        }
        try (BytePointer p = new BytePointer(raw)) {
            check(TfLiteTensorCopyFromBuffer(t, p, raw.length), "CopyFromBuffer");
        }
    }

    public void setInput(int i, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        setInput(i, b.array());
    }

    public void invoke() {
        check(TfLiteInterpreterInvoke(interpreter), "Invoke");
    }

    /** Puts recurrent state (variable tensors) back to zero, so that samples are independent. */
    public void resetVariables() {
        check(TfLiteInterpreterResetVariableTensors(interpreter), "ResetVariableTensors");
    }

    public byte[] output(int i) {
        TfLiteTensor t = TfLiteInterpreterGetOutputTensor(interpreter, i);
        byte[] raw = new byte[(int) TfLiteTensorByteSize(t)];
        try (BytePointer p = new BytePointer(raw.length)) {
            check(TfLiteTensorCopyToBuffer(t, p, raw.length), "CopyToBuffer");
            p.get(raw);
        }
        return raw;
    }

    public float[] outputFloats(int i) {
        byte[] raw = output(i);
        float[] f = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    @Override
    public void close() {
        TfLiteInterpreterDelete(interpreter);
        TfLiteInterpreterOptionsDelete(options);
        TfLiteModelDelete(model);
    }
}
