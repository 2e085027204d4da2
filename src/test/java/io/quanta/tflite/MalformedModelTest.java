package io.quanta.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.flatbuffers.FlatBufferBuilder;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.schema.Buffer;
import io.quanta.tflite.schema.SubGraph;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed, truncated and hostile files: either a model or a ModelFormatException, nothing else. */
class MalformedModelTest {

    /** Reads bytes; returns the exception message, or null when the bytes read fine. */
    private static String readOrFormatError(byte[] bytes, String what) {
        try {
            ModelReader.read(bytes);
            return null;
        } catch (ModelFormatException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail(what + ": ModelFormatException without a message");
            }
            return e.getMessage();
        } catch (Throwable t) {
            throw new AssertionError(what + ": escaped " + t, t);
        }
    }

    private static String formatError(byte[] bytes) {
        return assertThrows(ModelFormatException.class, () -> ModelReader.read(bytes))
                .getMessage();
    }

    private static byte[] bytesOf(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    @Test
    void emptyFile() {
        assertTrue(formatError(new byte[0]).contains("too short"));
    }

    @Test
    void randomBytes() {
        Random random = new Random(1234);
        for (int n = 0; n < 500; n++) {
            byte[] bytes = new byte[random.nextInt(4096)];
            random.nextBytes(bytes);
            assertTrue(readOrFormatError(bytes, "random " + n) != null, "random bytes " + n + " read as a model");
        }
    }

    @Test
    void randomBytesBehindAValidIdentifier() {
        // Past the identifier check the reader must survive arbitrary offsets and lengths.
        Random random = new Random(99);
        for (int n = 0; n < 2000; n++) {
            byte[] bytes = new byte[8 + random.nextInt(512)];
            random.nextBytes(bytes);
            bytes[0] = (byte) (8 + random.nextInt(Math.max(1, bytes.length - 12)));
            bytes[1] = bytes[2] = bytes[3] = 0;
            System.arraycopy("TFL3".getBytes(), 0, bytes, 4, 4);
            readOrFormatError(bytes, "random with identifier " + n);
        }
    }

    @Test
    void pngIsNotAModel() throws Exception {
        String message = formatError(bytesOf(SharedAssets.data("mnist_png/sample0.png")));
        assertTrue(message.contains("file identifier"), message);
        assertTrue(message.contains("TFL3"), message);
    }

    @Test
    void everyTruncationOfASmallModel() throws Exception {
        byte[] model = bytesOf(SharedAssets.floatModel("tflm_hello_world_float.tflite"));
        for (int length = 0; length < model.length; length++) {
            readOrFormatError(Arrays.copyOf(model, length), "prefix of " + length + " bytes");
        }
    }

    @Test
    void singleByteCorruptions() throws Exception {
        for (String name : List.of("tflm_hello_world_float.tflite", "tfls_dilated_conv_float.tflite")) {
            byte[] model = bytesOf(SharedAssets.floatModel(name));
            corrupt(model, name, new Random(name.hashCode()), 3000);
        }
        byte[] lstm = bytesOf(SharedAssets.int8RefModel("tflm_mnist_lstm_int8.tflite"));
        corrupt(lstm, "lstm int8", new Random(5), 3000);
    }

    private static void corrupt(byte[] model, String name, Random random, int count) {
        for (int n = 0; n < count; n++) {
            byte[] bad = model.clone();
            int at = random.nextInt(bad.length);
            byte value = (byte) random.nextInt(256);
            bad[at] = value;
            readOrFormatError(bad, name + " with byte " + at + " set to " + value);
        }
    }

    @Test
    void aModelFileLargerThanHalfTheHeapIsRefusedBeforeReadingIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // A sparse file: nothing on disk, but reading it would need its whole size on the heap.
        Path f = dir.resolve("huge.tflite");
        long size = Runtime.getRuntime().maxMemory() / 2 + 1;
        try (var ch = Files.newByteChannel(
                f, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.position(size - 1).write(ByteBuffer.wrap(new byte[] {0}));
        }
        String m = io.quanta.testing.Refusals.refused(ModelFormatException.class, 1 << 20, () -> ModelReader.read(f));
        assertTrue(m.startsWith(f + ": model file of ") && m.contains("larger than half the Java heap"), m);
    }

    @Test
    void hugeVectorLengthIsRejectedBeforeAllocating() {
        Model m = tinyAddModel();
        byte[] bytes = ModelWriter.write(m);
        io.quanta.tflite.schema.Model root = io.quanta.tflite.schema.Model.getRootAsModel(ByteBuffer.wrap(bytes));
        ByteBuffer shape = root.subgraphs(0).tensors(0).shapeAsByteBuffer();
        // The length prefix sits just before the vector's first element.
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(shape.position() - 4, 0x3fffffff);
        String message = formatError(bytes);
        assertTrue(message.contains("shape") && message.contains("tensor 0"), message);
    }

    @Test
    void badIndicesAreNamed() {
        Model m = tinyAddModel();
        m.mainGraph().operators().get(0).inputs(new int[] {0, 7});
        String message = formatError(ModelWriter.write(m));
        assertTrue(message.contains("operator 0") && message.contains("tensor 7"), message);

        Model out = tinyAddModel();
        out.mainGraph().outputs(new int[] {-1});
        assertTrue(formatError(ModelWriter.write(out)).contains("output"));
    }

    @Test
    void constantSizeMustMatchItsShape() {
        Model m = tinyAddModel();
        m.mainGraph().tensor(1).data(new byte[7]);
        String message = formatError(ModelWriter.write(m));
        assertTrue(message.contains("needs 8 bytes") && message.contains("holds 7"), message);
    }

    @Test
    void writerRefusesOptionsItCannotEmit() {
        Model m = tinyAddModel();
        m.mainGraph().operators().get(0).options(new OpOptions.Unmodelled("ArgMaxOptions"));
        String message = assertThrows(ModelFormatException.class, () -> ModelWriter.write(m))
                .getMessage();
        assertTrue(message.contains("ArgMaxOptions") && message.contains("operator 0"), message);
    }

    @Test
    void bufferDataAfterTheFlatbufferReads() {
        byte[] file = externalBufferModel(0);
        Model m = ModelReader.read(file);
        assertArrayEquals(
                new float[] {1.5f, -2f},
                TensorData.floats(m.mainGraph().tensor(1).data()));
    }

    @Test
    void bufferDataAfterTheFlatbufferMeansTheSameToTfLite(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // The hand-built file is a real model: TFLite agrees with what the reader saw in it.
        Path file = dir.resolve("external.tflite");
        Files.write(file, externalBufferModel(0));
        try (io.quanta.testing.TfLiteRuntime rt = new io.quanta.testing.TfLiteRuntime(file)) {
            rt.setInput(0, new float[] {1f, 1f});
            rt.invoke();
            assertArrayEquals(new float[] {2.5f, -1f}, rt.outputFloats(0));
        }
        // And writing what was read gives the ordinary inline form, with the same data.
        Model again = ModelReader.read(ModelWriter.write(ModelReader.read(file)));
        assertArrayEquals(
                new float[] {1.5f, -2f},
                TensorData.floats(again.mainGraph().tensor(1).data()));
    }

    @Test
    void bufferOffsetOutsideTheFileIsRejected() {
        String message = formatError(externalBufferModel(64));
        assertTrue(message.contains("outside"), message);
    }

    /** x + c with c = [1.5, -2] stored after the flatbuffer (offset/size form), offset pushed by {@code shift}. */
    private static byte[] externalBufferModel(int shift) {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        int[] tensors = new int[3];
        for (int t = 0; t < 3; t++) {
            int shape = io.quanta.tflite.schema.Tensor.createShapeVector(b, new int[] {2});
            int name = b.createString("t" + t);
            io.quanta.tflite.schema.Tensor.startTensor(b);
            io.quanta.tflite.schema.Tensor.addShape(b, shape);
            io.quanta.tflite.schema.Tensor.addName(b, name);
            io.quanta.tflite.schema.Tensor.addBuffer(b, t == 1 ? 1 : 0);
            tensors[t] = io.quanta.tflite.schema.Tensor.endTensor(b);
        }
        int in = io.quanta.tflite.schema.Operator.createInputsVector(b, new int[] {0, 1});
        int out = io.quanta.tflite.schema.Operator.createOutputsVector(b, new int[] {2});
        io.quanta.tflite.schema.Operator.startOperator(b);
        io.quanta.tflite.schema.Operator.addInputs(b, in);
        io.quanta.tflite.schema.Operator.addOutputs(b, out);
        int op = io.quanta.tflite.schema.Operator.endOperator(b);
        int tv = SubGraph.createTensorsVector(b, tensors);
        int si = SubGraph.createInputsVector(b, new int[] {0});
        int so = SubGraph.createOutputsVector(b, new int[] {2});
        int ops = SubGraph.createOperatorsVector(b, new int[] {op});
        int sg = SubGraph.createSubGraph(b, tv, si, so, ops, 0, -1);
        io.quanta.tflite.schema.OperatorCode.startOperatorCode(b);
        int code = io.quanta.tflite.schema.OperatorCode.endOperatorCode(b); // ADD: code 0, version 1
        // The data offset is only known once the flatbuffer is finished: reserve a fixed place for it.
        Buffer.startBuffer(b);
        int empty = Buffer.endBuffer(b);
        Buffer.startBuffer(b);
        Buffer.addOffset(b, 0x1122334455667788L);
        Buffer.addSize(b, 8);
        int external = Buffer.endBuffer(b);
        int buffers = io.quanta.tflite.schema.Model.createBuffersVector(b, new int[] {empty, external});
        int codes = io.quanta.tflite.schema.Model.createOperatorCodesVector(b, new int[] {code});
        int sgs = io.quanta.tflite.schema.Model.createSubgraphsVector(b, new int[] {sg});
        io.quanta.tflite.schema.Model.startModel(b);
        io.quanta.tflite.schema.Model.addVersion(b, 3);
        io.quanta.tflite.schema.Model.addOperatorCodes(b, codes);
        io.quanta.tflite.schema.Model.addSubgraphs(b, sgs);
        io.quanta.tflite.schema.Model.addBuffers(b, buffers);
        b.finish(io.quanta.tflite.schema.Model.endModel(b), "TFL3");
        byte[] fb = b.sizedByteArray();
        int dataAt = (fb.length + 15) / 16 * 16;
        byte[] file = Arrays.copyOf(fb, dataAt + 8);
        ByteBuffer.wrap(file)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(dataAt, 1.5f)
                .putFloat(dataAt + 4, -2f);
        // Patch the reserved offset in place.
        ByteBuffer view = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k + 8 <= fb.length; k++) {
            if (view.getLong(k) == 0x1122334455667788L) {
                view.putLong(k, dataAt + shift);
            }
        }
        return file;
    }

    private static Model tinyAddModel() {
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {2});
        Tensor c = new Tensor("c", DataType.FLOAT32, new int[] {2}).data(TensorData.of(new float[] {1f, 2f}));
        Tensor y = new Tensor("y", DataType.FLOAT32, new int[] {2});
        Operator add = new Operator(
                OpType.ADD,
                0,
                1,
                new int[] {0, 1},
                new int[] {2},
                new OpOptions.Arithmetic(io.quanta.graph.Activation.NONE, true));
        return Model.of(new Subgraph("main", List.of(x, c, y), List.of(add), new int[] {0}, new int[] {2}));
    }
}
