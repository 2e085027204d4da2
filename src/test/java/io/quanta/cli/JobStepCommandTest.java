package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import io.quanta.testing.SharedAssets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quanta job step}: the engine pod contract of docs/operator.md, environment in, result file and log line out. */
class JobStepCommandTest {
    @TempDir
    Path tmp;

    private static String model(String name) {
        return SharedAssets.floatModel(name + ".tflite").toAbsolutePath().toString();
    }

    private static String digits() {
        return SharedAssets.data("mnist_png").toAbsolutePath().toString();
    }

    /** A spec for a float-input model: pixels scaled to [0, 1]. */
    private String spec(String model, String mode, String format, String extra) {
        return spec(model, mode, format, "{\"scale\": 0.00392156862745098, \"resize\": true}", extra);
    }

    private String spec(String model, String mode, String format, String preprocessing, String extra) {
        return """
                {"model": {"uri": "%s"},
                 "calibration": {"location": {"uri": "%s"}, "format": "%s", "preprocessing": %s},
                 "quantization": {"mode": "%s", "inputType": "Float32", "outputType": "Float32", "perChannel": true},
                 "output": {"uri": "%s"}%s}
                """.formatted(model, digits(), format, preprocessing, mode, tmp.resolve("out/model_int8.tflite"), extra);
    }

    /** The AutoKeras MNIST CNN takes raw uint8 pixels and CASTs them to float: CAST has no int8 kernel. */
    private String rawPixelSpec(String mode) {
        return spec(model("autokeras_mnist_cnn_u8in_float"), mode, "Images", "{\"resize\": true}", "");
    }

    private record Step(
            CliRunner.Result cli, RunResult terminationResult, RunResult logResult, String terminationText) {}

