package io.quanta.operator.reconciler;

import static io.quanta.operator.Fixtures.createdJob;
import static io.quanta.operator.Fixtures.pod;
import static io.quanta.operator.Fixtures.quantizationJob;
import static io.quanta.operator.Fixtures.running;
import static io.quanta.operator.Fixtures.successResult;
import static io.quanta.operator.Fixtures.terminated;
import static io.quanta.operator.Fixtures.waiting;
import static io.quanta.operator.Fixtures.withCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.ConditionTypes;
import io.quanta.job.JobNames;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.report.ResultCodec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each way a run can go wrong on a cluster ends in its own Ready reason, with the cluster's own words. */
class FailureReasonsTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:10:00Z");

    private static Decision decide(QuantizationJob qj, List<Job> jobs, List<Pod> pods, Instant now) {
        return Reconciliation.decide(qj, jobs, pods, p -> Optional.empty(), Fixtures.DEFAULTS, now);
    }

    private static String reason(QuantizationJobStatus status) {
        return status.conditions.stream()
                .filter(c -> ConditionTypes.READY.equals(c.getType()))
                .findFirst()
                .orElseThrow()
                .getReason();
    }

    private static QuantizationJob recorded(QuantizationJob qj, Decision decision) {
        qj.setStatus(decision.status());
        return qj;
    }

    @Test
    void policyViolationFailsBeforeAnyJobIsBuilt() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().volumes.get(0).hostPath = "/etc";
        qj.getSpec().image = "docker.io/library/busybox";
        Decision d = decide(qj, List.of(), List.of(), NOW);
        assertTrue(d.jobToCreate().isEmpty());
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("PolicyViolation", reason(d.status()));
        assertEquals(
                "spec.volumes[0].hostPath '/etc' is not under an allowed host path [/srv]; spec.image "
                        + "'docker.io/library/busybox' is not an allowed image (only the operator's engine image "
                        + "localhost/quanta:test)",
                d.status().message);
        assertEquals("Warning", d.event().orElseThrow().type());
        assertEquals("PolicyViolation", d.event().orElseThrow().reason());
    }

    @Test
    void aRefusedJobFailsTheRunWithTheApiServersMessage() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Decision planned = decide(qj, List.of(), List.of(), NOW);
        String quota = "jobs.batch \"" + JobNames.jobName(qj) + "\" is forbidden: exceeded quota: jobs, requested: "
                + "count/jobs.batch=1, used: count/jobs.batch=1, limited: count/jobs.batch=1";
        Decision d = Reconciliation.jobRefused(qj, planned, quota, NOW);
        assertTrue(d.jobToCreate().isEmpty());
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("JobCreateRefused", reason(d.status()));
        assertEquals("the API server refused Job " + JobNames.jobName(qj) + ": " + quota, d.status().message);
        assertEquals("JobCreateRefused", d.event().orElseThrow().reason());
        // Final: the next reconciliation neither retries the Job nor touches the status.
        Decision next = decide(recorded(qj, d), List.of(), List.of(), NOW.plusSeconds(5));
        assertTrue(next.jobToCreate().isEmpty());
        assertEquals(null, next.status());
    }

    @Test
    void onlyPermanentRefusalsEndTheRun() {
        assertTrue(Reconciliation.isRefusal(403), "quota, admission webhook");
        assertTrue(Reconciliation.isRefusal(422), "invalid pod template, e.g. requests above limits");
        assertFalse(Reconciliation.isRefusal(500));
        assertFalse(Reconciliation.isRefusal(429));
        assertFalse(Reconciliation.isRefusal(409), "an existing Job is ours");
    }

    @Test
    void aPodThatNeverStartsTimesOutAndStopsItsJob() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().podStartTimeoutSeconds = 120;
        Job job = createdJob(qj);
        Pod pod = pod(job, "a", waiting("ContainerCreating", null));
        Decision early = decide(qj, List.of(job), List.of(pod), Instant.parse("2024-05-01T10:11:00Z"));
        assertEquals(Phase.Pending, early.status().phase, "inside the timeout");

        Decision late = decide(qj, List.of(job), List.of(pod), Instant.parse("2024-05-01T10:12:00Z"));
        assertEquals(Phase.Failed, late.status().phase);
        assertEquals("PodStartTimeout", reason(late.status()));
        assertEquals(
                "the engine did not start within spec.podStartTimeoutSeconds=120: PodPending: engine pod "
                        + pod.getMetadata().getName() + " is ContainerCreating",
                late.status().message);
        assertEquals(List.of(job.getMetadata().getName()), late.jobsToDelete());
    }

    @Test
    void aJobWhosePodIsNeverCreatedTimesOutFromTheJobsCreation() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        job.getMetadata().setCreationTimestamp("2024-05-01T10:00:00Z");
        Decision d = decide(qj, List.of(job), List.of(), NOW);
        assertEquals("PodStartTimeout", reason(d.status()));
        assertTrue(
                d.status()
                        .message
                        .endsWith("PodCreating: Job " + job.getMetadata().getName() + " is creating its pod"),
                d.status().message);
    }

    @Test
    void anUnschedulablePodShowsTheSchedulersMessage() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        String scheduler = "0/1 nodes are available: 1 Insufficient memory.";
        Pod pod = new PodBuilder(pod(job, "a", waiting("ContainerCreating", null)))
                .editStatus()
                .addToConditions(new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .withMessage(scheduler)
                        .build())
                .endStatus()
                .build();
        Decision d = decide(qj, List.of(job), List.of(pod), NOW);
        assertEquals(Phase.Pending, d.status().phase);
        assertEquals("Unschedulable", reason(d.status()));
        assertEquals(
                "engine pod " + pod.getMetadata().getName() + " cannot be scheduled: " + scheduler, d.status().message);
    }

    @Test
    void anEvictedPodIsEvictedNotAGenericFailure() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(
                createdJob(qj), "Failed", "BackoffLimitExceeded", "Job has reached the specified " + "backoff limit");
        String kubelet = "Pod ephemeral local storage usage exceeds the total limit of containers 4Gi. ";
        Pod pod = new PodBuilder(pod(job, "a", terminated(137, "Error", null)))
                .editStatus()
                .withPhase("Failed")
                .withReason("Evicted")
                .withMessage(kubelet)
                .endStatus()
                .build();
        Decision d = decide(qj, List.of(job), List.of(pod), NOW);
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("Evicted", reason(d.status()));
        assertEquals(
                "engine pod " + pod.getMetadata().getName() + " was evicted: " + kubelet.strip(), d.status().message);
    }

    @Test
    void aSidecarDoesNotKeepAFinishedEngineRunning() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        var istio = new ContainerStatusBuilder()
                .withName("istio-proxy")
                .withImage("istio/proxyv2")
                .withNewState()
                .withNewRunning()
                .withStartedAt("2024-05-01T10:00:01Z")
                .endRunning()
                .endState()
                .build();
        Pod pod = new PodBuilder(
                        pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(successResult()))))
                .editStatus()
                .withPhase("Running")
                .addToContainerStatuses(istio)
                .endStatus()
                .build();
        Decision d = decide(qj, List.of(job), List.of(pod), NOW);
        assertEquals(Phase.Succeeded, d.status().phase);
        assertEquals(List.of(job.getMetadata().getName()), d.jobsToDelete(), "stopping the Job ends the sidecar");

        Pod failed = new PodBuilder(pod(job, "a", terminated(1, "Error", "engine crashed")))
                .editStatus()
                .withPhase("Running")
                .addToContainerStatuses(istio)
                .endStatus()
                .build();
        Decision f = decide(quantizationJob("vww", 1), List.of(job), List.of(failed), NOW);
        assertEquals(Phase.Failed, f.status().phase);
        assertEquals("PodFailed", reason(f.status()));
    }

    @Test
    void aJobDeletedMidRunIsRecordedAndNotRunAgain() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        QuantizationJob seen = recorded(qj, decide(qj, List.of(job), List.of(pod(job, "a", running())), NOW));
        assertEquals("EngineRunning", reason(seen.getStatus()));

        Decision d = decide(seen, List.of(), List.of(), NOW.plusSeconds(10));
        assertTrue(d.jobToCreate().isEmpty(), "never silently re-run");
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("JobDeleted", reason(d.status()));
        assertEquals(
                "Job " + job.getMetadata().getName() + " was deleted mid-run (last seen: engine pod "
                        + job.getMetadata().getName() + "-a is running); set spec.rerunIfJobDeleted to run it again",
                d.status().message);
    }

    @Test
    void aJobDeletedMidRunIsCreatedAgainWhenTheSpecAsks() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().rerunIfJobDeleted = true;
        Job job = createdJob(qj);
        QuantizationJob seen = recorded(qj, decide(qj, List.of(job), List.of(pod(job, "a", running())), NOW));
        Decision d = decide(seen, List.of(), List.of(), NOW.plusSeconds(10));
        assertEquals(
                job.getMetadata().getName(),
                d.jobToCreate().orElseThrow().getMetadata().getName());
        assertEquals(Phase.Pending, d.status().phase);
        assertEquals("JobRecreated", reason(d.status()));
    }

    @Test
    void aResultLostToTheTtlIsRecordedNeverRerun() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().ttlSecondsAfterFinished = 30;
        Job job = createdJob(qj);
        QuantizationJob seen = recorded(qj, decide(qj, List.of(job), List.of(pod(job, "a", running())), NOW));
        // The operator was away while the run finished and the TTL controller deleted the Job.
        Decision d = decide(seen, List.of(), List.of(), NOW.plusSeconds(3600));
        assertTrue(d.jobToCreate().isEmpty());
        assertEquals("ResultLost", reason(d.status()));
        assertTrue(
                d.status().message.contains("spec.ttlSecondsAfterFinished=30 may have deleted it"), d.status().message);
    }

    @Test
    void aJobCreatedAfterWaitingInTheQueueIsConfirmedWithTheApiServerNotTakenForDeleted() {
        // The run failed once under load with operator restarts: queued for minutes, then admitted; the next
        // reconciliation came before the Job informer delivered the new Job, and the Ready condition's transition
        // time (kept from when the run was queued) made the just-created Job look long gone: JobDeleted.
        QuantizationJob qj = quantizationJob("vww", 1);
        Admission.Verdict full = new Admission.Verdict(false, "MaxConcurrentJobs", "waiting for a slot", 0);
        QuantizationJob queued = recorded(
                quantizationJob("vww", 1), Reconciliation.queued(qj, decide(qj, List.of(), List.of(), NOW), full, NOW));
        assertEquals(Phase.Queued, queued.getStatus().phase);
        Instant admitted = NOW.plusSeconds(300);
        QuantizationJob created = recorded(quantizationJob("vww", 1), decide(queued, List.of(), List.of(), admitted));
        assertEquals("JobCreated", reason(created.getStatus()));
        assertEquals(
                NOW.toString(),
                created.getStatus().conditions.get(0).getLastTransitionTime(),
                "Ready has been False since the run was queued");

        String jobName = JobNames.jobName(qj);
        assertEquals(Optional.of(jobName), Reconciliation.jobToConfirm(created, List.of()), "ask the API server");
        Job job = createdJob(qj);
        Decision withIt = decide(created, List.of(job), List.of(), admitted.plusSeconds(1));
        assertTrue(withIt.jobToCreate().isEmpty());
        assertEquals(Phase.Pending, withIt.status().phase);
        assertEquals("PodCreating", reason(withIt.status()));

        assertEquals(Optional.empty(), Reconciliation.jobToConfirm(created, List.of(job)), "the cache has it");
        assertEquals(Optional.empty(), Reconciliation.jobToConfirm(queued, List.of()), "no Job created yet");
        assertEquals(Optional.empty(), Reconciliation.jobToConfirm(qj, List.of()), "no status yet");

        // The API server lacks it too: deleted, however recently it was created.
        Decision gone = decide(created, List.of(), List.of(), admitted.plusSeconds(1));
        assertTrue(gone.jobToCreate().isEmpty(), "never silently re-run");
        assertEquals("JobDeleted", reason(gone.status()));
    }
}
