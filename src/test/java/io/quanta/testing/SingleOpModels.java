package io.quanta.testing;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import io.quanta.tflite.ModelWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Tiny models (one op; a few with {@link TestGraph}) for kernel tests, written as real .tflite files and run both
 * in TFLite 2.21 and in Quanta's interpreter so that outputs can be compared bit for bit.
 *
 * <pre>{@code
 * Model m = SingleOpModels.single(OpType.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.RELU, 1, 1),
 *         List.of(Spec.of(DataType.FLOAT32, 1, 8, 8, 3),
 *                 Spec.floats(new int[] {4, 3, 3, 3}, weights),
 *                 Spec.floats(new int[] {4}, bias)),
 *         List.of(Spec.of(DataType.FLOAT32, 1, 8, 8, 4)));
 * SingleOpModels.Outputs out = SingleOpModels.run(m, FloatKernels.registry(), SingleOpModels.randomInputs(m, 42));
 * assertArrayEquals(out.tflite(0), out.quanta(0));
 * }</pre>
 */
public final class SingleOpModels {
    private SingleOpModels() {}

    /** A tensor: type, shape, optional constant data (little-endian), optional quantization and name. */
    public static final class Spec {
        final DataType type;
        final int[] shape;
        byte[] data;
        QuantParams quant;
        String name;

        private Spec(DataType type, int[] shape) {
            this.type = type;
            this.shape = shape.clone();
        }

        /** A run-time tensor (a model input when it feeds the op, an output when the op produces it). */
        public static Spec of(DataType type, int... shape) {
            return new Spec(type, shape);
        }

        /** A constant tensor with raw little-endian bytes. */
        public static Spec constant(DataType type, int[] shape, byte[] data) {
            Spec s = new Spec(type, shape);
            s.data = data.clone();
            return s;
        }

        public static Spec floats(int[] shape, float... values) {
            return constant(DataType.FLOAT32, shape, TensorData.of(values));
        }

        public static Spec ints(int[] shape, int... values) {
            return constant(DataType.INT32, shape, TensorData.of(values));
        }

        public static Spec int8s(int[] shape, byte... values) {
            return constant(DataType.INT8, shape, values);
        }

        public Spec quant(QuantParams params) {
            this.quant = params;
            return this;
        }

        /** Per-tensor affine quantization. */
        public Spec quant(float scale, long zeroPoint) {
            return quant(QuantParams.perTensor(scale, zeroPoint));
        }

        public Spec name(String tensorName) {
            this.name = tensorName;
            return this;
        }

        Tensor toTensor(String defaultName) {
            Tensor t = new Tensor(name == null ? defaultName : name, type, shape);
            t.data(data);
            t.quant(quant);
            return t;
        }
    }

    /**
     * One op: each input spec with data becomes a constant, each without data a model input, null an omitted
     * optional input; every output spec is a model output.
     */
    public static Model single(OpType type, OpOptions options, List<Spec> inputSpecs, List<Spec> outputSpecs) {
        return single(type, 1, options, inputSpecs, outputSpecs);
    }

    public static Model single(
            OpType type, int version, OpOptions options, List<Spec> inputSpecs, List<Spec> outputSpecs) {
        TestGraph b = new TestGraph();
        int[] in = new int[inputSpecs.size()];
        for (int k = 0; k < in.length; k++) {
            Spec s = inputSpecs.get(k);
            in[k] = s == null ? -1 : s.data != null ? b.tensor(s) : b.input(s);
        }
        int[] out = new int[outputSpecs.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = b.output(outputSpecs.get(k));
        }
        return b.op(type, version, options, in, out).model();
    }

    /** The outputs of one run in both runtimes, as raw little-endian bytes, with Quanta's output shapes. */
    public record Outputs(
            List<byte[]> tfliteOutputs,
            List<byte[]> quantaOutputs,
            List<int[]> tfliteShapes,
            List<int[]> quantaShapes) {
        public byte[] tflite(int i) {
            return tfliteOutputs.get(i);
        }

        public byte[] quanta(int i) {
            return quantaOutputs.get(i);
        }

        public float[] tfliteFloats(int i) {
            return TensorData.floats(tflite(i));
        }

        public float[] quantaFloats(int i) {
            return TensorData.floats(quanta(i));
        }
    }

    /** Writes the model to a temporary .tflite file, runs it in TFLite 2.21 and in Quanta with {@code registry}. */
    public static Outputs run(Model model, KernelRegistry registry, List<byte[]> inputs) {
        Result tflite = tfliteResult(model, inputs);
        Result quanta = quantaResult(model, registry, inputs);
        return new Outputs(tflite.bytes, quanta.bytes, tflite.shapes, quanta.shapes);
    }