    private Step step(String specJson) throws Exception {
        Files.createDirectories(tmp.resolve("out"));
        Path termination = tmp.resolve("termination-log");
        Map<String, String> env = new HashMap<>();
        env.put("QUANTA_JOB_SPEC", specJson);
        env.put("QUANTA_JOB_NAME", "digits");
        env.put("QUANTA_JOB_NAMESPACE", "ml");
        env.put("QUANTA_JOB_GENERATION", "3");
        env.put("QUANTA_RESULT_FILE", termination.toString());
        env.put("QUANTA_WORK_DIR", tmp.resolve("work").toString());
        CliRunner.Result r = CliRunner.run(new Main(env), "job", "step");
        String text = Files.readString(termination, StandardCharsets.UTF_8);
        List<String> lines = r.out().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith(ResultCodec.LOG_LINE_PREFIX), "the last stdout line is the result: " + r);
        RunResult fromLog = ResultCodec.parseLog(r.out()).orElseThrow();
        RunResult fromFile = ResultCodec.parseTerminationMessage(text).orElseThrow();
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= ResultCodec.TERMINATION_MESSAGE_LIMIT);
        return new Step(r, fromFile, fromLog, text);
    }

    @Test
    void succeededRunWritesModelTerminationMessageAndLogLine() throws Exception {
        Step s = step(spec(
                model("ethosu85_mnist_cnn_float"),
                "Int8Only",
                "Images",
                ", \"evaluation\": {\"location\": {\"uri\": \"" + digits()
                        + "\"}, \"format\": \"Images\", \"labels\": \"FileName\"}"));
        assertEquals(0, s.cli().exitCode(), s.cli().toString());
        RunResult r = s.terminationResult();
        assertTrue(r.succeeded(), s.terminationText());
        Path written = tmp.resolve("out/model_int8.tflite");
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(written)));
        assertEquals(written.toString(), r.output().location());
        assertEquals(sha, r.output().sha256());
        assertEquals(Files.size(written), r.output().sizeBytes());
        assertTrue(Files.exists(tmp.resolve("out/model_int8.report.json")));
        assertEquals(10, r.accuracy().samples(), "ten digits labelled by their file names");
        assertTrue(r.accuracy().floatAccuracy() >= 0.9, "float model on its own sample digits: " + r.accuracy());
        assertTrue(r.sizes().ratio() < 0.3, "int8 is about a quarter of float: " + r.sizes());
        assertTrue(r.completed(RunResult.Stage.EVALUATE));
        // The log line carries every quantized tensor's scale; the termination message only their count.
        RunResult log = s.logResult();
        assertTrue(log.scales().tensors().size() > 5, "scale stats per tensor: " + log.scales());
        assertEquals(log.scales().totalTensors(), r.scales().totalTensors());
        assertTrue(log.scales().tensors().stream().allMatch(t -> t.scale() > 0));
        assertTrue(s.cli().out().contains("ml/digits generation 3"), s.cli().out());
        // The pod's log says what was done to each dataset: ten 28x28 gray digits, scaled, nothing resized.
        List<String> lines = s.cli().datasetLines();
        assertEquals(2, lines.size(), s.cli().toString());
        assertEquals(
                "quanta step: dataset calibration (" + digits() + "): 10 images: 10 grayscale 28x28x1 uint8 -> "
                        + "1x28x28x1 float32: normalize x/255.0, uint8->float32; resize applied to 0 of 10 used; "
                        + "using all 10",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("quanta step: dataset evaluation (" + digits()), lines.get(1));
    }

    /** The calibration set swapped for CIFAR-10 arrays ([932,32,32,3] uint8), 20 of them, with this preprocessing. */
    private String cifarSpec(String preprocessing) {
        String cifar = SharedAssets.data("cifar10/cifar10_train932_u8.npy")
                .toAbsolutePath()
                .toString();
        return spec(model("ethosu85_mnist_cnn_float"), "Int8", "Npy", preprocessing, "")
                .replace(digits(), cifar)
                .replace("\"format\": \"Npy\",", "\"format\": \"Npy\", \"samples\": 20,");
    }

    @Test
    void cifarArraysForAnMnistModelAreDatasetInvalidUnlessPreprocessingResize() throws Exception {
        Step refused = step(cifarSpec("{\"scale\": 0.00392156862745098}"));
        assertEquals(2, refused.cli().exitCode(), refused.cli().toString());
        RunResult r = refused.terminationResult();
        assertEquals("DatasetInvalid", r.errorCode());
        assertEquals(RunResult.Stage.LOAD, r.failedStage());
        assertTrue(
                r.message().contains("samples are 32x32x3 uint8 but model input")
                        && r.message().contains("[1, 28, 28, 1]")
                        && r.message().contains("preprocessing.resize: true"),
                r.message());

        Step resized = step(cifarSpec("{\"scale\": 0.00392156862745098, \"resize\": true}"));
        assertEquals(0, resized.cli().exitCode(), resized.cli().toString());
        assertTrue(resized.terminationResult().succeeded(), resized.terminationText());
        List<String> lines = resized.cli().datasetLines();
        assertEquals(1, lines.size(), resized.cli().toString());
        assertTrue(
                lines.get(0)
                                .contains("932 samples of 32x32x3 uint8 -> 1x28x28x1 float32: resize 32x32x3->28x28x1, "
                                        + "rgb->grayscale")
                        && lines.get(0).endsWith("; using 20 of 932 (evenly)"),
                lines.get(0));
    }

    @Test
    void moreSamplesThanTheDatasetHoldsIsDatasetInvalid() throws Exception {
        String json = spec(model("ethosu85_mnist_cnn_float"), "Int8Only", "Images", "")
                .replace("\"format\": \"Images\",", "\"format\": \"Images\", \"samples\": 11,");
        Step s = step(json);
        assertEquals(2, s.cli().exitCode(), s.cli().toString());
        RunResult r = s.terminationResult();
        assertEquals("DatasetInvalid", r.errorCode());
        assertTrue(
                r.message().contains("calibration.samples")
                        && r.message().contains("holds 10 samples, fewer than the 11"),
                r.message());
    }

    @Test
    void int8OnlyWithAnUnquantizableOpFailsListingIt() throws Exception {
        Step s = step(rawPixelSpec("Int8Only"));
        assertEquals(2, s.cli().exitCode(), s.cli().toString());
        RunResult r = s.terminationResult();
        assertFalse(r.succeeded());
        assertEquals("UnsupportedOps", r.errorCode());
        assertEquals(RunResult.Stage.QUANTIZE, r.failedStage());
        assertTrue(r.message().contains("CAST"), r.message());
        assertEquals(List.of("CAST"), r.coverage().unsupportedOps());
        assertFalse(Files.exists(tmp.resolve("out/model_int8.tflite")), "no output for a failed run");
        assertTrue(s.cli().err().contains("UnsupportedOps"), s.cli().err());
    }

    @Test
    void fallbackModeKeepsTheOpFloatAndSucceeds() throws Exception {
        Step s = step(rawPixelSpec("Int8"));
        assertEquals(0, s.cli().exitCode(), s.cli().toString());
        assertEquals(List.of("CAST"), s.terminationResult().coverage().unsupportedOps());
        assertNull(s.terminationResult().accuracy(), "no spec.evaluation, no accuracy");
    }

    @Test
    void missingModelIsModelNotFound() throws Exception {
        Step s = step(spec(tmp.resolve("nowhere/model.tflite").toString(), "Int8Only", "Images", ""));
        assertEquals(2, s.cli().exitCode(), s.cli().toString());
        assertEquals("ModelNotFound", s.terminationResult().errorCode());
        assertEquals(RunResult.Stage.LOAD, s.terminationResult().failedStage());
        assertTrue(
                s.terminationResult().message().contains("nowhere/model.tflite"),
                s.terminationResult().message());
    }

    @Test
    void wavFormatOnAnImageFolderIsDatasetInvalid() throws Exception {
        Step s = step(spec(model("ethosu85_mnist_cnn_float"), "Int8Only", "Wav", ""));
        assertEquals(2, s.cli().exitCode(), s.cli().toString());
        assertEquals("DatasetInvalid", s.terminationResult().errorCode());
        assertTrue(
                s.terminationResult().message().endsWith("mnist_png: holds no .wav files"),
                s.terminationResult().message());
    }

    @Test
    void missingDatasetIsDatasetNotFound() throws Exception {
        String json = spec(model("ethosu85_mnist_cnn_float"), "Int8Only", "Images", "")
                .replace(digits(), tmp.resolve("no-data").toString());
        Step s = step(json);
        assertEquals(2, s.cli().exitCode(), s.cli().toString());
        assertEquals("DatasetNotFound", s.terminationResult().errorCode());
    }

    @Test
    void malformedSpecIsInvalidSpec() throws Exception {
        Step s = step("{\"model\": 42");
        assertEquals(2, s.cli().exitCode(), s.cli().toString());
        assertEquals("InvalidSpec", s.terminationResult().errorCode());
        String message = s.terminationResult().message();
        assertTrue(
                !message.isBlank() && !message.contains("\n") && !message.contains("Exception"),
                "a one-line message without Java exception names: " + message);
    }
}
