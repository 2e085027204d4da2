package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path dir;

    private Path modelFile() throws IOException {
        Path p = dir.resolve("conv.tflite");
        Files.write(p, new byte[1234]); // the test loader ignores the contents; the size is reported
        return p;
    }

    @Test
    void textShowsOpsTensorsQuantizationAndSizes() throws IOException {
        CliRunner.Result r = CliRunner.run(
                TestModels.mainFor(TestModels.quantizedConv()),
                "inspect",
                modelFile().toString());
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.out();
        assertTrue(
                out.contains("1,234 bytes, TFLite schema v3, 1 subgraph, description \"hand-built for tests\""), out);
        assertTrue(out.contains("metadata: min_runtime_version = 1.14.0"), out);
        assertTrue(out.contains("signature 'serving_default' (subgraph 0): inputs image=#0; outputs scores=#6"), out);
        // 180 + 80 + 40 + 16 constant bytes, by type
        assertTrue(
                out.contains(
                        "constants: 316 bytes in 4 of 8 tensors (FLOAT32 16 bytes, INT32 80 bytes, INT8 220 bytes)"),
                out);
        assertTrue(out.matches("(?s).*CONV_2D\\s+v3\\s+2\\n.*"), out);
        assertTrue(out.matches("(?s).*SOFTMAX\\s+v2\\s+1\\n.*"), out);
        assertTrue(out.contains("#0 input  INT8 [-1,8,8,1]  [scale 0.00392157 zero point -128]"), out);
        // 20 channels: summarised as ranges; 2 channels: listed
        assertTrue(out.contains("conv/weights  [axis 0, 20 ch, scale 0.001..0.02 zero point 0]"), out);
        assertTrue(out.contains("conv2/weights  [axis 0, 2 ch, scale [0.25, 0.5] zero point [0, 0]]"), out);
        assertTrue(out.contains("180  conv/weights"), out);
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void allChannelsListsEveryScale() throws IOException {
        CliRunner.Result r = CliRunner.run(
                TestModels.mainFor(TestModels.quantizedConv()),
                "inspect",
                "--all-channels",
                modelFile().toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("scale [0.001, 0.002, 0.003"), r.out());
        assertTrue(r.out().contains("0.02]"), r.out());
    }

    @Test
    void jsonParsesBackWithEveryFact() throws IOException {
        CliRunner.Result r = CliRunner.run(
                TestModels.mainFor(TestModels.quantizedConv()),
                "inspect",
                "--json",
                modelFile().toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(3, j.get("schemaVersion").asInt());
        assertEquals(1234, j.at("/sizes/fileBytes").asLong());
        assertEquals(316, j.at("/sizes/constantBytes").asLong());
        assertEquals(220, j.at("/sizes/constantBytesByType/INT8").asLong());
        assertEquals(3, j.at("/sizes/operators").asInt());
        assertEquals("CONV_2D", j.at("/operators/0/op").asText());
        assertEquals(3, j.at("/operators/0/version").asInt());
        assertEquals(2, j.at("/operators/0/count").asInt());
        assertEquals("SOFTMAX", j.at("/operators/1/op").asText());
        assertEquals(0, j.at("/signatures/0/inputs/image").asInt());
        assertEquals("min_runtime_version", j.at("/metadata/0/name").asText());
        assertEquals("1.14.0", j.at("/metadata/0/text").asText());

        JsonNode g = j.at("/subgraphs/0");
        assertEquals("input", g.at("/inputs/0/name").asText());
        assertEquals("[-1,8,8,1]", g.at("/inputs/0/shapeSignature").toString());
        assertEquals("[1,8,8,1]", g.at("/inputs/0/shape").toString());
        assertEquals(-128, g.at("/inputs/0/quantization/zeroPoint/0").asLong());
        assertEquals("[3,4,-1]", g.at("/operators/1/inputs").toString());

        JsonNode weights = g.at("/tensors/1");
        assertEquals("conv/weights", weights.get("name").asText());
        assertEquals("INT8", weights.get("type").asText());
        assertEquals(180, weights.get("constantBytes").asLong());
        assertEquals(20, weights.at("/quantization/channels").asInt());
        assertEquals(0, weights.at("/quantization/axis").asInt());
        assertFalse(weights.get("quantization").has("scale"), "20 channels are summarised");
        assertEquals(0.02, weights.at("/quantization/scaleMax").asDouble(), 1e-7);
        assertEquals(2, g.at("/tensors/4/quantization/scale").size(), "2 channels are listed");
        assertFalse(g.at("/tensors/3").has("constantBytes"), "activations have no constant bytes");
        assertFalse(g.at("/tensors/7").has("quantization"), "float tensors have no quantization");

        CliRunner.Result all = CliRunner.run(
                TestModels.mainFor(TestModels.quantizedConv()),
                "inspect",
                "--json",
                "--all-channels",
                modelFile().toString());
        assertEquals(
                20,
                new ObjectMapper()
                        .readTree(all.out())
                        .at("/subgraphs/0/tensors/1/quantization/scale")
                        .size());
    }

    @Test
    void showsVariableTensors() throws IOException {
        CliRunner.Result r = CliRunner.run(
                TestModels.mainFor(TestModels.accumulator()),
                "inspect",
                modelFile().toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("state (variable)"), r.out());
        assertTrue(r.out().contains("CUSTOM(ACCUMULATE)"), r.out());
    }

    @Test
    void missingModelIsAOneLineUserError() {
        CliRunner.Result r = CliRunner.run(
                TestModels.mainFor(TestModels.addBias()),
                "inspect",
                dir.resolve("nope.tflite").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("quanta: model file not found: "), r.err());
        assertTrue(r.out().isEmpty());
    }

    @Test
    void numbersAreShortInText() {
        assertEquals("0.05", InspectText.num(0.05f));
        assertEquals("0.00392157", InspectText.num(1f / 255));
        assertEquals("1.52588e-05", InspectText.num(1f / 65536));
        assertEquals("128", InspectText.num(128f));
        assertEquals("NaN", InspectText.num(Float.NaN));
    }

    @Test
    void jsonStaysValidForNonFiniteScales() throws IOException {
        io.quanta.graph.Model m = TestModels.addBias();
        m.mainGraph().tensor(0).quant(io.quanta.graph.QuantParams.perTensor(Float.NaN, 0));
        m.mainGraph().tensor(2).quant(io.quanta.graph.QuantParams.perTensor(Float.POSITIVE_INFINITY, 0));
        CliRunner.Result r = CliRunner.run(
                TestModels.mainFor(m), "inspect", "--json", modelFile().toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("NaN", j.at("/subgraphs/0/tensors/0/quantization/scale/0").asText());
    }

    @Test
    void nodesListsOperatorsWithTheirTensors() throws IOException {
        CliRunner.Result plain = CliRunner.run(
                TestModels.mainFor(TestModels.quantizedConv()),
                "inspect",
                modelFile().toString());
        assertFalse(plain.out().contains("execution order"), plain.out());
        CliRunner.Result r = CliRunner.run(
                TestModels.mainFor(TestModels.quantizedConv()),
                "inspect",
                "--nodes",
                modelFile().toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("1  CONV_2D v3  in #3 conv1, #4 conv2/weights, -  out #5 conv2"), r.out());
        assertTrue(r.out().contains("2  SOFTMAX v2  in #5 conv2  out #6 probs"), r.out());
    }
}
