package io.quanta.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.report.RunResult;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The operator's decisions on observations that do not come from a cluster: what {@code job run} feeds them
 * (the operator's side, fabric8 Job/Pod objects, is covered by ReconciliationTest).
 */
class RunClassifierTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2024-05-01T10:02:00Z");

    @Test
    void aSucceededLocalRunReadsScalesFromTheResultLine() {
        RunResult result = Fixtures.successResult();
        RunObservation seen =
                LocalJobRun.observation("vww-g1-abcde", new JobRunner.Finished(result, null, false), T0, T1);
        RunState state = RunClassifier.classify(seen);
        assertEquals(Phase.Succeeded, state.phase());
        assertEquals("Completed", state.reason());
        assertEquals("2024-05-01T10:00:00Z", state.startTime());
        assertEquals("2024-05-01T10:02:00Z", state.completionTime());
        assertNotNull(state.result().scales(), "the termination message drops scales; the log line restores them");
        assertEquals(result.scales().totalTensors(), state.result().scales().totalTensors());

        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        QuantizationJobStatus status = StatusCalculator.next(qj, "vww-g1-abcde", state, T1);
        assertEquals(Phase.Succeeded, status.phase);
        assertEquals(0.01, status.accuracy.drop);
    }

    @Test
    void aFailedLocalRunIsTheEnginesFailure() {
        RunResult failure = RunResult.failure(RunResult.Stage.QUANTIZE, "UnsupportedOps", "CAST has no int8 kernel");
        RunObservation seen = LocalJobRun.observation("j", new JobRunner.Finished(failure, null, false), T0, T1);
        assertEquals(
                EngineContract.EXIT_FAILED, seen.attempt().engine().terminated().exitCode());
        RunState state = RunClassifier.classify(seen);
        assertEquals(Phase.Failed, state.phase());
        assertEquals("UnsupportedOps", state.reason());
        assertEquals("CAST has no int8 kernel", state.message());
    }

    @Test
    void theLogIsReadOnlyWhenASuccessCarriesScales() {
        AtomicInteger reads = new AtomicInteger();
        RunResult noScales = Fixtures.successResult().withScales(null);
        RunObservation.Terminated exited = new RunObservation.Terminated(
                0, "Completed", io.quanta.report.ResultCodec.toTerminationMessage(noScales));
        RunObservation seen = new RunObservation(
                "j",
                null,
                new RunObservation.End(RunObservation.Ending.COMPLETE, null, null, null),
                new RunObservation.Attempt(
                        "p", "Succeeded", new RunObservation.Engine(null, null, null, false, exited), () -> {
                            reads.incrementAndGet();
                            return java.util.Optional.empty();
                        }));
        assertEquals(Phase.Succeeded, RunClassifier.classify(seen).phase());
        assertEquals(0, reads.get());
    }

    @Test
    void anImageThatNeverPullsFailsAndStopsTheJob() {
        RunObservation seen = new RunObservation(
                "j",
                null,
                null,
                new RunObservation.Attempt(
                        "p",
                        "Pending",
                        new RunObservation.Engine("img:1", "ErrImagePull", "not found", false, null),
                        java.util.Optional::empty));
        RunState state = RunClassifier.classify(seen);
        assertEquals(Phase.Failed, state.phase());
        assertEquals("ImagePullFailed", state.reason());
        assertTrue(state.stopJob());
        assertTrue(state.message().contains("img:1"), state.message());
    }

    @Test
    void aJobThatEndedBeforeItsPodReportedWaits() {
        RunObservation seen = new RunObservation(
                "j",
                null,
                new RunObservation.End(RunObservation.Ending.COMPLETE, null, null, null),
                new RunObservation.Attempt(
                        "p",
                        "Running",
                        new RunObservation.Engine(null, null, null, true, null),
                        java.util.Optional::empty));
        RunState state = RunClassifier.classify(seen);
        assertEquals(Phase.Running, state.phase());
        assertEquals("EngineFinishing", state.reason());
        assertFalse(state.stopJob());
        assertNull(state.result());
    }
}
