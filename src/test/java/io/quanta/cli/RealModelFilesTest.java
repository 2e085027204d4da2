package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.graph.Model;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The commands on real files: every shared model, models written by ModelWriter, and files that are no model. */
class RealModelFilesTest {
    @TempDir
    Path dir;

    static Stream<Path> sharedModels() {
        return SharedAssets.allModels();
    }

    @ParameterizedTest
    @MethodSource("sharedModels")
    void inspectGivesValidJsonMatchingTheModel(Path file) throws IOException {
        CliRunner.Result r = CliRunner.run(new Main(), "inspect", "--json", file.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().isEmpty(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        Model m = ModelReader.read(file);
        assertEquals(Files.size(file), j.at("/sizes/fileBytes").asLong());
        assertEquals(
                m.mainGraph().tensors().size(), j.at("/subgraphs/0/tensors").size());
        assertEquals(
                m.mainGraph().operators().size(), j.at("/subgraphs/0/operators").size());
        int counted = 0;
        for (JsonNode op : j.get("operators")) {
            counted += op.get("count").asInt();
        }
        assertEquals(j.at("/sizes/operators").asInt(), counted, "op counts add up to the nodes");
        long constantBytes = m.mainGraph().tensors().stream()
                .filter(t -> t.isConstant())
                .mapToLong(t -> t.data().length)
                .sum();
        assertEquals(constantBytes, j.at("/sizes/constantBytes").asLong());
        assertEquals(m.mainGraph().inputs().length, j.at("/subgraphs/0/inputs").size());
        assertEquals(
                m.mainGraph().inputTensor(0).name(),
                j.at("/subgraphs/0/inputs/0/name").asText());

        CliRunner.Result text = CliRunner.run(new Main(), "inspect", file.toString());
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("operators: " + counted + " node"), text.out());
    }

    @Test
    void inspectSummarisesPerChannelWeightsOfARealInt8Model() throws IOException {
        Path file = SharedAssets.int8RefModel("tiny_vww_96_int8.tflite");
        JsonNode j = new ObjectMapper()
                .readTree(CliRunner.run(new Main(), "inspect", "--json", file.toString())
                        .out());
        boolean sawDepthwise = false;
        for (JsonNode t : j.at("/subgraphs/0/tensors")) {
            JsonNode q = t.get("quantization");
            if (q != null && q.get("channels").asInt() > ModelInspector.MAX_LISTED_CHANNELS) {
                assertFalse(q.has("scale"), t.toString());
                assertTrue(q.get("scaleMin").asDouble() <= q.get("scaleMax").asDouble(), t.toString());
                sawDepthwise |= q.get("axis").asInt() == 3;
            }
        }
        assertTrue(sawDepthwise, "depthwise weights are per-channel on axis 3");
    }

    @Test
    void runsAModelWrittenToAFile() throws IOException {
        Path model = dir.resolve("add.tflite");
        ModelWriter.write(TestModels.addBias(), model);
        Path in = dir.resolve("x.npy");
        Npy.write(in, NdArray.ofFloats(new int[] {2, 3}, new float[] {1, 1, 1, 2, 2, 2}));
        Path out = dir.resolve("y.npy");
        Main main = new Main(ModelFiles::read, TestModels::kernels);
        CliRunner.Result r = CliRunner.run(main, "run", model.toString(), "-i", in.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertArrayEquals(
                new float[] {1.5f, 0f, 3f, 2.5f, 1f, 4f}, Npy.read(out).floats());
    }

    // ---------------------------------------------------------------- files that are not models

    private Path randomBytes() throws IOException {
        byte[] b = new byte[4096];
        new Random(11).nextBytes(b);
        return Files.write(dir.resolve("random.tflite"), b);
    }

    private Path empty() throws IOException {
        return Files.write(dir.resolve("empty.tflite"), new byte[0]);
    }

    private Path truncated() throws IOException {
        byte[] whole = Files.readAllBytes(SharedAssets.int8RefModel("tiny_vww_96_int8.tflite"));
        return Files.write(dir.resolve("truncated.tflite"), Arrays.copyOf(whole, whole.length / 3));
    }

    private Path pngRenamed() throws IOException {
        return Files.copy(SharedAssets.data("mnist_png/sample0.png"), dir.resolve("sample0.tflite"));
    }

    @Test
    void filesThatAreNoModelAreOneLineUserErrors() throws IOException {
        Path npy = dir.resolve("x.npy");
        Npy.write(npy, NdArray.ofFloats(new int[] {1, 3}, new float[3]));
        Path[] bad = {randomBytes(), empty(), truncated(), pngRenamed(), dir.resolve("missing.tflite"), dir};
        for (Path model : bad) {
            for (String[] args : new String[][] {
                {"inspect", model.toString()},
                {"inspect", "--json", model.toString()},
                {
                    "run",
                    model.toString(),
                    "-i",
                    npy.toString(),
                    "-o",
                    dir.resolve("y.npy").toString()
                }
            }) {
                CliRunner.Result r = CliRunner.run(new Main(), args);
                assertEquals(2, r.exitCode(), Arrays.toString(args) + " " + r);
                assertEquals(1, r.errLines().size(), Arrays.toString(args) + " " + r);
                assertTrue(r.err().startsWith("quanta: ") && r.err().contains(model.toString()), r.toString());
                assertTrue(r.out().isEmpty(), r.toString());
            }
        }
    }

    @Test
    void errorMessagesSayWhatIsWrong() throws IOException {
        assertTrue(CliRunner.run(new Main(), "inspect", pngRenamed().toString())
                .err()
                .contains("not a TFLite model"));
        assertTrue(CliRunner.run(new Main(), "inspect", truncated().toString())
                .err()
                .contains("truncated"));
        assertTrue(CliRunner.run(
                        new Main(), "inspect", dir.resolve("missing.tflite").toString())
                .err()
                .contains("model file not found"));
    }
}
