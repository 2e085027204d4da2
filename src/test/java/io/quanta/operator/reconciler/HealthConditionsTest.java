package io.quanta.operator.reconciler;

import static io.quanta.operator.Fixtures.createdJob;
import static io.quanta.operator.Fixtures.pod;
import static io.quanta.operator.Fixtures.quantizationJob;
import static io.quanta.operator.Fixtures.running;
import static io.quanta.operator.Fixtures.successResult;
import static io.quanta.operator.Fixtures.terminated;
import static io.quanta.operator.Fixtures.withCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.ConditionTypes;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.report.ResultCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kstatus conditions GitOps tools and {@code kubectl wait} read: exactly one of Ready, Reconciling and Stalled
 * is True, each carries the generation it describes, and the True one names the run's reason.
 */
class HealthConditionsTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:10:00Z");

    private static QuantizationJobStatus decide(QuantizationJob qj, List<Job> jobs, List<Pod> pods) {
        return Reconciliation.decide(qj, jobs, pods, p -> Optional.empty(), Fixtures.DEFAULTS, NOW)
                .status();
    }

    /** type → status/reason of the three health conditions. */
    private static Map<String, String> health(QuantizationJobStatus s, long generation) {
        for (Condition c : s.conditions) {
            assertEquals(generation, c.getObservedGeneration(), c.getType() + " observedGeneration");
        }
        return s.conditions.stream()
                .filter(c -> List.of(ConditionTypes.READY, ConditionTypes.RECONCILING, ConditionTypes.STALLED)
                        .contains(c.getType()))
                .collect(Collectors.toMap(Condition::getType, c -> c.getStatus() + "/" + c.getReason()));
    }

    @Test
    void aRunThatIsStillGoingIsReconciling() {
        QuantizationJob qj = quantizationJob("vww", 3);
        assertEquals(
                Map.of("Ready", "False/JobCreated", "Reconciling", "True/JobCreated", "Stalled", "False/Pending"),
                health(decide(qj, List.of(), List.of()), 3));
        Job job = createdJob(qj);
        assertEquals(
                Map.of("Ready", "False/EngineRunning", "Reconciling", "True/EngineRunning", "Stalled", "False/Running"),
                health(decide(qj, List.of(job), List.of(pod(job, "a", running()))), 3));
    }

    @Test
    void onlyASucceededRunIsReady() {
        QuantizationJob qj = quantizationJob("vww", 2);
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        Pod pod = pod(job, "a", terminated(0, "Completed", ResultCodec.toTerminationMessage(successResult())));
        assertEquals(
                Map.of("Ready", "True/Completed", "Reconciling", "False/Succeeded", "Stalled", "False/Succeeded"),
                health(decide(qj, List.of(job), List.of(pod)), 2));
    }

    @Test
    void aFailedRunIsStalledWithItsReason() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Job job = withCondition(createdJob(qj), "Failed", "BackoffLimitExceeded", "backoff");
        Pod pod = pod(job, "a", terminated(137, "OOMKilled", null));
        QuantizationJobStatus s = decide(qj, List.of(job), List.of(pod));
        assertEquals(
                Map.of("Ready", "False/OOMKilled", "Reconciling", "False/Failed", "Stalled", "True/OOMKilled"),
                health(s, 1));
        Condition stalled = s.conditions.stream()
                .filter(c -> ConditionTypes.STALLED.equals(c.getType()))
                .findFirst()
                .orElseThrow();
        assertEquals(s.message, stalled.getMessage());
    }
}
