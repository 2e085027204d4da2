package io.quanta.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.job.RunObservation.Attempt;
import io.quanta.job.RunObservation.End;
import io.quanta.job.RunObservation.Ending;
import io.quanta.job.RunObservation.Engine;
import io.quanta.job.RunObservation.Terminated;
import io.quanta.job.ShardSchedule.Launch;
import io.quanta.job.ShardSchedule.Step;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.operator.api.QuantizationSpec;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The phase model of a sharded run, on observations written by hand (no cluster, no fabric8 objects). */
class ShardScheduleTest {
    private static final ShardPlan THREE = ShardPlan.of(spec(3));

    private static QuantizationJobSpec spec(int parallelism) {
        QuantizationJobSpec spec = Fixtures.quantizationJob("r8", 1).getSpec();
        spec.parallelism = parallelism;
        return spec;
    }

    // ---- observations ----

    private static RunObservation running(String name) {
        return new RunObservation(
                name,
                "2024-05-01T10:00:00Z",
                null,
                new Attempt(name + "-p", "Running", new Engine("img", null, null, true, null), Optional::empty));
    }

    private static RunObservation pending(String name) {
        return new RunObservation(
                name,
                null,
                null,
                new Attempt(
                        name + "-p",
                        "Pending",
                        new Engine("img", "ContainerCreating", null, false, null),
                        Optional::empty));
    }

    private static RunObservation complete(String name, String terminationMessage) {
        return new RunObservation(
                name,
                "2024-05-01T10:00:00Z",
                new End(Ending.COMPLETE, "2024-05-01T10:05:00Z", null, null),
                new Attempt(
                        name + "-p",
                        "Succeeded",
                        new Engine("img", null, null, false, new Terminated(0, "Completed", terminationMessage)),
                        Optional::empty));
    }

    private static RunObservation failed(String name, RunResult result) {
        Terminated t = new Terminated(2, "Error", ResultCodec.toTerminationMessage(result));
        return new RunObservation(
                name,
                "2024-05-01T09:59:00Z",
                new End(Ending.FAILED, "2024-05-01T10:05:00Z", "BackoffLimitExceeded", null),
                new Attempt(name + "-p", "Failed", new Engine("img", null, null, false, t), Optional::empty));
    }

    /** A shard whose pod failed once while the Job still has retries left. */
    private static RunObservation retrying(String name) {
        Terminated t = new Terminated(137, "Error", "");
        return new RunObservation(
                name,
                "2024-05-01T10:00:00Z",
                null,
                new Attempt(name + "-p", "Failed", new Engine("img", null, null, false, t), Optional::empty));
    }

    private static Map<EnginePhase, Map<Integer, RunObservation>> seen(Object... phaseThenShards) {
        Map<EnginePhase, Map<Integer, RunObservation>> m = new EnumMap<>(EnginePhase.class);
        for (int i = 0; i < phaseThenShards.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<RunObservation> shards = (List<RunObservation>) phaseThenShards[i + 1];
            Map<Integer, RunObservation> byIndex = new TreeMap<>();
            for (int s = 0; s < shards.size(); s++) {
                if (shards.get(s) != null) {
                    byIndex.put(s, shards.get(s));
                }
            }
            m.put((EnginePhase) phaseThenShards[i], byIndex);
        }
        return m;
    }

