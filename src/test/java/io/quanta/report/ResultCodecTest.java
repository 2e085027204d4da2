package io.quanta.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResultCodecTest {

    private static RunResult success(int tensorCount) {
        List<RunResult.TensorScale> tensors = IntStream.range(0, tensorCount)
                .mapToObj(i -> new RunResult.TensorScale(
                        "model/block_" + i + "/conv/Relu6;model/block_" + i + "/BatchNorm/FusedBatchNormV3",
                        RunResult.TensorScale.Kind.ACTIVATION,
                        0,
                        6,
                        6.0 / 255,
                        6.0 / 255,
                        -128,
                        1))
                .toList();
        return RunResult.builder()
                .outcome(RunResult.Outcome.SUCCEEDED)
                .message("ok")
                .output(new RunResult.Output("/out/m.tflite", 1000, "00".repeat(32)))
                .sizes(new RunResult.Sizes(4000, 1000, 0.25))
                .coverage(new RunResult.Coverage(30, 30, 0, List.of()))
                .accuracy(new RunResult.Accuracy(0.9, 0.89, 0.01, 0.98, 50))
                .scales(RunResult.ScaleStats.of(tensors))
                .build();
    }

    @Test
    void terminationMessageDropsTheTensorListButKeepsItsCount() {
        RunResult result = success(300);
        String message = ResultCodec.toTerminationMessage(result);
        assertTrue(message.getBytes(StandardCharsets.UTF_8).length <= ResultCodec.TERMINATION_MESSAGE_LIMIT);
        RunResult read = ResultCodec.parseTerminationMessage(message).orElseThrow();
        assertEquals(300, read.scales().totalTensors());
        assertTrue(read.scales().tensors().isEmpty());
        assertEquals(result.accuracy(), read.accuracy());
        assertEquals(result.output(), read.output());
        assertEquals(result.sizes(), read.sizes());
    }

    @Test
    void logLineCarriesTheCappedTensorList() {
        RunResult result = success(300);
        assertEquals(RunResult.ScaleStats.MAX_TENSORS, result.scales().tensors().size());
        assertTrue(result.scales().truncated());
        String log = "step 1\nstep 2\n" + ResultCodec.toLogLine(result) + "\n";
        RunResult read = ResultCodec.parseLog(log).orElseThrow();
        assertEquals(result, read);
        assertFalse(ResultCodec.toLogLine(result).contains("\n"));
    }

    @Test
    void longEngineMessagesAreShortenedToFit() {
        String huge = "unsupported op at node 1234 ".repeat(400);
        List<String> ops = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ops.add("CUSTOM_OP_" + i);
        }
        RunResult failure = RunResult.builder()
                .outcome(RunResult.Outcome.FAILED)
                .failedStage(RunResult.Stage.QUANTIZE)
                .errorCode("UnsupportedOps")
                .message(huge)
                .coverage(new RunResult.Coverage(900, 500, 0, ops))
                .build();
        String message = ResultCodec.toTerminationMessage(failure);
        assertTrue(
                message.getBytes(StandardCharsets.UTF_8).length <= ResultCodec.TERMINATION_MESSAGE_LIMIT,
                "length " + message.length());
        RunResult read = ResultCodec.parseTerminationMessage(message).orElseThrow();
        assertEquals("UnsupportedOps", read.errorCode());
        assertEquals(RunResult.Stage.QUANTIZE, read.failedStage());
        assertTrue(read.message().startsWith("unsupported op at node 1234"));
        assertEquals("CUSTOM_OP_0", read.coverage().unsupportedOps().get(0));
    }

    @Test
    void nonResultTextIsNotAResult() {
        assertTrue(
                ResultCodec.parseTerminationMessage("Exception in thread main").isEmpty());
        assertTrue(ResultCodec.parseTerminationMessage("{\"foo\":1}").isEmpty());
        assertTrue(ResultCodec.parseTerminationMessage(null).isEmpty());
        assertTrue(ResultCodec.parseLog("no result here\n").isEmpty());
    }

    @Test
    void stagesBeforeTheFailedOneCountAsCompleted() {
        RunResult failed = RunResult.failure(RunResult.Stage.EVALUATE, "DatasetInvalid", "bad labels");
        assertTrue(failed.completed(RunResult.Stage.CALIBRATE));
        assertTrue(failed.completed(RunResult.Stage.QUANTIZE));
        assertFalse(failed.completed(RunResult.Stage.EVALUATE));
        assertFalse(failed.completed(RunResult.Stage.WRITE));
    }
}