    /** Runs the model in TFLite 2.21 (default CPU kernels, one thread) and returns its outputs' bytes. */
    public static List<byte[]> runTfLite(Model model, List<byte[]> inputs) {
        return tfliteResult(model, inputs).bytes;
    }

    /** Runs the model's main graph in Quanta's interpreter and returns its outputs' bytes. */
    public static List<byte[]> runQuanta(Model model, KernelRegistry registry, List<byte[]> inputs) {
        return quantaResult(model, registry, inputs).bytes;
    }

    private record Result(List<byte[]> bytes, List<int[]> shapes) {}

    private static Result tfliteResult(Model model, List<byte[]> inputs) {
        Path file = null;
        try {
            file = Files.createTempFile("quanta-op-", ".tflite");
            ModelWriter.write(model, file);
            try (TfLiteRuntime rt = new TfLiteRuntime(file)) {
                for (int i = 0; i < inputs.size(); i++) {
                    rt.setInput(i, inputs.get(i));
                }
                rt.invoke();
                Result r = new Result(new ArrayList<>(), new ArrayList<>());
                for (int o = 0; o < rt.outputCount(); o++) {
                    r.bytes.add(rt.output(o));
                    r.shapes.add(rt.outputShape(o));
                }
                return r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static Result quantaResult(Model model, KernelRegistry registry, List<byte[]> inputs) {
        Interpreter interp = new Interpreter(model.mainGraph(), registry);
        if (inputs.size() != interp.inputCount()) {
            throw new IllegalArgumentException("model has " + interp.inputCount() + " inputs, got " + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            fill(interp.input(i), inputs.get(i));
        }
        interp.invoke();
        Result r = new Result(new ArrayList<>(), new ArrayList<>());
        for (int o = 0; o < interp.outputCount(); o++) {
            r.bytes.add(toBytes(interp.output(o)));
            r.shapes.add(interp.output(o).shape());
        }
        return r;
    }

    /** Seeded random bytes for every model input: floats in [-1, 1), int32 in [0, 100), any int8/uint8 byte. */
    public static List<byte[]> randomInputs(Model model, long seed) {
        Random random = new Random(seed);
        Subgraph g = model.mainGraph();
        List<byte[]> out = new ArrayList<>();
        for (int t : g.inputs()) {
            Tensor tensor = g.tensor(t);
            int n = (int) tensor.elementCount();
            ByteBuffer b = ByteBuffer.allocate(n * Math.max(1, tensor.type().byteSize()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                switch (tensor.type()) {
                    case FLOAT32 -> b.putFloat(random.nextFloat() * 2 - 1);
                    case INT32 -> b.putInt(random.nextInt(100));
                    case INT64 -> b.putLong(random.nextInt(100));
                    case INT16 -> b.putShort((short) random.nextInt());
                    case INT8, UINT8 -> b.put((byte) random.nextInt());
                    case BOOL -> b.put((byte) random.nextInt(2));
                    default -> throw new IllegalArgumentException("no random filler for " + tensor.type());
                }
            }
            out.add(b.array());
        }
        return out;
    }

    /** Copies raw little-endian bytes into a run-time value of the same type. */
    public static void fill(TensorValue v, byte[] raw) {
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = v.size();
        int expected = n * v.type.byteSize();
        if (raw.length != expected) {
            throw new IllegalArgumentException(v + " takes " + expected + " bytes, got " + raw.length);
        }
        switch (v.type) {
            case FLOAT32 -> bb.asFloatBuffer().get(v.f, 0, n);
            case INT32, UINT32 -> bb.asIntBuffer().get(v.i, 0, n);
            case INT8, UINT8, BOOL -> System.arraycopy(raw, 0, v.b, 0, n);
            case INT64, UINT64 -> bb.asLongBuffer().get(v.l, 0, n);
            case INT16, UINT16, FLOAT16 -> bb.asShortBuffer().get(v.s, 0, n);
            default -> throw new IllegalArgumentException("cannot fill " + v.type);
        }
    }

    /** The elements of a run-time value as raw little-endian bytes (exactly size() elements). */
    public static byte[] toBytes(TensorValue v) {
        int n = v.size();
        ByteBuffer bb = ByteBuffer.allocate(n * v.type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (v.type) {
            case FLOAT32 -> bb.asFloatBuffer().put(v.f, 0, n);
            case INT32, UINT32 -> bb.asIntBuffer().put(v.i, 0, n);
            case INT8, UINT8, BOOL -> bb.put(v.b, 0, n);
            case INT64, UINT64 -> bb.asLongBuffer().put(v.l, 0, n);
            case INT16, UINT16, FLOAT16 -> bb.asShortBuffer().put(v.s, 0, n);
            default -> throw new IllegalArgumentException("cannot read " + v.type);
        }
        return bb.array();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    /** For messages: a shape as text. */
    public static String shape(int[] shape) {
        return Arrays.toString(shape);
    }
}
