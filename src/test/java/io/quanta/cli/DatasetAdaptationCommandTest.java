package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quanta.testing.SharedAssets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent adaptation, as a new user meets it: an MNIST model ([1,28,28,1]) given CIFAR-10 arrays ([932,32,32,3]
 * uint8), more samples than a dataset holds, and the line every run prints for each dataset.
 */
class DatasetAdaptationCommandTest {
    @TempDir
    Path tmp;

    static final String MODEL = QuantizeCommandTest.MODEL;
    static final String MNIST = QuantizeCommandTest.IMAGES;
    static final String CIFAR =
            SharedAssets.data("cifar10/cifar10_train932_u8.npy").toString();

    private CliRunner.Result quantize(String data, String... flags) {
        List<String> args = new java.util.ArrayList<>(
                List.of("quantize", MODEL, "--dataset", data, "--normalize", "x/255", "--out", out().toString()));
        args.addAll(List.of(flags));
        return CliRunner.run(new Main(), args.toArray(String[]::new));
    }

    private Path out() {
        return tmp.resolve("mlp_int8.tflite");
    }

    private JsonNode report() throws IOException {
        return new ObjectMapper().readTree(tmp.resolve("mlp_int8.report.json").toFile());
    }

    private static void oneLineError(CliRunner.Result r, String... expected) {
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "'" + e + "' in " + r);
        }
    }

    @Test
    void mnistModelWithCifarArraysIsRefusedWithoutResize() {
        CliRunner.Result r = quantize(CIFAR, "--samples", "20");
        oneLineError(
                r, "samples are 32x32x3 uint8 but model input", "float32[1, 28, 28, 1] takes 28x28x1", "pass --resize");
        assertEquals(List.of(), r.datasetLines(), "refused before any conversion: " + r);
        oneLineError(
                CliRunner.run(new Main(), "eval", MODEL, MODEL, "--dataset", CIFAR, "--samples", "5"),
                "samples are 32x32x3 uint8",
                "pass --resize");
    }

    @Test
    void mnistModelWithCifarArraysAndResizeSaysAndReportsTheResize() throws IOException {
        CliRunner.Result r = quantize(CIFAR, "--resize", "--samples", "20", "--no-eval");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(
                List.of("quanta quantize: dataset calibration (" + CIFAR + "): 932 samples of 32x32x3 uint8 -> "
                        + "1x28x28x1 float32: resize 32x32x3->28x28x1, rgb->grayscale, normalize x/255.0, "
                        + "uint8->float32; using 20 of 932 (evenly)"),
                r.datasetLines());
        JsonNode datasets = report().get("datasets");
        assertEquals(1, datasets.size(), datasets.toString());
        JsonNode d = datasets.get(0);
        assertEquals("calibration", d.get("role").asText());
        assertEquals(932, d.get("samples").get("available").asInt());
        assertEquals(20, d.get("samples").get("asked").asInt());
        assertEquals(20, d.get("samples").get("used").asInt());
        JsonNode p = d.get("preprocessing").get(0);
        assertEquals("[32,32,3]", p.get("resize").get("from").toString());
        assertEquals("[28,28,1]", p.get("resize").get("to").toString());
        assertEquals("rgb->grayscale", p.get("colour").asText());
        assertEquals("uint8->float32", p.get("dtype").asText());
        assertEquals("x/255.0", p.get("normalization").asText());
        assertEquals("[32,32,3]", p.get("sampleShape").toString());
        assertEquals("[1,28,28,1]", p.get("inputShape").toString());
    }

    @Test
    void moreSamplesThanTheDatasetHoldsIsAOneLineError() {
        oneLineError(
                quantize(MNIST, "--samples", "20000"),
                "calibration samples (--samples",
                "holds 10000 samples, fewer than the 20000 asked for");
        oneLineError(
                quantize(MNIST, "--samples", "10", "--eval-samples", "10001"),
                "evaluation samples (--eval-samples",
                "fewer than the 10001 asked for");
        oneLineError(
                CliRunner.run(new Main(), "eval", MODEL, MODEL, "--dataset", MNIST, "--samples", "20000"),
                "evaluation samples (--samples): ",
                "fewer than the 20000 asked for");
    }

    @Test
    void aNormalRunPrintsOneLinePerDatasetAndReportsIt() throws IOException {
        CliRunner.Result r = quantize(MNIST, "--samples", "30", "--eval-samples", "40", "--input-type", "int8");
        assertEquals(0, r.exitCode(), r.toString());
        String mnist = "(" + MNIST + "): 10000 samples of 28x28 uint8 -> 1x28x28x1 ";
        List<String> lines = r.datasetLines();
        assertEquals(3, lines.size(), r.toString());
        assertEquals(
                "quanta quantize: dataset calibration " + mnist + "float32: normalize x/255.0, uint8->float32; "
                        + "using 30 of 10000 (evenly)",
                lines.get(0));
        assertEquals(
                "quanta quantize: dataset evaluation " + mnist + "float32: normalize x/255.0, uint8->float32; "
                        + "using 40 of 10000 (evenly)",
                lines.get(1));
        // the int8 input of the quantized model takes the same pixels quantized: said too
        assertTrue(
                lines.get(2)
                        .startsWith("quanta quantize: dataset evaluation of the quantized model " + mnist
                                + "int8: normalize x/255.0, quantize to int8 (scale "),
                lines.get(2));
        JsonNode datasets = report().get("datasets");
        assertEquals(3, datasets.size(), datasets.toString());
        assertEquals(
                lines.get(0),
                "quanta quantize: " + datasets.get(0).get("summary").asText());
        assertEquals("evenly", datasets.get(1).get("samples").get("selection").asText());
        assertEquals(40, datasets.get(1).get("samples").get("used").asInt());
        assertTrue(datasets.get(2).get("preprocessing").get(0).has("scale"), datasets.toString());
    }

    @Test
    void resizeAndNoResizeContradict() {
        oneLineError(quantize(MNIST, "--resize", "--no-resize"), "--resize and --no-resize contradict each other");
    }
}
