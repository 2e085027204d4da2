package io.quanta.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.EngineContract;
import io.quanta.job.EnginePhase;
import io.quanta.job.JobNames;
import io.quanta.job.ShardPlan;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.dependent.EngineJobBuilder.PhaseJob;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Jobs of a sharded run's phases: one per shard on clusters before 1.24, one Indexed Job after. */
class PhaseJobRenderingTest {
    private static final String WORK = "file:///out/vww_int8.tflite.work/" + Fixtures.UID + "/";

    private static QuantizationJob sharded(int parallelism) {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 2);
        qj.getSpec().parallelism = parallelism;
        qj.getSpec().backoffLimit = 2;
        qj.getSpec().ttlSecondsAfterFinished = 600;
        return qj;
    }

    private static List<Job> render(QuantizationJob qj, EnginePhase phase, List<Integer> shards, boolean indexed) {
        return PhaseJob.of(phase, qj.getSpec().parallelism, shards, indexed, WORK).stream()
                .map(p -> EngineJobBuilder.build(qj, Fixtures.DEFAULTS, p))
                .toList();
    }

    private static Map<String, String> env(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void withoutIndexedJobsEachShardIsAJobOfItsOwn() {
        QuantizationJob qj = sharded(3);
        List<Job> jobs = render(qj, EnginePhase.CALIBRATE, List.of(0, 1, 2), false);
        assertEquals(3, jobs.size());
        String run = JobNames.jobName(qj);
        for (int i = 0; i < 3; i++) {
            Job job = jobs.get(i);
            assertEquals(run + "-cal-" + i, job.getMetadata().getName());
            Map<String, String> labels = job.getMetadata().getLabels();
            assertEquals(run, labels.get(JobLabels.RUN));
            assertEquals("calibrate", labels.get(JobLabels.PHASE));
            assertEquals(Integer.toString(i), labels.get(JobLabels.SHARD));
            assertEquals(
                    labels.get(JobLabels.PHASE),
                    job.getSpec().getTemplate().getMetadata().getLabels().get(JobLabels.PHASE),
                    "pods carry the phase too");
            assertNull(job.getSpec().getCompletionMode());
            assertNull(job.getSpec().getCompletions());
            assertEquals(2, job.getSpec().getBackoffLimit(), "each shard retries within spec.backoffLimit");
            assertNull(job.getSpec().getTtlSecondsAfterFinished(), "a phase's Jobs stay until the run ends");
            Map<String, String> env = env(job);
            assertEquals("calibrate", env.get("QUANTA_PHASE"));
            assertEquals("3", env.get("QUANTA_SHARD_COUNT"));
            assertEquals(Integer.toString(i), env.get("QUANTA_SHARD_INDEX"));
            assertEquals(WORK, env.get("QUANTA_WORK_LOCATION"));
            assertTrue(env.containsKey(EngineContract.ENV_SPEC), "the same spec as a single pod");
            assertEquals(
                    EngineJobBuilder.ownerReference(qj),
                    job.getMetadata().getOwnerReferences().get(0),
                    "owned by the resource: deleting it deletes every phase's Jobs");
        }
        assertEquals(
                List.of(run + "-cal-2"),
                render(qj, EnginePhase.CALIBRATE, List.of(2), false).stream()
                        .map(j -> j.getMetadata().getName())
                        .toList(),
                "a missing shard alone");
    }

    @Test
    void withIndexedJobsAPhaseIsOneIndexedJob() {
        QuantizationJob qj = sharded(3);
        List<Job> jobs = render(qj, EnginePhase.EVALUATE, List.of(0, 1, 2), true);
        assertEquals(1, jobs.size());
        Job job = jobs.get(0);
        assertEquals(JobNames.jobName(qj) + "-eval", job.getMetadata().getName());
        assertEquals("Indexed", job.getSpec().getCompletionMode());
        assertEquals(3, job.getSpec().getCompletions());
        assertEquals(3, job.getSpec().getParallelism());
        assertEquals(6, job.getSpec().getBackoffLimit(), "retries shared by the indexes: backoffLimit per shard");
        assertFalse(job.getMetadata().getLabels().containsKey(JobLabels.SHARD));
        Map<String, String> env = env(job);
        assertEquals("evaluate", env.get("QUANTA_PHASE"));
        assertEquals("3", env.get("QUANTA_SHARD_COUNT"));
        assertFalse(env.containsKey("QUANTA_SHARD_INDEX"), "the pod reads JOB_COMPLETION_INDEX");
    }

    @Test
    void onePodPhasesAreOneJobWhateverTheCluster() {
        QuantizationJob qj = sharded(3);
        for (boolean indexed : List.of(true, false)) {
            for (EnginePhase phase : List.of(EnginePhase.PREPARE, EnginePhase.QUANTIZE, EnginePhase.MERGE)) {
                List<Job> jobs = render(qj, phase, List.of(0), indexed);
                assertEquals(1, jobs.size());
                Job job = jobs.get(0);
                assertEquals(
                        JobNames.jobName(qj) + "-" + ShardPlan.abbreviation(phase),
                        job.getMetadata().getName());
                assertNull(job.getSpec().getCompletionMode());
                assertEquals(2, job.getSpec().getBackoffLimit());
                assertFalse(env(job).containsKey("QUANTA_SHARD_INDEX"));
                assertEquals(phase.label(), env(job).get("QUANTA_PHASE"));
            }
        }
        assertEquals(
                600,
                render(qj, EnginePhase.MERGE, List.of(0), false)
                        .get(0)
                        .getSpec()
                        .getTtlSecondsAfterFinished(),
                "the last Job of a run honours spec.ttlSecondsAfterFinished");
    }

    @Test
    void phaseJobNamesFitIn63CharactersAndKeepTheirRun() {
        QuantizationJob qj =
                Fixtures.quantizationJob("a-very-long-quantization-job-name-that-goes-on-and-on-and-still-goes-on", 12);
        qj.getSpec().parallelism = 64;
        String name = JobNames.phaseJobName(qj, EnginePhase.EVALUATE, 63);
        assertTrue(name.length() <= 63, name);
        assertTrue(
                name.endsWith("-g12-"
                        + JobNames.jobName(qj).substring(JobNames.jobName(qj).length() - 5) + "-eval-63"),
                name);
        Job job = render(qj, EnginePhase.EVALUATE, List.of(63), false).get(0);
        assertEquals(JobNames.jobName(qj), job.getMetadata().getLabels().get(JobLabels.RUN));
    }

    @Test
    void anUnshardedRunIsRenderedAsBefore() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 2);
        Job job = EngineJobBuilder.build(qj, Fixtures.DEFAULTS);
        assertEquals(JobNames.jobName(qj), job.getMetadata().getName());
        assertFalse(job.getMetadata().getLabels().containsKey(JobLabels.RUN));
        assertFalse(env(job).containsKey("QUANTA_PHASE"), "parallelism 1: the single pod runs phase all");
    }
}