    private static List<RunObservation> done(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> complete("s" + i, ""))
                .toList();
    }

    // ---- the plan ----

    @Test
    void planFollowsTheSpec() {
        assertEquals(
                List.of(
                        EnginePhase.PREPARE,
                        EnginePhase.CALIBRATE,
                        EnginePhase.QUANTIZE,
                        EnginePhase.EVALUATE,
                        EnginePhase.MERGE),
                THREE.phases());
        assertEquals(3, THREE.podsOf(EnginePhase.CALIBRATE));
        assertEquals(1, THREE.podsOf(EnginePhase.QUANTIZE));

        QuantizationJobSpec noEval = spec(2);
        noEval.evaluation = null;
        assertEquals(
                List.of(EnginePhase.PREPARE, EnginePhase.CALIBRATE, EnginePhase.QUANTIZE, EnginePhase.MERGE),
                ShardPlan.of(noEval).phases());

        QuantizationJobSpec dynamic = spec(2);
        dynamic.quantization.mode = QuantizationSpec.Mode.DYNAMIC_RANGE;
        assertEquals(
                List.of(EnginePhase.PREPARE, EnginePhase.QUANTIZE, EnginePhase.EVALUATE, EnginePhase.MERGE),
                ShardPlan.of(dynamic).phases(),
                "a mode without calibration has no calibration phase");

        assertTrue(ShardPlan.sharded(spec(2)));
        assertTrue(!ShardPlan.sharded(spec(1)));
    }

    // ---- the phases in order ----

    @Test
    void aNewRunStartsWithThePreparation() {
        Step step = ShardSchedule.decide(THREE, Map.of());
        assertEquals(List.of(new Launch(EnginePhase.PREPARE, List.of(0))), step.launch());
        assertEquals(Phase.Pending, step.state().phase());
        assertEquals("preparation 0/1", step.progress());
        assertNull(step.stop());
    }

    @Test
    void aPendingPreparationIsPendingWithItsPodsReason() {
        Step step = ShardSchedule.decide(THREE, seen(EnginePhase.PREPARE, List.of(pending("prep"))));
        assertEquals(List.of(), step.launch());
        assertEquals(Phase.Pending, step.state().phase());
        assertEquals("PodPending", step.state().reason());
        assertTrue(
                step.state().message().startsWith("preparation 0/1; "),
                step.state().message());
    }

    @Test
    void eachPhaseStartsAllItsShardsOnceThePreviousOneIsDone() {
        Step calibrate = ShardSchedule.decide(THREE, seen(EnginePhase.PREPARE, done(1)));
        assertEquals(List.of(new Launch(EnginePhase.CALIBRATE, List.of(0, 1, 2))), calibrate.launch());
        assertEquals(Phase.Running, calibrate.state().phase());
        assertEquals("Calibrating", calibrate.state().reason());
        assertEquals("calibration 0/3 shards", calibrate.progress());

        Step quantize = ShardSchedule.decide(THREE, seen(EnginePhase.PREPARE, done(1), EnginePhase.CALIBRATE, done(3)));
        assertEquals(List.of(new Launch(EnginePhase.QUANTIZE, List.of(0))), quantize.launch());
        assertEquals("quantization 0/1", quantize.progress());

        Step evaluate = ShardSchedule.decide(
                THREE,
                seen(EnginePhase.PREPARE, done(1), EnginePhase.CALIBRATE, done(3), EnginePhase.QUANTIZE, done(1)));
        assertEquals(List.of(new Launch(EnginePhase.EVALUATE, List.of(0, 1, 2))), evaluate.launch());
        assertEquals("Evaluating", evaluate.state().reason());

        Step merge = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE, done(1),
                        EnginePhase.CALIBRATE, done(3),
                        EnginePhase.QUANTIZE, done(1),
                        EnginePhase.EVALUATE, done(3)));
        assertEquals(List.of(new Launch(EnginePhase.MERGE, List.of(0))), merge.launch());
        assertEquals("Merging", merge.state().reason());
    }

    @Test
    void progressCountsTheShardsDone() {
        Step step = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE, done(1),
                        EnginePhase.CALIBRATE, List.of(complete("c0", ""), running("c1"), complete("c2", ""))));
        assertEquals(List.of(), step.launch());
        assertEquals(Phase.Running, step.state().phase());
        assertEquals("calibration 2/3 shards", step.progress());
        assertEquals("calibration 2/3 shards", step.state().message(), "a running shard needs no further word");
        assertEquals("2024-05-01T10:00:00Z", step.state().startTime());
    }

    @Test
    void aShardWhoseJobIsMissingIsCreatedAgain() {
        Step step = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE,
                        done(1),
                        EnginePhase.CALIBRATE,
                        java.util.Arrays.asList(running("c0"), null, null)));
        assertEquals(List.of(new Launch(EnginePhase.CALIBRATE, List.of(1, 2))), step.launch());
        assertEquals("calibration 0/3 shards", step.progress());
    }

    @Test
    void aShardRetryingWithinItsBackoffLimitKeepsTheRunRunning() {
        Step step = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE, done(1),
                        EnginePhase.CALIBRATE, done(3),
                        EnginePhase.QUANTIZE, done(1),
                        EnginePhase.EVALUATE, List.of(running("e0"), retrying("e1"), complete("e2", ""))));
        assertEquals(Phase.Running, step.state().phase());
        assertEquals("Evaluating", step.state().reason());
        assertTrue(
                step.state().message().startsWith("evaluation 1/3 shards; shard 1: attempt in pod e1-p failed"),
                step.state().message());
        assertNull(step.stop());
    }

    // ---- endings ----

    @Test
    void theMergesResultIsTheRunsResult() {
        RunResult result = Fixtures.successResult();
        Step step = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE, done(1),
                        EnginePhase.CALIBRATE, done(3),
                        EnginePhase.QUANTIZE, done(1),
                        EnginePhase.EVALUATE, done(3),
                        EnginePhase.MERGE, List.of(complete("m", ResultCodec.toTerminationMessage(result)))));
        assertEquals(List.of(), step.launch());
        assertEquals(Phase.Succeeded, step.state().phase());
        assertEquals(result.output(), step.state().result().output());
        assertEquals(result.accuracy(), step.state().result().accuracy());
        assertEquals("2024-05-01T10:00:00Z", step.state().startTime());
        assertEquals("2024-05-01T10:05:00Z", step.state().completionTime());
        assertEquals("merge 1/1", step.progress());
    }

    @Test
    void aMergeWithoutResultFailsLikeASinglePodWithout() {
        Step step = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE, done(1),
                        EnginePhase.CALIBRATE, done(3),
                        EnginePhase.QUANTIZE, done(1),
                        EnginePhase.EVALUATE, done(3),
                        EnginePhase.MERGE, List.of(complete("m", ""))));
        assertEquals(Phase.Failed, step.state().phase());
        assertEquals("ResultMissing", step.state().reason());
    }

    @Test
    void aShardThatFailsForGoodFailsTheRunWithItsReasonStopsItsPhaseAndCleansUp() {
        RunResult oom = RunResult.failure(RunResult.Stage.EVALUATE, "DatasetUnreadable", "sample 17 is not an image");
        Step step = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE, done(1),
                        EnginePhase.CALIBRATE, List.of(running("c0"), failed("c1", oom), complete("c2", ""))));
        assertEquals(Phase.Failed, step.state().phase());
        assertEquals("DatasetUnreadable", step.state().reason());
        assertEquals(
                "calibration shard 1 (of 3) failed: sample 17 is not an image",
                step.state().message());
        assertEquals(EnginePhase.CALIBRATE, step.stop(), "the shards still running are stopped");
        assertEquals(List.of(new Launch(EnginePhase.CLEANUP, List.of(0))), step.launch());
        assertEquals("2024-05-01T09:59:00Z", step.state().startTime());
    }

    @Test
    void keepIntermediateSkipsTheCleanup() {
        QuantizationJobSpec keep = spec(3);
        keep.keepIntermediate = true;
        RunResult failure = RunResult.failure(RunResult.Stage.QUANTIZE, "UnsupportedOps", "CAST");
        Step step = ShardSchedule.decide(
                ShardPlan.of(keep),
                seen(
                        EnginePhase.PREPARE, done(1),
                        EnginePhase.CALIBRATE, done(3),
                        EnginePhase.QUANTIZE, List.of(failed("q", failure))));
        assertEquals(Phase.Failed, step.state().phase());
        assertEquals("UnsupportedOps", step.state().reason());
        assertEquals("quantization failed: CAST", step.state().message());
        assertEquals(List.of(), step.launch());
    }

    @Test
    void anUnwritableWorkLocationFailsInThePreparationBeforeAnyShard() {
        RunResult refused = RunResult.failure(
                RunResult.Stage.LOAD, "WorkLocationNotWritable", "cannot write /out/m.tflite.work/uid/");
        Step step = ShardSchedule.decide(THREE, seen(EnginePhase.PREPARE, List.of(failed("prep", refused))));
        assertEquals(Phase.Failed, step.state().phase());
        assertEquals("WorkLocationNotWritable", step.state().reason());
        assertEquals(List.of(), step.launch(), "no calibration shard, and nothing to clean up");
    }

    @Test
    void theShardThatExplainsItsFailureIsReportedOverOnesTheJobControllerStopped() {
        // An Indexed Job that failed reports every unfinished index failed; the one with an engine reason is named.
        RunObservation stopped =
                new RunObservation("cal[0]", null, new End(Ending.FAILED, null, "BackoffLimitExceeded", null), null);
        RunResult reason = RunResult.failure(RunResult.Stage.CALIBRATE, "DatasetUnreadable", "bad npy");
        Step step = ShardSchedule.decide(
                THREE,
                seen(
                        EnginePhase.PREPARE,
                        done(1),
                        EnginePhase.CALIBRATE,
                        List.of(stopped, failed("c1", reason), stopped)));
        assertEquals("DatasetUnreadable", step.state().reason());
        assertTrue(
                step.state().message().startsWith("calibration shard 1 (of 3)"),
                step.state().message());
    }
}
