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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.ConditionTypes;
import io.quanta.job.JobNames;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Acceptance;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:10:00Z");
    private static final Function<Pod, Optional<String>> NO_LOG = p -> Optional.empty();

    private static Decision decide(QuantizationJob qj, List<Job> jobs, List<Pod> pods) {
        return Reconciliation.decide(qj, jobs, pods, NO_LOG, Fixtures.DEFAULTS, NOW);
    }

    private static Condition condition(QuantizationJobStatus status, String type) {
        return status.conditions.stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    /** The resource as it looks after the operator recorded {@code decision}'s status. */
    private static QuantizationJob recorded(QuantizationJob qj, Decision decision) {
        qj.setStatus(decision.status());
        return qj;
    }

    @Test
    void newResourceGetsItsJobAndPendingStatus() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Decision d = decide(qj, List.of(), List.of());
        Job job = d.jobToCreate().orElseThrow();
        assertEquals(JobNames.jobName(qj), job.getMetadata().getName());
        assertEquals(Phase.Pending, d.status().phase);
        assertEquals(1L, d.status().observedGeneration);
        assertEquals(job.getMetadata().getName(), d.status().jobName);
        assertEquals("JobCreated", condition(d.status(), "Ready").getReason());
        assertEquals("False", condition(d.status(), "Ready").getStatus());
        assertEquals("Unknown", condition(d.status(), "Calibrated").getStatus());
        assertEquals(1L, condition(d.status(), "Ready").getObservedGeneration());
        assertEquals("2024-05-01T10:10:00Z", condition(d.status(), "Ready").getLastTransitionTime());
        assertEquals(
                ConditionTypes.ALL,
                d.status().conditions.stream().map(Condition::getType).toList());
        assertTrue(
                d.status().conditions.stream()
                        .noneMatch(c -> c.getMessage() == null || c.getMessage().isBlank()),
                "CRD schema: message is a string; an empty one would reach the API server as null");
        assertEquals("Normal", d.event().orElseThrow().type());
        assertEquals("JobCreated", d.event().orElseThrow().reason());
    }

    @Test
    void aPendingRunIsCheckedAgainWithinItsPodStartTimeoutAndAFinishedOneIsNot() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Decision created = decide(qj, List.of(), List.of());
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(30)), Reconciliation.recheckAfter(qj, created));
        qj.getSpec().podStartTimeoutSeconds = 20;
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(10)), Reconciliation.recheckAfter(qj, created));
        // Nothing changed since the recorded Pending status: still re-checked.
        QuantizationJob pending = recorded(quantizationJob("vww", 1), created);
        Decision repeat = decide(pending, List.of(createdJob(pending)), List.of());
        assertEquals(
                java.util.Optional.of(java.time.Duration.ofSeconds(30)), Reconciliation.recheckAfter(pending, repeat));
        created.status().phase = Phase.Succeeded;
        assertEquals(java.util.Optional.empty(), Reconciliation.recheckAfter(qj, created));
    }

    @Test
    void existingJobForTheGenerationIsNeverCreatedTwice() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        // A restarted operator: no status recorded yet, the Job is already in the cache.
        Decision afterRestart = decide(qj, List.of(job), List.of());
        assertTrue(afterRestart.jobToCreate().isEmpty());
        assertEquals(Phase.Pending, afterRestart.status().phase);
        assertEquals("PodCreating", condition(afterRestart.status(), "Ready").getReason());

        // Same observation again: nothing to do, not even a status patch or an event.
        QuantizationJob again = recorded(quantizationJob("vww", 1), afterRestart);
        Decision repeat = decide(again, List.of(job), List.of());
        assertTrue(repeat.jobToCreate().isEmpty());
        assertNull(repeat.status(), "unchanged status is not patched");
        assertTrue(repeat.event().isEmpty());
    }

    @Test
    void finishedGenerationIsNotRerunAfterItsJobWasDeletedByTtl() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        Pod pod = pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(successResult())));
        QuantizationJob done = recorded(qj, decide(qj, List.of(job), List.of(pod)));
        assertEquals(Phase.Succeeded, done.getStatus().phase);

        Decision afterTtl = decide(done, List.of(), List.of());
        assertTrue(afterTtl.jobToCreate().isEmpty());
        assertNull(afterTtl.status());
    }

    @Test
    void succeededRunRecordsWhereItsReportPageIs() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        RunResult result = successResult()
                .withReport(new RunResult.ReportFiles(
                        "s3://b/out/vww_int8.report.json", "s3://b/out/vww_int8.report.html", "cd".repeat(32)));
        Pod pod = pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(result)));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod)).status();
        assertEquals("s3://b/out/vww_int8.report.html", s.report.html);
        assertEquals("cd".repeat(32), s.report.htmlSha256);
        assertEquals("s3://b/out/vww_int8.report.json", s.report.json);
        assertNull(recorded(
                        qj,
                        decide(
                                qj,
                                List.of(job),
                                List.of(pod(
                                        job,
                                        "a",
                                        terminated(
                                                0, "Completed", ResultCodec.toTerminationMessage(successResult()))))))
                .getStatus()
                .report);
    }

    @Test
    void specChangeStartsANewJobAndStopsTheOldOne() {
        QuantizationJob v1 = quantizationJob("vww", 1);
        Job oldJob = createdJob(v1);
        QuantizationJob v2 = quantizationJob("vww", 2);
        v2.setStatus(recorded(v1, decide(v1, List.of(oldJob), List.of())).getStatus());

        Decision d = decide(v2, List.of(oldJob), List.of());
        Job newJob = d.jobToCreate().orElseThrow();
        assertEquals(
                "vww-g2-" + newJob.getMetadata().getName().substring(7),
                newJob.getMetadata().getName());
        assertEquals(List.of(oldJob.getMetadata().getName()), d.jobsToDelete());
        assertEquals(2L, d.status().observedGeneration);
        assertEquals(Phase.Pending, d.status().phase);
    }

    @Test
    void finishedOldJobsAreKept() {
        QuantizationJob v1 = quantizationJob("vww", 1);
        Job oldJob = withCondition(createdJob(v1), "Complete", null, null);
        Decision d = decide(quantizationJob("vww", 2), List.of(oldJob), List.of());
        assertTrue(d.jobsToDelete().isEmpty(), "a finished Job holds the previous run's logs; TTL removes it");
    }

    @Test
    void runningPodMeansRunning() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        Decision d = decide(qj, List.of(job), List.of(pod(job, "a", running())));
        assertEquals(Phase.Running, d.status().phase);
        assertEquals("EngineRunning", condition(d.status(), "Ready").getReason());
        assertEquals("2024-05-01T10:00:00Z", d.status().startTime);
        assertNull(d.status().completionTime);
    }

    @Test
    void podsOfOtherJobsAreIgnored() {
        QuantizationJob qj = quantizationJob("vww", 2);
        Job job = createdJob(qj);
        Job other = createdJob(quantizationJob("vww", 1));
        Decision d = decide(qj, List.of(job), List.of(pod(other, "a", running())));
        assertEquals(Phase.Pending, d.status().phase);
    }

    @Test
    void succeededRunCarriesTheEngineResultAndScaleStatisticsFromTheLog() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        RunResult result = successResult();
        Pod pod = pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(result)));
        Function<Pod, Optional<String>> log = p -> {
            assertEquals(pod.getMetadata().getName(), p.getMetadata().getName());
            return Optional.of("calibrating...\nquantizing...\n" + ResultCodec.toLogLine(result) + "\n");
        };
        Decision d = Reconciliation.decide(qj, List.of(job), List.of(pod), log, Fixtures.DEFAULTS, NOW);
        QuantizationJobStatus s = d.status();
        assertEquals(Phase.Succeeded, s.phase);
        assertEquals("2024-05-01T10:05:00Z", s.completionTime);
        assertEquals("file:///out/vww_int8.tflite", s.output.location);
        assertEquals(340_000L, s.output.sizeBytes);
        assertEquals(64, s.output.sha256.length());
        assertEquals(1_200_000L, s.sizes.floatBytes);
        assertEquals(0.2833, s.sizes.ratio, 1e-4);
        assertEquals(31, s.coverage.quantizedOps);
        assertEquals(0.85, s.accuracy.floatAccuracy);
        assertEquals(0.84, s.accuracy.quantizedAccuracy);
        assertEquals(0.01, s.accuracy.drop);
        assertEquals(0.97, s.accuracy.agreement);
        assertEquals(100, s.accuracy.samples);
        assertEquals(2, s.scaleStats.totalTensors);
        assertFalse(s.scaleStats.truncated);
        assertEquals("conv1/weights", s.scaleStats.tensors.get(1).name);
        assertEquals(8, s.scaleStats.tensors.get(1).channels);
        assertEquals(-128, s.scaleStats.tensors.get(0).zeroPoint);
        for (String type : ConditionTypes.STAGES) {
            assertEquals("True", condition(s, type).getStatus(), type);
            assertFalse(condition(s, type).getMessage().isBlank(), type + " has a message");
        }
        assertEquals("NoThreshold", condition(s, "Accepted").getReason());
        assertEquals("Normal", d.event().orElseThrow().type());
    }

    @Test
    void succeededRunWithoutReadableLogStillReportsTheCompactResult() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        Pod pod = pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(successResult())));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod)).status();
        assertEquals(Phase.Succeeded, s.phase);
        assertEquals(0.01, s.accuracy.drop);
        assertEquals(2, s.scaleStats.totalTensors);
        assertTrue(s.scaleStats.truncated, "the list is missing, and the status says so");
    }

    @Test
    void endedJobWhosePodStillLooksRunningWaitsForThePodInsteadOfGuessing() {
        // Seen on the real cluster: the Job informer delivered Failed before the pod informer delivered the
        // terminated container with the engine's UnsupportedOps message; the status must not become PodFailed.
        QuantizationJob qj = quantizationJob("vww", 1);
        for (Job job : List.of(
                withCondition(createdJob(qj), "Failed", "BackoffLimitExceeded", "backoff"),
                withCondition(createdJob(qj), "Complete", null, null))) {
            QuantizationJobStatus s =
                    decide(qj, List.of(job), List.of(pod(job, "a", running()))).status();
            assertEquals(Phase.Running, s.phase, s.message);
            assertEquals("EngineFinishing", condition(s, "Ready").getReason());
            assertNull(s.completionTime);
        }
    }

    @Test
    void completedJobWithoutResultFails() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        Pod pod = pod(job, "a", terminated(0, "Completed", ""));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod)).status();
        assertEquals(Phase.Failed, s.phase);
        assertEquals("ResultMissing", condition(s, "Ready").getReason());
    }

    @Test
    void oomKilledPodFailsWithReasonOOMKilled() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(
                createdJob(qj), "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        Pod pod = pod(job, "a", terminated(137, "OOMKilled", ""));
        Decision d = decide(qj, List.of(job), List.of(pod));
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("OOMKilled", condition(d.status(), "Ready").getReason());
        assertTrue(d.status().message.contains("memory"), d.status().message);
        assertEquals("Warning", d.event().orElseThrow().type());
        assertEquals("OOMKilled", d.event().orElseThrow().reason());
        assertEquals("2024-05-01T10:05:00Z", d.status().completionTime);
    }

    @Test
    void imagePullFailureFailsAndStopsTheJob() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        Pod pod =
                pod(job, "a", waiting("ErrImageNeverPull", "Container image \"localhost/quanta:test\" is not present"));
        Decision d = decide(qj, List.of(job), List.of(pod));
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("ImagePullFailed", condition(d.status(), "Ready").getReason());
        assertTrue(d.status().message.contains("localhost/quanta:test"), d.status().message);
        assertEquals(List.of(job.getMetadata().getName()), d.jobsToDelete());
    }

    @Test
    void containerCreatingIsPending() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        Decision d = decide(qj, List.of(job), List.of(pod(job, "a", waiting("ContainerCreating", null))));
        assertEquals(Phase.Pending, d.status().phase);
        assertTrue(d.jobsToDelete().isEmpty());
    }

    @Test
    void deadlineExceededFailsWithItsReason() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().activeDeadlineSeconds = 30L;
        Job job = withCondition(
                createdJob(qj), "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
        QuantizationJobStatus s = decide(qj, List.of(job), List.of()).status();
        assertEquals(Phase.Failed, s.phase);
        assertEquals("DeadlineExceeded", condition(s, "Ready").getReason());
        assertTrue(s.message.contains("activeDeadlineSeconds=30"), s.message);
        assertEquals("NotReached", condition(s, "Calibrated").getReason());
    }

    @Test
    void engineErrorFailsWithTheEnginesReasonAndMessage() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Failed", "BackoffLimitExceeded", "backoff");
        RunResult error = RunResult.failure(
                RunResult.Stage.QUANTIZE,
                "UnsupportedOps",
                "int8 mode cannot quantize 2 operators: CUSTOM(node 4), RFFT2D(node 9)");
        Pod pod = pod(job, "a", terminated(2, "Error", ResultCodec.toTerminationMessage(error)));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod)).status();
        assertEquals(Phase.Failed, s.phase);
        assertEquals("UnsupportedOps", condition(s, "Ready").getReason());
        assertTrue(s.message.contains("RFFT2D(node 9)"), s.message);
        assertEquals("True", condition(s, "Calibrated").getStatus());
        assertEquals("False", condition(s, "Quantized").getStatus());
        assertEquals("UnsupportedOps", condition(s, "Quantized").getReason());
        assertEquals("NotReached", condition(s, "Evaluated").getReason());
    }

    @Test
    void crashWithoutResultReportsTheLogTail() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Failed", "BackoffLimitExceeded", "backoff");
        Pod pod =
                pod(job, "a", terminated(1, "Error", "Exception in thread \"main\" java.lang.NoClassDefFoundError: x"));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod)).status();
        assertEquals("PodFailed", condition(s, "Ready").getReason());
        assertTrue(s.message.contains("code 1") && s.message.contains("NoClassDefFoundError"), s.message);
    }

    @Test
    void failedAttemptWithRetriesLeftKeepsRunning() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().backoffLimit = 2;
        Job job = createdJob(qj);
        Pod pod = pod(job, "a", terminated(137, "OOMKilled", ""));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod)).status();
        assertEquals(Phase.Running, s.phase);
        assertEquals("Retrying", condition(s, "Ready").getReason());
        assertTrue(s.message.contains("OOMKilled"), s.message);
    }

    @Test
    void accuracyDropAboveThresholdFailsAcceptance() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().acceptance = new Acceptance(0.005);
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        Pod pod = pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(successResult())));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod)).status();
        assertEquals(Phase.Failed, s.phase);
        assertEquals("AccuracyDropTooHigh", condition(s, "Accepted").getReason());
        assertEquals("False", condition(s, "Accepted").getStatus());
        assertEquals("True", condition(s, "Evaluated").getStatus());
        assertEquals(0.01, s.accuracy.drop, "the measured accuracy is still reported");

        qj.getSpec().acceptance = new Acceptance(0.02);
        QuantizationJob fresh = quantizationJob("vww", 1);
        fresh.getSpec().acceptance = new Acceptance(0.02);
        QuantizationJobStatus ok = decide(fresh, List.of(job), List.of(pod)).status();
        assertEquals(Phase.Succeeded, ok.phase);
        assertEquals("ThresholdMet", condition(ok, "Accepted").getReason());
    }

    @Test
    void invalidSpecFailsWithoutAJob() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().output.uri = "/nowhere/out.tflite";
        qj.getSpec().volumes.get(0).claimName = "also-a-claim";
        Decision d = decide(qj, List.of(), List.of());
        assertTrue(d.jobToCreate().isEmpty());
        assertEquals(Phase.Failed, d.status().phase);
        assertEquals("InvalidSpec", condition(d.status(), "Ready").getReason());
        assertTrue(
                d.status().message.contains("spec.output.uri '/nowhere/out.tflite' is not on any volume"),
                d.status().message);
        assertTrue(
                d.status().message.contains("spec.volumes[0] must set exactly one of claimName and hostPath"),
                d.status().message);
    }

    @Test
    void lastTransitionTimeChangesOnlyWithTheConditionStatus() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = createdJob(qj);
        QuantizationJob pending = recorded(qj, decide(qj, List.of(job), List.of()));
        String readySince = condition(pending.getStatus(), "Ready").getLastTransitionTime();

        Instant later = NOW.plusSeconds(60);
        Decision running = Reconciliation.decide(
                pending, List.of(job), List.of(pod(job, "a", running())), NO_LOG, Fixtures.DEFAULTS, later);
        Condition ready = condition(running.status(), "Ready");
        assertEquals("EngineRunning", ready.getReason());
        assertEquals(readySince, ready.getLastTransitionTime(), "Ready stayed False: same transition time");
        assertNotNull(running.event().orElse(null), "a phase change is an Event");
    }

    /** The Job of {@code qj} that ended with {@code type} {@code seconds} before the tests' clock. */
    private static Job endedAgo(QuantizationJob qj, String type, long seconds) {
        Job job = withCondition(createdJob(qj), type, "Failed".equals(type) ? "BackoffLimitExceeded" : null, null);
        String at = NOW.minusSeconds(seconds).toString();
        job.getStatus().getConditions().get(0).setLastTransitionTime(at);
        return job;
    }

    @Test
    void endedJobWhosePodIsNotInTheCacheYetWaitsForItInsteadOfFailing() {
        // The pod informer can lag the Job informer (a restarted operator, a loaded API server): the Job already
        // ended but its pod, whose termination message holds the result, is not delivered yet.
        for (String type : List.of("Complete", "Failed")) {
            QuantizationJob qj = quantizationJob("vww", 1);
            Job job = endedAgo(qj, type, 5);
            Decision waiting = decide(qj, List.of(job), List.of());
            assertEquals(Phase.Running, waiting.status().phase, waiting.status().message);
            assertEquals("EngineFinishing", condition(waiting.status(), "Ready").getReason());
            assertNull(waiting.status().completionTime);
            assertTrue(waiting.jobsToDelete().isEmpty());
            // No pod event may ever come when the pod is really gone: the run looks again by itself.
            assertEquals(Optional.of(java.time.Duration.ofSeconds(10)), Reconciliation.recheckAfter(qj, waiting), type);

            QuantizationJob stillWaiting = recorded(qj, waiting);
            assertEquals(
                    Optional.of(java.time.Duration.ofSeconds(10)),
                    Reconciliation.recheckAfter(stillWaiting, decide(stillWaiting, List.of(job), List.of())));
        }
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = endedAgo(qj, "Complete", 5);
        QuantizationJob waiting = recorded(qj, decide(qj, List.of(job), List.of()));
        Pod pod = pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(successResult())));
        QuantizationJobStatus done = decide(waiting, List.of(job), List.of(pod)).status();
        assertEquals(Phase.Succeeded, done.phase, done.message);
    }

    @Test
    void completedJobWhosePodStaysGoneFailsWithResultMissingAfterTheCacheGrace() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = endedAgo(qj, "Complete", Reconciliation.CACHE_GRACE_SECONDS + 1);
        QuantizationJobStatus s = decide(qj, List.of(job), List.of()).status();
        assertEquals(Phase.Failed, s.phase);
        assertEquals("ResultMissing", condition(s, "Ready").getReason());
        assertTrue(s.message.contains("pod is gone"), s.message);
    }

    @Test
    void anotherResourcesJobListedWithThisOneIsNeitherTakenForItsJobNorStopped() {
        // JOSDK indexes a Job under every resource the Job mapper returned for it once: a finished Job is mapped to
        // all queued resources to wake them, so the Jobs listed for one resource can include others' Jobs.
        QuantizationJob mine = quantizationJob("mine", 1);
        mine.getMetadata().setUid("uid-of-mine");
        QuantizationJob other = quantizationJob("other", 1);
        other.getMetadata().setUid("uid-of-other");
        Job suspended = createdJob(other);
        suspended.getSpec().setSuspend(true);
        Job ended = withCondition(createdJob(other), "Complete", null, null);
        for (Job foreign : List.of(suspended, createdJob(other), ended)) {
            Decision d = decide(mine, List.of(foreign), List.of());
            assertEquals(List.of(), d.jobsToDelete(), "never stop another resource's Job");
            assertEquals(
                    JobNames.jobName(mine),
                    d.jobToCreate().orElseThrow().getMetadata().getName());
            assertEquals("JobCreated", condition(d.status(), "Ready").getReason());
        }
    }
}
