package io.quanta.operator.reconciler;

import static io.quanta.operator.Fixtures.pod;
import static io.quanta.operator.Fixtures.running;
import static io.quanta.operator.Fixtures.terminated;
import static io.quanta.operator.Fixtures.withCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.EnginePhase;
import io.quanta.job.JobNames;
import io.quanta.job.RunObservation;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.dependent.EngineJobBuilder.PhaseJob;
import io.quanta.operator.dependent.JobLabels;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A sharded run (spec.parallelism 3) through the reconciler's decision, on the Jobs and pods a cluster would show. */
class ShardedReconciliationTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:10:00Z");
    private static final Function<Pod, Optional<String>> NO_LOG = p -> Optional.empty();
    private static final String WORK = ShardedReconciliation.workLocation(sharded(1));

    private static QuantizationJob sharded(long generation) {
        QuantizationJob qj = Fixtures.quantizationJob("r8", generation);
        qj.getSpec().parallelism = 3;
        return qj;
    }

    private static Decision decide(QuantizationJob qj, List<Job> jobs, List<Pod> pods, boolean indexed) {
        return Reconciliation.decide(qj, jobs, pods, NO_LOG, Fixtures.DEFAULTS, indexed, NOW);
    }

    /** The Jobs of {@code phase} as the API server returns them (uid, start time), not finished. */
    private static List<Job> created(QuantizationJob qj, EnginePhase phase, boolean indexed) {
        return PhaseJob.of(phase, 3, List.of(0, 1, 2), indexed, WORK).stream()
                .map(p -> {
                    Job job = EngineJobBuilder.build(qj, Fixtures.DEFAULTS, p);
                    job.getMetadata().setUid("uid-" + job.getMetadata().getName());
                    job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
                    job.getStatus().setStartTime("2024-05-01T10:00:00Z");
                    return job;
                })
                .toList();
    }

    private static List<Job> complete(List<Job> jobs) {
        return jobs.stream().map(j -> withCondition(j, "Complete", null, null)).toList();
    }

    private static List<String> names(List<Job> jobs) {
        return jobs.stream().map(j -> j.getMetadata().getName()).toList();
    }

    @SafeVarargs
    private static List<Job> all(List<Job>... phases) {
        return Stream.of(phases).flatMap(List::stream).toList();
    }

    @Test
    void theFirstJobIsThePreparationAndWaitsForAdmission() {
        QuantizationJob qj = sharded(1);
        Decision d = decide(qj, List.of(), List.of(), false);
        Job prepare = d.jobToCreate().orElseThrow();
        assertEquals(JobNames.jobName(qj) + "-prep", prepare.getMetadata().getName());
        assertEquals(List.of(), d.phaseJobs());
        assertEquals(Phase.Pending, d.status().phase);
        assertEquals("preparation 0/1", d.status().progress);
        assertEquals(JobNames.jobName(qj), d.status().jobName);
    }

    @Test
    void afterThePreparationTheCalibrationShardsStartWithoutAskingTheQueueAgain() {
        QuantizationJob qj = sharded(1);
        List<Job> prepare = complete(created(qj, EnginePhase.PREPARE, false));
        Decision legacy = decide(qj, prepare, List.of(), false);
        assertTrue(legacy.jobToCreate().isEmpty());
        String run = JobNames.jobName(qj);
        assertEquals(List.of(run + "-cal-0", run + "-cal-1", run + "-cal-2"), names(legacy.phaseJobs()));
        assertEquals("calibration 0/3 shards", legacy.status().progress);
        assertEquals(Phase.Running, legacy.status().phase);
        assertEquals("Calibrating", legacy.event().orElseThrow().reason());

        Decision indexed = decide(qj, prepare, List.of(), true);
        assertEquals(List.of(run + "-cal"), names(indexed.phaseJobs()));
        assertEquals("Indexed", indexed.phaseJobs().get(0).getSpec().getCompletionMode());
    }

    @Test
    void progressComesFromPerShardJobs() {
        QuantizationJob qj = sharded(1);
        List<Job> cal = new ArrayList<>(created(qj, EnginePhase.CALIBRATE, false));
        cal.set(0, withCondition(cal.get(0), "Complete", null, null));
        cal.set(2, withCondition(cal.get(2), "Complete", null, null));
        List<Pod> pods = List.of(pod(cal.get(1), "a", running()));
        Decision d = decide(qj, all(complete(created(qj, EnginePhase.PREPARE, false)), cal), pods, false);
        assertEquals(List.of(), d.phaseJobs());
        assertEquals(List.of(), d.jobsToDelete());
        assertEquals("calibration 2/3 shards", d.status().progress);
        assertTrue(d.status().message.startsWith("calibration 2/3 shards"), d.status().message);
        assertTrue(
                d.status().conditions.stream()
                        .anyMatch(c ->
                                "Ready".equals(c.getType()) && c.getMessage().contains("calibration 2/3 shards")),
                "the Ready condition's message shows the progress");
    }

    @Test
    void progressComesFromAnIndexedJobsCompletedIndexes() {
        QuantizationJob qj = sharded(1);
        Job eval = created(qj, EnginePhase.EVALUATE, true).get(0);
        eval.getStatus().setCompletedIndexes("0,2");
        Pod index1 = new PodBuilder(pod(eval, "b", running()))
                .editMetadata()
                .addToAnnotations(JobLabels.COMPLETION_INDEX, "1")
                .endMetadata()
                .build();
        List<Job> jobs = all(
                complete(created(qj, EnginePhase.PREPARE, true)),
                complete(created(qj, EnginePhase.CALIBRATE, true)),
                complete(created(qj, EnginePhase.QUANTIZE, true)),
                List.of(eval));
        Decision d = decide(qj, jobs, List.of(index1), true);
        assertEquals("evaluation 2/3 shards", d.status().progress);
        assertEquals(List.of(), d.phaseJobs());
        assertEquals(Phase.Running, d.status().phase);
    }

    @Test
    void aShardThatFailedForGoodFailsTheRunStopsTheOthersAndCleansUp() {
        QuantizationJob qj = sharded(1);
        List<Job> cal = new ArrayList<>(created(qj, EnginePhase.CALIBRATE, false));
        cal.set(1, withCondition(cal.get(1), "Failed", "BackoffLimitExceeded", "Job has reached the backoff limit"));
        RunResult failure = RunResult.failure(RunResult.Stage.CALIBRATE, "DatasetUnreadable", "bad sample 12");
        List<Pod> pods = List.of(
                pod(cal.get(0), "a", running()),
                pod(cal.get(1), "b", terminated(2, "Error", ResultCodec.toTerminationMessage(failure))));
        Decision d = decide(qj, all(complete(created(qj, EnginePhase.PREPARE, false)), cal), pods, false);
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("calibration shard 1 (of 3) failed: bad sample 12", d.status().message);
        assertEquals(
                "DatasetUnreadable",
                d.status().conditions.stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .findFirst()
                        .orElseThrow()
                        .getReason());
        String run = JobNames.jobName(qj);
        assertEquals(List.of(run + "-cal-0", run + "-cal-2"), d.jobsToDelete(), "the shards still running stop");
        assertEquals(List.of(run + "-clean"), names(d.phaseJobs()));
        assertEquals(
                "cleanup",
                d.phaseJobs().get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(e -> "QUANTA_PHASE".equals(e.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getValue());
    }

    @Test
    void aSpecEditStopsEveryJobOfTheEarlierGenerationAndStartsOver() {
        QuantizationJob old = sharded(1);
        List<Job> oldJobs =
                all(complete(created(old, EnginePhase.PREPARE, false)), created(old, EnginePhase.CALIBRATE, false));
        QuantizationJob edited = sharded(2);
        edited.setStatus(decide(old, oldJobs, List.of(), false).status());
        Decision d = decide(edited, oldJobs, List.of(), false);
        assertEquals(names(created(old, EnginePhase.CALIBRATE, false)), d.jobsToDelete(), "active Jobs of g1 stop");
        assertEquals(
                JobNames.jobName(edited) + "-prep",
                d.jobToCreate().orElseThrow().getMetadata().getName());
        assertEquals(2L, d.status().observedGeneration);
        assertEquals("preparation 0/1", d.status().progress);
    }

    @Test
    void aSuccessfulMergeEndsTheRunWithItsResult() {
        QuantizationJob qj = sharded(1);
        Job merge = withCondition(created(qj, EnginePhase.MERGE, false).get(0), "Complete", null, null);
        String message =
                ResultCodec.toTerminationMessage(Fixtures.successResult().withScales(null));
        List<Job> jobs = all(
                complete(created(qj, EnginePhase.PREPARE, false)),
                complete(created(qj, EnginePhase.CALIBRATE, false)),
                complete(created(qj, EnginePhase.QUANTIZE, false)),
                complete(created(qj, EnginePhase.EVALUATE, false)),
                List.of(merge));
        Decision d = decide(qj, jobs, List.of(pod(merge, "m", terminated(0, "Completed", message))), false);
        assertEquals(Phase.Succeeded, d.status().phase, d.status().message);
        assertEquals(0.01, d.status().accuracy.drop);
        assertEquals("ab".repeat(32), d.status().output.sha256);
        assertEquals(List.of(), d.phaseJobs(), "merge deleted the work location; no cleanup");
    }

    @Test
    void aShardedRunHoldsOneSlotFromItsFirstJobToItsEnd() {
        QuantizationJob qj = sharded(1);
        List<Job> prepareDone = complete(created(qj, EnginePhase.PREPARE, false));
        assertEquals(Map.of("ml", 1), Reconciliation.runningRuns(prepareDone), "between two phases: still one");
        List<Job> calibrating = all(prepareDone, created(qj, EnginePhase.CALIBRATE, false));
        assertEquals(Map.of("ml", 1), Reconciliation.runningRuns(calibrating), "three shard Jobs, one run");
        List<Job> merged = all(
                prepareDone,
                complete(created(qj, EnginePhase.CALIBRATE, false)),
                complete(created(qj, EnginePhase.MERGE, false)));
        assertEquals(Map.of(), Reconciliation.runningRuns(merged));
        List<Job> failed = all(
                prepareDone,
                List.of(withCondition(created(qj, EnginePhase.CALIBRATE, false).get(0), "Failed", null, null)));
        assertEquals(Map.of(), Reconciliation.runningRuns(failed));

        Job single = Fixtures.createdJob(Fixtures.quantizationJob("other", 1));
        assertEquals(Map.of("ml", 2), Reconciliation.runningRuns(all(calibrating, List.of(single))));
        assertEquals(JobNames.jobName(qj), Reconciliation.runKey(calibrating.get(2)));
        assertEquals(single.getMetadata().getName(), Reconciliation.runKey(single));
    }

    @Test
    void completedIndexesAreRanges() {
        assertEquals(Set.of(0, 2, 3, 4, 7), JobObservations.completedIndexes("0,2-4,7"));
        assertEquals(Set.of(), JobObservations.completedIndexes(null));
        assertEquals(Set.of(), JobObservations.completedIndexes(""));
    }

    @Test
    void anIndexOfAFailedIndexedJobIsFailedUnlessItCompleted() {
        QuantizationJob qj = sharded(1);
        Job cal = withCondition(created(qj, EnginePhase.CALIBRATE, true).get(0), "Failed", "BackoffLimitExceeded", "x");
        cal.getStatus().setCompletedIndexes("1");
        RunObservation done = JobObservations.observeIndex(cal, 1, List.of(), NO_LOG);
        RunObservation failed = JobObservations.observeIndex(cal, 0, List.of(), NO_LOG);
        assertEquals(RunObservation.Ending.COMPLETE, done.end().ending());
        assertEquals(RunObservation.Ending.FAILED, failed.end().ending());
    }
}
