package io.quanta.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.ConditionTypes;
import io.quanta.job.EnginePhase;
import io.quanta.job.JobNames;
import io.quanta.job.RunClassifier;
import io.quanta.job.RunState;
import io.quanta.job.ShardPlan;
import io.quanta.job.SpecValidator;
import io.quanta.job.StatusCalculator;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.dependent.JobLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

    public static Decision decide(
            QuantizationJob qj,
            Collection<Job> ownedJobs,
            Collection<Pod> pods,
            Function<Pod, Optional<String>> logReader,
            EngineDefaults defaults,
            Instant now) {
        return decide(qj, ownedJobs, pods, logReader, defaults, false, now);
    }

    /**
     * @param indexedJobs whether the cluster serves Indexed Jobs (a sharded run's phases then take one Job each)
     */
    public static Decision decide(
            QuantizationJob qj,
            Collection<Job> ownedJobs,
            Collection<Pod> pods,
            Function<Pod, Optional<String>> logReader,
            EngineDefaults defaults,
            boolean indexedJobs,
            Instant now) {
        long generation = JobNames.generation(qj);
        String jobName = JobNames.jobName(qj);
        QuantizationJobStatus recorded = qj.getStatus();
        ownedJobs = controlledBy(qj, ownedJobs);
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
            return withEvent(
                    recorded,
                    Optional.empty(),
                    stopping(toDelete, current),
                    StatusCalculator.next(qj, null, invalid, now));
        }
        // Decided before any Job is built: a QuantizationJob must not grant more than the admin allows.
        List<String> violations =
                defaults.policy().violations(qj.getSpec(), defaults.image(), defaults.resourcesFor(qj.getSpec()));
        if (!violations.isEmpty()) {
            RunState refused = RunState.of(Phase.Failed, "PolicyViolation", String.join("; ", violations));
            return withEvent(
                    recorded,
                    Optional.empty(),
                    stopping(toDelete, current),
                    StatusCalculator.next(qj, null, refused, now));
        }

        if (ShardPlan.sharded(qj.getSpec())) {
            return ShardedReconciliation.decide(qj, ownedJobs, pods, logReader, defaults, indexedJobs, toDelete, now);
        }

        if (current.isEmpty()) {
            Optional<RunState> gone = jobGone(qj, jobName);
            if (gone.isPresent()) {
                return withEvent(
                        recorded, Optional.empty(), toDelete, StatusCalculator.next(qj, jobName, gone.get(), now));
            }
            Job desired = EngineJobBuilder.build(qj, defaults);
            boolean again = jobSeen(recorded, generation, jobName);
            RunState created = again
                    ? RunState.of(
                            Phase.Pending,
                            "JobRecreated",
                            "Job " + jobName + " was deleted mid-run; created " + "it again (spec.rerunIfJobDeleted)")
                    : RunState.of(Phase.Pending, "JobCreated", "created Job " + jobName);
            return withEvent(
                    recorded, Optional.of(desired), toDelete, StatusCalculator.next(qj, jobName, created, now));
        }

        Job job = current.get();
        List<Pod> jobPods = podsOf(job, pods);
        if (suspended(job) && jobPods.isEmpty()) {
            // Kueue's side of the contract: it unsuspends the Job once its queue admits it; no start deadline yet.
            RunState waiting = RunState.of(
                    Phase.Queued,
                    "QueuedInKueue",
                    "Job " + jobName + " is suspended until Kueue admits it (queue " + qj.getSpec().queueName + ")");
            return withEvent(recorded, Optional.empty(), toDelete, StatusCalculator.next(qj, jobName, waiting, now));
        }
        Optional<RunState> podAwaited = podNotYetSeen(job, jobPods, now);
        if (podAwaited.isPresent()) {
            return withEvent(
                    recorded, Optional.empty(), toDelete, StatusCalculator.next(qj, jobName, podAwaited.get(), now));
        }
        RunState state = RunClassifier.classify(JobObservations.observe(job, jobPods, logReader));
        state = startDeadline(state, job, jobPods, qj.getSpec().podStartTimeoutSeconds, now);
        if (state.stopJob()) {
            toDelete.add(jobName);
        }
        return withEvent(recorded, Optional.empty(), toDelete, StatusCalculator.next(qj, jobName, state, now));
    }

    /**
     * The Jobs {@code qj} controls (by owner uid). The Job informer's index can list others too: a finished Job of
     * another resource is mapped to every queued one to wake it (QuantizationJobReconciler), and JOSDK keeps that
     * mapping; such a Job must never count as this resource's, let alone be stopped as a stale one of it.
     */
    static List<Job> controlledBy(QuantizationJob qj, Collection<Job> jobs) {
        String uid = qj.getMetadata().getUid();
        String name = qj.getMetadata().getName();
        return jobs.stream()
                .filter(j -> j.getMetadata().getOwnerReferences() != null
                        && j.getMetadata().getOwnerReferences().stream()
                                .anyMatch(o -> Boolean.TRUE.equals(o.getController())
                                        && qj.getKind().equals(o.getKind())
                                        && (uid != null ? uid.equals(o.getUid()) : name.equals(o.getName()))))
                .toList();
    }

    /**
     * The Job ended (not by its deadline) but the pod informer has not delivered its pod yet: its termination
     * message is the run's result, so the run waits for it instead of failing with ResultMissing. The informers of
     * Jobs and pods are separate watches, and after an operator restart or under load one can lag the other. Once
     * the Job has ended {@link #CACHE_GRACE_SECONDS} ago the pod counts as gone and the Job is classified as it is.
     */
    static Optional<RunState> podNotYetSeen(Job job, List<Pod> jobPods, Instant now) {
        if (!jobPods.isEmpty() || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        Optional<io.fabric8.kubernetes.api.model.batch.v1.JobCondition> ended = job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType())
                                || ("Failed".equals(c.getType()) && !"DeadlineExceeded".equals(c.getReason())))
                        && "True".equals(c.getStatus()))
                .findFirst();
        if (ended.isEmpty()) {
            return Optional.empty();
        }
        Instant at = instant(ended.get().getLastTransitionTime());
        if (at != null && at.plusSeconds(CACHE_GRACE_SECONDS).isBefore(now)) {
            return Optional.empty();
        }
        return Optional.of(RunState.of(
                        Phase.Running,
                        ENGINE_FINISHING,
                        "Job " + job.getMetadata().getName() + " ended; waiting for its pod to report the result")
                .withTimes(job.getStatus().getStartTime(), null));
    }

    /** The Ready reason while an ended Job's result is not visible yet (see {@link #podNotYetSeen}). */
    static final String ENGINE_FINISHING = "EngineFinishing";

    /** How often a run whose Job ended looks for the pod that carries its result. */
    static final Duration FINISHING_RECHECK = Duration.ofSeconds(10);

    /**
     * When to look again although nothing changes: a pod that cannot start (a missing Secret, an image that never
     * pulls) sends no further events, so a Pending run is re-checked often enough to honour
     * spec.podStartTimeoutSeconds; a run waiting for its ended Job's pod is re-checked until the pod shows or
     * counts as gone.
     */
    public static Optional<Duration> recheckAfter(QuantizationJob qj, Decision decision) {
        QuantizationJobStatus status = decision.status() != null ? decision.status() : qj.getStatus();
        Phase phase = status == null ? null : status.phase;
        if (phase == Phase.Running && ENGINE_FINISHING.equals(readyReason(status))) {
            return Optional.of(FINISHING_RECHECK);
        }
        if (phase == Phase.Queued) {
            // A freed slot wakes queued runs at once (QuantizationJobReconciler maps finished Jobs to them); this is
            // the fallback, e.g. for a slot freed by a QuantizationJob deleted mid-run.
            return Optional.of(QUEUED_RECHECK);
        }
        Integer timeout = qj.getSpec().podStartTimeoutSeconds;
        if (phase != Phase.Pending || timeout == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Math.max(5, Math.min(30, timeout / 2))));
    }

    /**
     * The run may not start yet (maxConcurrentJobs or its namespace's limit): no Job, phase Queued with the limit
     * named. Jobs of earlier generations are still stopped.
     */
    public static Decision queued(QuantizationJob qj, Decision planned, Admission.Verdict verdict, Instant now) {
        RunState waiting = RunState.of(Phase.Queued, verdict.reason(), verdict.message());
        return withEvent(
                qj.getStatus(),
                Optional.empty(),
                planned.jobsToDelete(),
                // No jobName: no Job exists yet, so none can have vanished (see jobSeen).
                StatusCalculator.next(qj, null, waiting, now));
    }

    /**
     * Whether {@code qj} waits for an engine Job that the operator's queue must admit: its current generation has
     * no final status and no Job (by name, among {@code existingJobs}), it is not being deleted, and Kueue does not
     * queue it.
     */
    public static boolean waitsForAdmission(QuantizationJob qj, java.util.Set<String> existingJobs) {
        return qj.getSpec() != null
                && qj.getSpec().queueName == null
                && qj.getMetadata().getDeletionTimestamp() == null
                && !isFinal(qj.getStatus(), JobNames.generation(qj))
                && !existingJobs.contains(qj.getMetadata().getNamespace() + "/" + JobNames.jobName(qj));
    }

    /**
     * The run a Job belongs to: a sharded run's phase Jobs share their run's name (label quanta.io/run); an unsharded
     * run's one Job is its own run.
     */
    public static String runKey(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        String run = labels == null ? null : labels.get(JobLabels.RUN);
        return run != null ? run : job.getMetadata().getName();
    }

    /**
     * Runs that hold a slot of the queue, per namespace. A sharded run counts once however many Jobs and pods its
     * phases have, from its first Job until it ends (its merge or a shard failed): between two phases none of its
     * Jobs is active for a moment, and its next phase must not then wait behind runs that have not started.
     */
    public static Map<String, Integer> runningRuns(Collection<Job> jobs) {
        Map<String, List<Job>> byRun = new java.util.TreeMap<>();
        for (Job j : jobs) {
            if (j.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            byRun.computeIfAbsent(j.getMetadata().getNamespace() + "/" + runKey(j), k -> new ArrayList<>())
                    .add(j);
        }
        Map<String, Integer> running = new java.util.HashMap<>();
        byRun.forEach((key, runJobs) -> {
            if (runJobs.stream().anyMatch(Reconciliation::occupiesSlot) || shardedRunUnfinished(runJobs)) {
                running.merge(key.substring(0, key.indexOf('/')), 1, Integer::sum);
            }
        });
        return running;
    }

    private static boolean shardedRunUnfinished(List<Job> runJobs) {
        boolean sharded = runJobs.stream()
                .anyMatch(j -> j.getMetadata().getLabels() != null
                        && j.getMetadata().getLabels().containsKey(JobLabels.RUN));
        return sharded
                && runJobs.stream().noneMatch(j -> hasCondition(j, "Failed"))
                && runJobs.stream().noneMatch(j -> {
                    String phase = j.getMetadata().getLabels().get(JobLabels.PHASE);
                    return EnginePhase.CLEANUP.label().equals(phase)
                            || EnginePhase.MERGE.label().equals(phase) && hasCondition(j, "Complete");
                });
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null
                && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** An engine Job that occupies a slot: it runs or may start pods (not finished, suspended or being deleted). */
    public static boolean occupiesSlot(Job job) {
        return isActive(job) && !suspended(job) && job.getMetadata().getDeletionTimestamp() == null;
    }

    static boolean suspended(Job job) {
        return job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend());
    }

    /** The API server refused the Job for good: the run fails with its message, and no Job is retried. */
    public static Decision jobRefused(QuantizationJob qj, Decision planned, String message, Instant now) {
        RunState refused = RunState.of(
                Phase.Failed,
                "JobCreateRefused",
                "the API server refused Job " + JobNames.jobName(qj) + ": " + message);
        return withEvent(
                qj.getStatus(),
                Optional.empty(),
                planned.jobsToDelete(),
                StatusCalculator.next(qj, JobNames.jobName(qj), refused, now));
    }

    /**
     * Whether an HTTP status from creating a Job is a refusal that retrying cannot fix: bad request, forbidden (a
     * quota or an admission webhook), invalid. Server errors, throttling and timeouts are retried.
     */
    public static boolean isRefusal(int httpCode) {
        return httpCode == 400 || httpCode == 403 || httpCode == 404 || httpCode == 422;
    }

    /**
     * The run's Job vanished after the operator had seen it, before it recorded an outcome: deleted by someone,
     * or by its own ttlSecondsAfterFinished while the operator was away. Either way the result is unknown, so the
     * run is never silently repeated; only spec.rerunIfJobDeleted creates it again (empty result).
     */
    static Optional<RunState> jobGone(QuantizationJob qj, String jobName) {
        QuantizationJobStatus recorded = qj.getStatus();
        if (!jobSeen(recorded, JobNames.generation(qj), jobName)) {
            return Optional.empty();
        }
        Integer ttl = qj.getSpec().ttlSecondsAfterFinished;
        if (ttl != null) {
            return Optional.of(RunState.of(
                    Phase.Failed,
                    "ResultLost",
                    "Job " + jobName + " is gone before the "
                            + "operator saw it end (last seen: " + recorded.message + "); spec.ttlSecondsAfterFinished="
                            + ttl + " may have deleted it with its result, or someone deleted it; not run again"));
        }
        if (Boolean.TRUE.equals(qj.getSpec().rerunIfJobDeleted)) {
            return Optional.empty();
        }
        return Optional.of(RunState.of(
                Phase.Failed,
                "JobDeleted",
                "Job " + jobName + " was deleted mid-run (last " + "seen: " + recorded.message
                        + "); set spec.rerunIfJobDeleted to run it again"));
    }

    static final Duration QUEUED_RECHECK = Duration.ofSeconds(15);

    /** How long an ended Job's pod may be missing from the informer cache before it counts as gone. */
    static final long CACHE_GRACE_SECONDS = 60;

    /**
     * The Job that the recorded status names for the current generation while {@code ownedJobs} (the informer
     * cache) lacks it: the caller asks the API server for it before deciding, because {@link #decide} takes a
     * missing Job for a deleted one. The cache lags right after the operator created the Job (the Job informer is
     * a separate watch), and the status is written only after the Job was created.
     */
    public static Optional<String> jobToConfirm(QuantizationJob qj, Collection<Job> ownedJobs) {
        String jobName = JobNames.jobName(qj);
        if (!jobSeen(qj.getStatus(), JobNames.generation(qj), jobName)) {
            return Optional.empty();
        }
        boolean cached = controlledBy(qj, ownedJobs).stream()
                .anyMatch(j -> jobName.equals(j.getMetadata().getName()));
        return cached ? Optional.empty() : Optional.of(jobName);
    }

    /**
     * Whether the recorded status shows that this generation's Job was created: an unfinished status names it. The
     * status is written only after the API server took the Job (or answered that it exists), so a Job it names
     * and the API server lacks was deleted. (Not a time since the status: the Ready condition keeps its transition
     * time from when the run was queued, which can be minutes before its Job was created.)
     */
    static boolean jobSeen(QuantizationJobStatus recorded, long generation, String jobName) {
        return recorded != null
                && recorded.phase != null
                && !recorded.phase.terminal()
                && Objects.equals(recorded.observedGeneration, generation)
                && jobName.equals(recorded.jobName);
    }

    /**
     * A run still Pending after spec.podStartTimeoutSeconds (counted from its latest pod's creation, or the Job's
     * while it has none) fails with reason PodStartTimeout, keeping the last thing the cluster said.
     */
    static RunState startDeadline(RunState state, Job job, List<Pod> jobPods, Integer timeoutSeconds, Instant now) {
        if (state.phase() != Phase.Pending || timeoutSeconds == null) {
            return state;
        }
        Instant since = jobPods.stream()
                .map(p -> instant(p.getMetadata().getCreationTimestamp()))
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(instant(job.getMetadata().getCreationTimestamp()));
        if (since == null || !since.plusSeconds(timeoutSeconds).isBefore(now)) {
            return state;
        }
        return new RunState(
                Phase.Failed,
                "PodStartTimeout",
                "the engine did not start within " + "spec.podStartTimeoutSeconds=" + timeoutSeconds + ": "
                        + state.reason() + ": " + state.message(),
                null,
                state.startTime(),
                null,
                true);
    }

    private static String readyReason(QuantizationJobStatus status) {
        return status.conditions == null
                ? null
                : status.conditions.stream()
                        .filter(c -> ConditionTypes.READY.equals(c.getType()))
                        .map(io.fabric8.kubernetes.api.model.Condition::getReason)
                        .findFirst()
                        .orElse(null);
    }

    private static Instant instant(String rfc3339) {
        try {
            return rfc3339 == null ? null : Instant.parse(rfc3339);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** {@code toDelete} plus the current Job, when a spec that must not run still has one active. */
    private static List<String> stopping(List<String> toDelete, Optional<Job> current) {
        List<String> out = new ArrayList<>(toDelete);
        current.filter(Reconciliation::isActive)
                .ifPresent(j -> out.add(j.getMetadata().getName()));
        return out;
    }

    /** A status that ended (Succeeded or Failed) for the current generation stays as recorded. */
    static boolean isFinal(QuantizationJobStatus status, long generation) {
        return status != null
                && status.phase != null
                && status.phase.terminal()
                && Objects.equals(status.observedGeneration, generation);
    }

    /** Jobs of earlier generations that still run: a new spec supersedes them. */
    private static List<String> staleActiveJobs(Collection<Job> ownedJobs, String currentName) {
        return ownedJobs.stream()
                .filter(j -> !currentName.equals(runKey(j)))
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

    private static Decision withEvent(
            QuantizationJobStatus before, Optional<Job> create, List<String> delete, QuantizationJobStatus after) {
        return withEvent(before, create, delete, after, List.of());
    }

    static Decision withEvent(
            QuantizationJobStatus before,
            Optional<Job> create,
            List<String> delete,
            QuantizationJobStatus after,
            List<Job> phaseJobs) {
        QuantizationJobStatus changed = sameStatus(before, after) ? null : after;
        return new Decision(create, List.copyOf(delete), changed, Transition.between(before, after), phaseJobs);
    }

    /** Field-by-field equality through the JSON form, which is what the API server would store. */
    static boolean sameStatus(QuantizationJobStatus a, QuantizationJobStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }
}
