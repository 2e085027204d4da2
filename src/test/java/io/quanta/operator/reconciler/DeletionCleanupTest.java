package io.quanta.operator.reconciler;

import static io.quanta.operator.Fixtures.pod;
import static io.quanta.operator.Fixtures.running;
import static io.quanta.operator.Fixtures.terminated;
import static io.quanta.operator.Fixtures.withCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quanta.job.EngineContract;
import io.quanta.job.EnginePhase;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.dependent.EngineJobBuilder.PhaseJob;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the operator does while a QuantizationJob is being deleted: remove a sharded run's work location, bounded. */
class DeletionCleanupTest {
    private static final Instant DELETED = Instant.parse("2024-05-01T10:10:00Z");
    private static final Instant NOW = DELETED.plusSeconds(3);

    private static QuantizationJob deleted(int parallelism) {
        QuantizationJob qj = Fixtures.quantizationJob("r8", 1);
        qj.getSpec().parallelism = parallelism;
        qj.getMetadata().setDeletionTimestamp(DELETED.toString());
        return qj;
    }

    private static Job job(QuantizationJob qj, EnginePhase phase) {
        Job job = EngineJobBuilder.build(
                qj,
                Fixtures.DEFAULTS,
                new PhaseJob(phase, 3, phase.sharded() ? 0 : null, false, ShardedReconciliation.workLocation(qj)));
        job.getMetadata().setUid("uid-" + job.getMetadata().getName());
        return job;
    }

    private static DeletionCleanup.Step decide(QuantizationJob qj, List<Job> jobs, List<Pod> pods, Instant now) {
        return DeletionCleanup.decide(qj, jobs, pods, Fixtures.DEFAULTS, now);
    }

    private static Pod ended(Job job) {
        Pod p = pod(job, "a", terminated(0, "Completed", null));
        return new PodBuilder(p).editStatus().withPhase("Succeeded").endStatus().build();
    }

    @Test
    void anUnshardedRunIsReleasedAtOnce() {
        QuantizationJob qj = deleted(1);
        Job one = Fixtures.createdJob(qj);
        assertInstanceOf(DeletionCleanup.Release.class, decide(qj, List.of(one), List.of(), NOW));
    }

    @Test
    void keptIntermediatesASucceededRunAndARunWithoutJobsAreReleased() {
        QuantizationJob keep = deleted(3);
        keep.getSpec().keepIntermediate = true;
        Job calibrate = job(keep, EnginePhase.CALIBRATE);
        assertInstanceOf(DeletionCleanup.Release.class, decide(keep, List.of(calibrate), List.of(), NOW));

        QuantizationJob done = deleted(3);
        done.setStatus(new QuantizationJobStatus());
        done.getStatus().phase = Phase.Succeeded;
        assertInstanceOf(DeletionCleanup.Release.class, decide(done, List.of(calibrate), List.of(), NOW));

        assertInstanceOf(DeletionCleanup.Release.class, decide(deleted(3), List.of(), List.of(), NOW));
    }

    @Test
    void runningShardsAreStoppedAndTheirPodsAwaitedBeforeTheCleanupStarts() {
        QuantizationJob qj = deleted(3);
        Job calibrate = job(qj, EnginePhase.CALIBRATE);
        Job prepare = withCondition(job(qj, EnginePhase.PREPARE), "Complete", null, null);
        Pod writing = pod(calibrate, "a", running());

        var first = assertInstanceOf(
                DeletionCleanup.Wait.class, decide(qj, List.of(prepare, calibrate), List.of(writing), NOW));
        assertEquals(List.of(calibrate.getMetadata().getName()), first.jobsToStop());
        assertTrue(first.cleanupJob().isEmpty(), "no cleanup while a shard may still write");

        // The Job is being deleted but its pod still runs: wait, without asking again.
        Job stopping = new JobBuilder(calibrate)
                .editMetadata()
                .withDeletionTimestamp(NOW.toString())
                .endMetadata()
                .build();
        var second = assertInstanceOf(
                DeletionCleanup.Wait.class, decide(qj, List.of(prepare, stopping), List.of(writing), NOW));
        assertEquals(List.of(), second.jobsToStop());
        assertTrue(second.cleanupJob().isEmpty());

        // Every pod has ended: the cleanup phase's Job, with the run's work location.
        var third = assertInstanceOf(
                DeletionCleanup.Wait.class, decide(qj, List.of(prepare, stopping), List.of(ended(prepare)), NOW));
        Job cleanup = third.cleanupJob().orElseThrow();
        assertEquals(
                job(qj, EnginePhase.CLEANUP).getMetadata().getName(),
                cleanup.getMetadata().getName());
        var env =
                cleanup.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertTrue(
                env.stream()
                        .anyMatch(e -> EngineContract.ENV_PHASE.equals(e.getName()) && "cleanup".equals(e.getValue())),
                env.toString());
        assertTrue(
                env.stream()
                        .anyMatch(e -> EngineContract.ENV_WORK_LOCATION.equals(e.getName())
                                && ShardedReconciliation.workLocation(qj).equals(e.getValue())),
                env.toString());
    }

    @Test
    void theCleanupJobDecides() {
        QuantizationJob qj = deleted(3);
        Job calibrate = withCondition(job(qj, EnginePhase.CALIBRATE), "Failed", "BackoffLimitExceeded", null);
        Job cleanup = job(qj, EnginePhase.CLEANUP);

        var running = assertInstanceOf(
                DeletionCleanup.Wait.class,
                decide(qj, List.of(calibrate, cleanup), List.of(pod(cleanup, "a", running())), NOW));
        assertTrue(running.cleanupJob().isEmpty(), "created once");

        Job done = new JobBuilder(cleanup)
                .editOrNewStatus()
                .withSucceeded(1)
                .endStatus()
                .build();
        assertInstanceOf(DeletionCleanup.Release.class, decide(qj, List.of(calibrate, done), List.of(), NOW));

        Job failed = withCondition(cleanup, "Failed", "BackoffLimitExceeded", null);
        var giveUp =
                assertInstanceOf(DeletionCleanup.GiveUp.class, decide(qj, List.of(calibrate, failed), List.of(), NOW));
        assertTrue(giveUp.message().contains(ShardedReconciliation.workLocation(qj)), giveUp.message());
    }

    @Test
    void aDeletionNeverWaitsLongerThanTheTimeout() {
        QuantizationJob qj = deleted(3);
        Job calibrate = job(qj, EnginePhase.CALIBRATE);
        Pod stuck = pod(calibrate, "a", running());
        assertInstanceOf(
                DeletionCleanup.Wait.class,
                decide(qj, List.of(calibrate), List.of(stuck), DELETED.plus(DeletionCleanup.TIMEOUT)));
        var giveUp = assertInstanceOf(
                DeletionCleanup.GiveUp.class,
                decide(
                        qj,
                        List.of(calibrate),
                        List.of(stuck),
                        DELETED.plus(DeletionCleanup.TIMEOUT).plusSeconds(1)));
        assertTrue(giveUp.message().contains("remove it by hand"), giveUp.message());

        var refused = DeletionCleanup.refused(qj, "namespace ml is being terminated");
        assertTrue(refused.message().contains("namespace ml is being terminated"), refused.message());
    }
}
