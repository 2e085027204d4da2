package io.quanta.testing;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

import io.quanta.data.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithXNNPACK;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.FlatBufferModelBase;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.InterpreterOptions;
import org.bytedeco.tensorflowlite.MutableOpResolver;
import org.bytedeco.tensorflowlite.TfLiteInterpreter;
import org.bytedeco.tensorflowlite.TfLiteInterpreterOptions;
import org.bytedeco.tensorflowlite.TfLiteModel;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * The judge, and the one wrapper of it: the real TensorFlow Lite 2.21 runtime on one thread.
 * {@code new TfLiteRuntime(path)} uses the C API and its default CPU kernels; {@link #xnnpack(Path)} the C++ API
 * with the XNNPACK delegate (the fastest CPU path, for benchmarks); {@link #preservingAllTensors} the C++ API with
 * every intermediate tensor readable, for op-by-op comparisons. Tensors travel as raw little-endian bytes so that
 * any type can be compared bit for bit.
 */
public final class TfLiteRuntime implements AutoCloseable {
    /** The calls that differ between the C API and the C++ API; tensor access is shared. */
    private interface Backend extends AutoCloseable {
        int inputCount();

        int outputCount();

        TfLiteTensor input(int i);

        TfLiteTensor output(int i);
        /** Any tensor of the main graph by index. */
        TfLiteTensor tensor(int index);

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
        return new TfLiteRuntime(new CppApi(modelFile, new BuiltinOpResolverWithXNNPACK(), false));
    }

    /**
     * TFLite through its C++ API with every intermediate tensor kept readable by {@link #tensor(int)}; with
     * {@code defaultDelegates} false no delegate (XNNPACK) is applied: the builtin reference and optimized kernels.
     */
    public static TfLiteRuntime preservingAllTensors(Path modelFile, boolean defaultDelegates) {
        MutableOpResolver resolver =
                defaultDelegates ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        return new TfLiteRuntime(new CppApi(modelFile, resolver, true));
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

        public int inputCount() {
            return TfLiteInterpreterGetInputTensorCount(interpreter);
        }

        public int outputCount() {
            return TfLiteInterpreterGetOutputTensorCount(interpreter);
        }

        public TfLiteTensor input(int i) {
            return TfLiteInterpreterGetInputTensor(interpreter, i);
        }

        public TfLiteTensor output(int i) {
            return TfLiteInterpreterGetOutputTensor(interpreter, i);
        }

        public TfLiteTensor tensor(int index) {
            throw new UnsupportedOperationException("tensors by index need preservingAllTensors (the C++ API)");
        }

        public int resizeInput(int i, int[] shape) {
            return TfLiteInterpreterResizeInputTensor(interpreter, i, shape, shape.length);
        }

        public int allocate() {
            return TfLiteInterpreterAllocateTensors(interpreter);
        }

        public int invoke() {
            return TfLiteInterpreterInvoke(interpreter);
        }

        public int resetVariables() {
            return TfLiteInterpreterResetVariableTensors(interpreter);
        }

        public void close() {
            TfLiteInterpreterDelete(interpreter);
            TfLiteInterpreterOptionsDelete(options);
            TfLiteModelDelete(model);
        }
    }

    /**
     * The C++ API with a given resolver; with {@code preserveAll} every intermediate tensor keeps its value after
     * Invoke (TFLite otherwise reuses their memory), so a kernel can be compared op by op.
     */
    private static final class CppApi implements Backend {
        private final FlatBufferModel model;
        private final MutableOpResolver resolver;
        private final InterpreterOptions options;
        private final Interpreter interpreter;

        CppApi(Path modelFile, MutableOpResolver resolver, boolean preserveAll) {
            model = FlatBufferModelBase.BuildFromFile(modelFile.toString());
            if (model == null || model.isNull()) {
                resolver.close();
                throw new IllegalArgumentException("TFLite cannot load " + modelFile);
            }
            this.resolver = resolver;
            options = new InterpreterOptions();
            options.SetPreserveAllTensors(preserveAll);
            interpreter = new Interpreter((org.bytedeco.tensorflowlite.ErrorReporter) null);
            try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver, options)) {
                check(builder.SetNumThreads(1), "SetNumThreads");
                check(builder.apply(interpreter), "InterpreterBuilder");
            }
        }

        public int inputCount() {
            return (int) interpreter.inputs().limit();
        }

        public int outputCount() {
            return (int) interpreter.outputs().limit();
        }

        public TfLiteTensor input(int i) {
            return interpreter.input_tensor(i);
        }

        public TfLiteTensor output(int i) {
            return interpreter.output_tensor(i);
        }

        public TfLiteTensor tensor(int index) {
            return interpreter.tensor(index);
        }

        public int resizeInput(int i, int[] shape) {
            throw new UnsupportedOperationException("resizing is only wired for the C API runtime");
        }

        public int allocate() {
            return interpreter.AllocateTensors();
        }

        public int invoke() {
            return interpreter.Invoke();
        }

        public int resetVariables() {
            return interpreter.ResetVariableTensors();
        }

        public void close() {
            interpreter.close();
            options.close();
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

    /** Runs one sample (its inputs in model order) from fresh recurrent state, so samples stay independent. */
    public void invoke(List<NdArray> sample) {
        resetVariables();
        for (int k = 0; k < sample.size(); k++) {
            setInput(k, SharedModelData.rawBytes(sample.get(k)));
        }
        invoke();
    }

    /** Argmax of output 0, read by its TfLiteType (1 float32, 3 uint8, 9 int8). */
    public int argmax() {
        int type = outputType(0);
        if (type == 1) {
            float[] f = outputFloats(0);
            int best = 0;
            for (int k = 1; k < f.length; k++) {
                if (f[k] > f[best]) best = k;
            }
            return best;
        }
        byte[] b = output(0);
        int best = 0;
        for (int k = 1; k < b.length; k++) {
            int v = type == 3 ? b[k] & 0xff : b[k];
            int w = type == 3 ? b[best] & 0xff : b[best];
            if (v > w) best = k;
        }
        return best;
    }

    /**
     * Raw bytes of any tensor of the main graph after the last invocation, or null when TFLite holds no data for
     * it; only on a {@link #preservingAllTensors} runtime.
     */
    public byte[] tensor(int index) {
        TfLiteTensor t = backend.tensor(index);
        long n = TfLiteTensorByteSize(t);
        if (TfLiteTensorData(t) == null || n == 0) {
            return null;
        }
        byte[] raw = new byte[(int) n];
        try (BytePointer p = new BytePointer(n)) {
            check(TfLiteTensorCopyToBuffer(t, p, n), "CopyToBuffer");
            p.get(raw);
        }
        return raw;
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
