package io.quanta.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Model;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared model, read and written back, runs in TFLite 2.21 exactly as the original file does. */
class ModelRoundTripTest {
    @TempDir
    Path dir;

    static Stream<Path> models() {
        return SharedAssets.allModels();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void writtenModelGivesBitIdenticalOutputsInTfLite(Path original) throws Exception {
        Model model = ModelReader.read(original);
        Path written = dir.resolve("roundtrip.tflite");
        ModelWriter.write(model, written);

        String file = original.getFileName().toString();
        Random random = new Random(file.hashCode());
        try (TfLiteRuntime expected = new TfLiteRuntime(original);
                TfLiteRuntime actual = new TfLiteRuntime(written)) {
            assertEquals(expected.inputCount(), actual.inputCount(), "input count");
            assertEquals(expected.outputCount(), actual.outputCount(), "output count");
            for (int run = 0; run < 3; run++) {
                for (int i = 0; i < expected.inputCount(); i++) {
                    assertArrayEquals(expected.inputShape(i), actual.inputShape(i), "input " + i + " shape");
                    byte[] raw = RandomInputs.forInput(expected, i, random, RandomInputs.floatRange(file));
                    expected.setInput(i, raw);
                    actual.setInput(i, raw);
                }
                expected.invoke();
                actual.invoke();
                for (int o = 0; o < expected.outputCount(); o++) {
                    assertArrayEquals(expected.output(o), actual.output(o), "run " + run + ", output " + o + " bytes");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void rereadingTheWrittenFileGivesAnEqualGraph(Path original) throws Exception {
        Model model = ModelReader.read(original);
        byte[] written = ModelWriter.write(model);
        Model again = ModelReader.read(written);
        ModelAssertions.assertSameModel(model, again);
        // Writing is deterministic, and a second round changes nothing.
        assertArrayEquals(written, ModelWriter.write(again));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void writtenFileIsLeanAndAligned(Path original) throws Exception {
        byte[] originalBytes = Files.readAllBytes(original);
        Model model = ModelReader.read(originalBytes);
        byte[] written = ModelWriter.write(model);
        io.quanta.tflite.schema.Model fb =
                io.quanta.tflite.schema.Model.getRootAsModel(java.nio.ByteBuffer.wrap(written));
        assertTrue(
                io.quanta.tflite.schema.Model.ModelBufferHasIdentifier(java.nio.ByteBuffer.wrap(written)),
                "TFL3 identifier");
        assertEquals(0, fb.buffers(0).dataLength(), "buffer 0 is the empty sentinel");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < fb.operatorCodesLength(); i++) {
            io.quanta.tflite.schema.OperatorCode c = fb.operatorCodes(i);
            String key = c.builtinCode() + "/" + c.customCode() + "/v" + c.version();
            assertTrue(!codes.contains(key), "operator code " + key + " written twice");
            codes.add(key);
            assertEquals(Math.min(c.builtinCode(), 127), c.deprecatedBuiltinCode(), "deprecated builtin code");
        }
        for (int i = 1; i < fb.buffersLength(); i++) {
            java.nio.ByteBuffer data = fb.buffers(i).dataAsByteBuffer();
            if (data != null && data.remaining() > 0) {
                assertEquals(0, data.position() % 16, "buffer " + i + " data is 16-byte aligned");
            }
        }
        // Lean: never larger than the converter's file (ours drops nothing but padding and empty tables).
        assertTrue(
                written.length <= originalBytes.length + 1024,
                "written " + written.length + " bytes vs original " + originalBytes.length);
    }
}
