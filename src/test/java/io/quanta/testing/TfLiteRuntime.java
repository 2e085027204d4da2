package io.quanta.testing;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithXNNPACK;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.FlatBufferModelBase;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteInterpreter;
import org.bytedeco.tensorflowlite.TfLiteInterpreterOptions;
import org.bytedeco.tensorflowlite.TfLiteModel;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * The judge: the real TensorFlow Lite 2.21 runtime on one thread. {@code new TfLiteRuntime(path)} uses the
 * C API and its default CPU kernels; {@link #xnnpack(Path)} the C++ API with the XNNPACK delegate (the
 * fastest CPU path, for benchmarks). Tensors travel as raw little-endian bytes so that any type can be
 * compared bit for bit.
 */
public final class TfLiteRuntime implements AutoCloseable {
    /** The calls that differ between the C API and the C++ API; tensor access is shared. */
    private interface Backend extends AutoCloseable {
        int inputCount();
        int outputCount();
        TfLiteTensor input(int i);
        TfLiteTensor output(int i);
        int resizeInput(int i, int[] shape);
        int allocate();
        int invoke();
        int resetVariables();
        @Override
        void close();
    }

    private final Backend backend;

    /** TFLite's default CPU kernels through the C API (TfLiteModelCreateFromFile, TfLiteInterpreterCreate). */
    public TfLiteRuntime(Path modelFile) {
        this(new CApi(modelFile));
    }

    /** TFLite through its C++ API with BuiltinOpResolverWithXNNPACK: the XNNPACK delegate on one thread. */
    public static TfLiteRuntime xnnpack(Path modelFile) {
        return new TfLiteRuntime(new CppXnnpack(modelFile));
    }

    private TfLiteRuntime(Backend backend) {
        this.backend = backend;
        check(backend.allocate(), "AllocateTensors");
    }

    private static final class CApi implements Backend {
        private final TfLiteModel model;
        private final TfLiteInterpreterOptions options;
        private final TfLiteInterpreter interpreter;

        CApi(Path modelFile) {
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
        }

        public int inputCount() { return TfLiteInterpreterGetInputTensorCount(interpreter); }
        public int outputCount() { return TfLiteInterpreterGetOutputTensorCount(interpreter); }
        public TfLiteTensor input(int i) { return TfLiteInterpreterGetInputTensor(interpreter, i); }
        public TfLiteTensor output(int i) { return TfLiteInterpreterGetOutputTensor(interpreter, i); }
        public int resizeInput(int i, int[] shape) {
            return TfLiteInterpreterResizeInputTensor(interpreter, i, shape, shape.length);
        }
        public int allocate() { return TfLiteInterpreterAllocateTensors(interpreter); }
        public int invoke() { return TfLiteInterpreterInvoke(interpreter); }
        public int resetVariables() { return TfLiteInterpreterResetVariableTensors(interpreter); }

        public void close() {
            TfLiteInterpreterDelete(interpreter);
            TfLiteInterpreterOptionsDelete(options);
            TfLiteModelDelete(model);
        }
    }

    private static final class CppXnnpack implements Backend {
        private final FlatBufferModel model;
        private final BuiltinOpResolverWithXNNPACK resolver;
        private final Interpreter interpreter;

        CppXnnpack(Path modelFile) {
            model = FlatBufferModelBase.BuildFromFile(modelFile.toString());
            if (model == null || model.isNull()) {
                throw new IllegalArgumentException("TFLite cannot load " + modelFile);
            }
            resolver = new BuiltinOpResolverWithXNNPACK();
            interpreter = new Interpreter((org.bytedeco.tensorflowlite.ErrorReporter) null);
            try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
                check(builder.SetNumThreads(1), "SetNumThreads");
                check(builder.apply(interpreter), "InterpreterBuilder");
            }
        }

        public int inputCount() { return (int) interpreter.inputs().limit(); }
        public int outputCount() { return (int) interpreter.outputs().limit(); }
        public TfLiteTensor input(int i) { return interpreter.input_tensor(i); }
        public TfLiteTensor output(int i) { return interpreter.output_tensor(i); }
        public int resizeInput(int i, int[] shape) {
            throw new UnsupportedOperationException("resizing is only wired for the C API runtime");
        }
        public int allocate() { return interpreter.AllocateTensors(); }
        public int invoke() { return interpreter.Invoke(); }
        public int resetVariables() { return interpreter.ResetVariableTensors(); }

        public void close() {
            interpreter.close();
            resolver.close();
            model.close();
        }
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("TFLite " + what + " failed with status " + status);
        }
    }

    public int inputCount() {
        return backend.inputCount();
    }

    public int outputCount() {
        return backend.outputCount();
    }

    /** TfLiteType code of input i (1 float32, 2 int32, 3 uint8, 9 int8, …). */
    public int inputType(int i) {
        return TfLiteTensorType(backend.input(i));
    }

    public int outputType(int i) {
        return TfLiteTensorType(backend.output(i));
    }

    public int[] inputShape(int i) {
        return shape(backend.input(i));
    }

    public int[] outputShape(int i) {
        return shape(backend.output(i));
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
        check(backend.resizeInput(i, shape), "ResizeInputTensor");
        check(backend.allocate(), "AllocateTensors");
    }

    public void setInput(int i, byte[] raw) {
        TfLiteTensor t = backend.input(i);
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
        check(backend.invoke(), "Invoke");
    }

    /** Puts recurrent state (variable tensors) back to zero, so that samples are independent. */
    public void resetVariables() {
        check(backend.resetVariables(), "ResetVariableTensors");
    }

    public byte[] output(int i) {
        TfLiteTensor t = backend.output(i);
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
        backend.close();
    }
}
