package io.quanta.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.JobNames;
import io.quanta.job.RunClassifier;
import io.quanta.job.RunState;
import io.quanta.job.SpecValidator;
import io.quanta.job.StatusCalculator;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.EngineJobBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The reconciler's decision: observed state (the resource, the Jobs it owns, their pods) to actions and status.
 * Pure, so every rule below is unit-tested without a cluster.
 *
 * <p>Idempotency rests on two facts: the Job name is a function of the resource uid and generation, so a
 * restarted operator computes the same name and finds the Job (or the API server refuses a duplicate); and a
 * final status recorded for a generation is never reopened, so a Job deleted by its TTL is not re-created.
 */
public final class Reconciliation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Reconciliation() {}

    public static Decision decide(QuantizationJob qj, Collection<Job> ownedJobs, Collection<Pod> pods,
                                  Function<Pod, Optional<String>> logReader, EngineDefaults defaults,
                                  Instant now) {
        long generation = JobNames.generation(qj);
        String jobName = JobNames.jobName(qj);
        QuantizationJobStatus recorded = qj.getStatus();
        Optional<Job> current = ownedJobs.stream()
                .filter(j -> jobName.equals(j.getMetadata().getName()))
                .findFirst();
        List<String> toDelete = new ArrayList<>(staleActiveJobs(ownedJobs, jobName));

        if (isFinal(recorded, generation)) {
            return new Decision(Optional.empty(), toDelete, null, Optional.empty());
        }

        List<String> problems = SpecValidator.problems(qj.getSpec());
        if (!problems.isEmpty()) {
            RunState invalid = RunState.of(Phase.Failed, "InvalidSpec", String.join("; ", problems));
            return withEvent(recorded, Optional.empty(), toDelete,
                    StatusCalculator.next(qj, null, invalid, now));
        }

        if (current.isEmpty()) {
            Job desired = EngineJobBuilder.build(qj, defaults);
            RunState created = RunState.of(Phase.Pending, "JobCreated", "created Job " + jobName);
            return withEvent(recorded, Optional.of(desired), toDelete,
                    StatusCalculator.next(qj, jobName, created, now));
        }

        Job job = current.get();
        List<Pod> jobPods = podsOf(job, pods);
        RunState state = RunClassifier.classify(JobObservations.observe(job, jobPods, logReader));
        if (state.stopJob()) {
            toDelete.add(jobName);
        }
        return withEvent(recorded, Optional.empty(), toDelete, StatusCalculator.next(qj, jobName, state, now));
    }

    /** A status that ended (Succeeded or Failed) for the current generation stays as recorded. */
    static boolean isFinal(QuantizationJobStatus status, long generation) {
        return status != null && status.phase != null && status.phase.terminal()
                && Objects.equals(status.observedGeneration, generation);
    }

    /** Jobs of earlier generations that still run: a new spec supersedes them. */
    private static List<String> staleActiveJobs(Collection<Job> ownedJobs, String currentName) {
        return ownedJobs.stream()
                .filter(j -> !currentName.equals(j.getMetadata().getName()))
                .filter(Reconciliation::isActive)
                .map(j -> j.getMetadata().getName())
                .sorted()
                .toList();
    }

    static boolean isActive(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return true;
        }
        return job.getStatus().getConditions().stream()
                .noneMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
    }

    /** The pods the Job controller created for {@code job}, found by their controller owner reference. */
    static List<Pod> podsOf(Job job, Collection<Pod> pods) {
        String uid = job.getMetadata().getUid();
        String name = job.getMetadata().getName();
        return pods.stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null)
                .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> owns(o, uid, name)))
                .toList();
    }

    private static boolean owns(OwnerReference ref, String uid, String name) {
        if (!"Job".equals(ref.getKind())) {
            return false;
        }
        return uid != null ? uid.equals(ref.getUid()) : name.equals(ref.getName());
    }

    private static Decision withEvent(QuantizationJobStatus before, Optional<Job> create, List<String> delete,
                                      QuantizationJobStatus after) {
        QuantizationJobStatus changed = sameStatus(before, after) ? null : after;
        return new Decision(create, List.copyOf(delete), changed, Transition.between(before, after));
    }

    /** Field-by-field equality through the JSON form, which is what the API server would store. */
    static boolean sameStatus(QuantizationJobStatus a, QuantizationJobStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }
}
