package io.quanta.kernels.int8;

import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.InterpreterOptions;
import org.bytedeco.tensorflowlite.MutableOpResolver;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/**
 * TFLite 2.21 through its C++ API with every intermediate tensor preserved, so that a kernel can be compared
 * op by op. With {@code defaultDelegates} false no delegate (XNNPACK) is applied: pure builtin kernels.
 */
final class TfLiteProbe implements AutoCloseable {
    private final FlatBufferModel model;
    private final MutableOpResolver resolver;
    private final InterpreterOptions options;
    private final Interpreter interpreter;

    TfLiteProbe(Path file, boolean defaultDelegates) {
        model = FlatBufferModel.BuildFromFile(file.toString());
        if (model == null || model.isNull()) {
            throw new IllegalArgumentException("TFLite cannot load " + file);
        }
        resolver = defaultDelegates ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        options = new InterpreterOptions();
        options.SetPreserveAllTensors(true);
        interpreter = new Interpreter();
        InterpreterBuilder builder = new InterpreterBuilder(model, resolver, options);
        builder.SetNumThreads(1);
        check(builder.apply(interpreter), "build");
        check(interpreter.AllocateTensors(), "AllocateTensors");
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("TFLite " + what + " failed with status " + status);
        }
    }

    void setInput(int i, byte[] raw) {
        TfLiteTensor t = interpreter.tensor(interpreter.inputs().get(i));
        try (BytePointer p = new BytePointer(raw)) {
            check(tensorflowlite.TfLiteTensorCopyFromBuffer(t, p, raw.length), "CopyFromBuffer");
        }
    }

    void invoke() {
        check(interpreter.Invoke(), "Invoke");
    }

    void resetVariables() {
        check(interpreter.ResetVariableTensors(), "ResetVariableTensors");
    }

    /** Raw bytes of any tensor after the last invocation, or null when TFLite holds no data for it. */
    byte[] tensor(int index) {
        TfLiteTensor t = interpreter.tensor(index);
        long n = tensorflowlite.TfLiteTensorByteSize(t);
        if (tensorflowlite.TfLiteTensorData(t) == null || n == 0) {
            return null;
        }
        byte[] raw = new byte[(int) n];
        try (BytePointer p = new BytePointer(n)) {
            check(tensorflowlite.TfLiteTensorCopyToBuffer(t, p, n), "CopyToBuffer");
            p.get(raw);
        }
        return raw;
    }

    @Override
    public void close() {
        interpreter.close();
        options.close();
        resolver.close();
        model.close();
    }
}
