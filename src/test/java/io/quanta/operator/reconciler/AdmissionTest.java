package io.quanta.operator.reconciler;

import static io.quanta.operator.Fixtures.createdJob;
import static io.quanta.operator.Fixtures.quantizationJob;
import static io.quanta.operator.Fixtures.withCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quanta.job.JobNames;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.dependent.JobLabels;
import io.quanta.operator.reconciler.Admission.Limits;
import io.quanta.operator.reconciler.Admission.Verdict;
import io.quanta.operator.reconciler.Admission.Waiting;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:10:00Z");

    static Waiting w(String ns, String name, String created) {
        return new Waiting(ns, name, "2024-05-01T10:0" + created + ":00Z");
    }

    static final Waiting A = w("team-a", "a", "1");
    static final Waiting B = w("team-b", "b", "2");
    static final Waiting C = w("team-a", "c", "3");
    static final Waiting D = w("team-b", "d", "4");
    static final List<Waiting> ALL = List.of(D, B, C, A);

    @Test
    void withoutLimitsEveryRunIsAdmitted() {
        assertTrue(Admission.decide(D, ALL, Map.of("x", 100), Limits.NONE).admitted());
    }

    @Test
    void theGlobalLimitAdmitsTheOldestFirst() {
        Limits two = new Limits(2, 0, Map.of());
        // One Job runs: one slot left, and it goes to the oldest waiting run, whatever the order given.
        Map<String, Integer> running = Map.of("team-c", 1);
        assertTrue(Admission.decide(A, ALL, running, two).admitted());
        Verdict b = Admission.decide(B, ALL, running, two);
        assertFalse(b.admitted());
        assertEquals("MaxConcurrentJobs", b.reason());
        assertEquals(0, b.ahead());
        assertEquals(
                "waiting for a slot: maxConcurrentJobs=2 engine Jobs run cluster-wide; first come, first served",
                b.message());
        assertEquals(2, Admission.decide(D, ALL, running, two).ahead());
        // Nothing runs: the two oldest.
        assertTrue(Admission.decide(B, ALL, Map.of(), two).admitted());
        assertFalse(Admission.decide(C, ALL, Map.of(), two).admitted());
    }

    @Test
    void aNamespaceAtItsLimitDoesNotHoldBackOtherNamespaces() {
        Limits perNamespace = new Limits(0, 1, Map.of());
        Map<String, Integer> running = Map.of("team-a", 1);
        Verdict a = Admission.decide(A, ALL, running, perNamespace);
        assertFalse(a.admitted());
        assertEquals("NamespaceLimit", a.reason());
        assertEquals(
                "waiting for a slot: 1 engine Jobs run in namespace team-a (its limit); first come, first served",
                a.message());
        assertTrue(Admission.decide(B, ALL, running, perNamespace).admitted(), "team-b has room");
        assertFalse(Admission.decide(D, ALL, running, perNamespace).admitted(), "b took team-b's slot first");
    }

    @Test
    void aNamedNamespaceLimitReplacesTheDefaultAndBothLimitsApply() {
        Limits limits = new Limits(3, 1, Map.of("team-a", 2));
        assertEquals(2, limits.forNamespace("team-a"));
        assertEquals(1, limits.forNamespace("team-b"));
        assertTrue(Admission.decide(A, ALL, Map.of(), limits).admitted());
        assertTrue(Admission.decide(B, ALL, Map.of(), limits).admitted());
        assertTrue(Admission.decide(C, ALL, Map.of(), limits).admitted(), "team-a may run two");
        Verdict d = Admission.decide(D, ALL, Map.of(), limits);
        assertEquals("MaxConcurrentJobs", d.reason(), "three run cluster-wide (team-b is full too)");
        assertFalse(Limits.NONE.equals(limits) || limits.none());
        assertTrue(new Limits(0, 0, Map.of("x", 0)).none());
    }

    @Test
    void badLimitsAreRefusedWithTheSettingNamed() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(-1, 0, Map.of()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Limits(0, 0, Map.of("ns", -2)));
        assertEquals("the limit of namespace ns must be >= 0 (0 = none)", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Admission.decide(A, List.of(B), Map.of(), new Limits(1, 0, null)));
    }

    @Test
    void aQueuedRunHasNoJobAndSaysWhichLimitHoldsItBack() {
        QuantizationJob qj = quantizationJob("vww", 1);
        Decision planned =
                Reconciliation.decide(qj, List.of(), List.of(), p -> Optional.empty(), Fixtures.DEFAULTS, NOW);
        assertTrue(planned.jobToCreate().isPresent());
        Verdict verdict = Admission.decide(
                w("ml", "vww", "1"), List.of(w("ml", "vww", "1")), Map.of("ml", 1), new Limits(1, 0, Map.of()));
        Decision queued = Reconciliation.queued(qj, planned, verdict, NOW);
        assertTrue(queued.jobToCreate().isEmpty());
        assertEquals(Phase.Queued, queued.status().phase);
        assertNull(queued.status().jobName, "no Job exists yet");
        assertEquals(verdict.message(), queued.status().message);
        var reconciling = queued.status().conditions.stream()
                .filter(c -> "Reconciling".equals(c.getType()))
                .findFirst()
                .orElseThrow();
        assertEquals("True", reconciling.getStatus());
        assertEquals("MaxConcurrentJobs", reconciling.getReason());
        assertEquals(Optional.of(Reconciliation.QUEUED_RECHECK), Reconciliation.recheckAfter(qj, queued));

        // Admitted later: the recorded Queued status is not mistaken for a Job that vanished.
        qj.setStatus(queued.status());
        Decision admitted = Reconciliation.decide(
                qj, List.of(), List.of(), p -> Optional.empty(), Fixtures.DEFAULTS, NOW.plusSeconds(600));
        assertTrue(admitted.jobToCreate().isPresent());
        assertEquals(Phase.Pending, admitted.status().phase);
        assertEquals("JobCreated", admitted.event().orElseThrow().reason());
    }

    @Test
    void onlyRunsWithoutAJobFinalStatusOrKueueWaitForAdmission() {
        QuantizationJob qj = quantizationJob("vww", 1);
        assertTrue(Reconciliation.waitsForAdmission(qj, Set.of()));
        assertFalse(Reconciliation.waitsForAdmission(qj, Set.of("ml/" + JobNames.jobName(qj))));
        QuantizationJob kueue = quantizationJob("vww", 1);
        kueue.getSpec().queueName = "team-queue";
        assertFalse(Reconciliation.waitsForAdmission(kueue, Set.of()));

        Job running = createdJob(qj);
        assertTrue(Reconciliation.occupiesSlot(running));
        assertFalse(Reconciliation.occupiesSlot(withCondition(createdJob(qj), "Complete", null, null)));
        Job suspended = new JobBuilder(createdJob(qj))
                .editSpec()
                .withSuspend(true)
                .endSpec()
                .build();
        assertFalse(Reconciliation.occupiesSlot(suspended));
    }

    /** Kueue's contract for batch/v1 Jobs: created suspended, with the LocalQueue label; Kueue unsuspends it. */
    @Test
    void withAQueueNameTheJobIsCreatedSuspendedForKueue() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().queueName = "team-queue";
        Job job = EngineJobBuilder.build(qj, Fixtures.DEFAULTS);
        assertEquals(Boolean.TRUE, job.getSpec().getSuspend());
        assertEquals("team-queue", job.getMetadata().getLabels().get(JobLabels.KUEUE_QUEUE));
        assertNull(EngineJobBuilder.build(quantizationJob("vww", 1), Fixtures.DEFAULTS)
                .getSpec()
                .getSuspend());

        // While suspended without pods it is Queued, and no start deadline runs (an hour after its creation).
        job.getMetadata().setCreationTimestamp("2024-05-01T10:00:00Z");
        Decision d = Reconciliation.decide(
                qj, List.of(job), List.of(), p -> Optional.empty(), Fixtures.DEFAULTS, NOW.plusSeconds(3600));
        assertEquals(Phase.Queued, d.status().phase);
        assertEquals(
                "Job " + JobNames.jobName(qj) + " is suspended until Kueue admits it (queue team-queue)",
                d.status().message);
    }
}
