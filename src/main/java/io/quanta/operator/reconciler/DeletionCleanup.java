package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.EnginePhase;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.dependent.EngineJobBuilder.PhaseJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What to do while a QuantizationJob is being deleted (its finalizer holds it): a sharded run's work location is
 * removed by the run's own cleanup phase, in a Job like the one that cleans up after a failure (the engine's storage
 * code, with the run's credentials and volumes), once the run's other pods are gone so that none writes after it.
 * Bounded: after {@link #TIMEOUT} from the deletion, or when the cleanup cannot run, the deletion goes on with a
 * warning. Pure; the reconciler carries the step out.
 */
final class DeletionCleanup {
    /** How long a deletion may wait for the work location's removal before it goes on without. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** How often a waiting deletion looks again (Job and pod events also wake it). */
    static final Duration RECHECK = Duration.ofSeconds(5);

    /** What to do now. */
    sealed interface Step {}

    /** Let the deletion go on: nothing (more) to clean up. */
    record Release(String why) implements Step {}

    /** Let the deletion go on although the work location may be left: tell the user (log and Warning event). */
    record GiveUp(String message) implements Step {}

    /** Keep the finalizer: stop these Jobs, create the cleanup Job if given, and look again after {@code after}. */
    record Wait(List<String> jobsToStop, Optional<Job> cleanupJob, Duration after, String why) implements Step {}

    private DeletionCleanup() {}

    static Step decide(
            QuantizationJob qj, Collection<Job> ownedJobs, Collection<Pod> pods, EngineDefaults defaults, Instant now) {
        var spec = qj.getSpec();
        if (spec == null || spec.parallelism == null || spec.parallelism <= 1) {
            return new Release("an unsharded run keeps no intermediate files");
        }
        if (Boolean.TRUE.equals(spec.keepIntermediate)) {
            return new Release("spec.keepIntermediate keeps the work location");
        }
        if (qj.getStatus() != null && qj.getStatus().phase == Phase.Succeeded) {
            return new Release("the run succeeded and its merge removed the work location");
        }
        if (ownedJobs.isEmpty()) {
            return new Release("no engine pod ran, so nothing was written");
        }
        String where = ShardedReconciliation.workLocation(qj);
        Instant deleted = deletionTime(qj, now);
        if (now.isAfter(deleted.plus(TIMEOUT))) {
            return new GiveUp("the work location " + where + " was not removed within " + TIMEOUT.toSeconds()
                    + " s of the deletion; remove it by hand");
        }
        Job cleanup = EngineJobBuilder.build(
                qj, defaults, new PhaseJob(EnginePhase.CLEANUP, spec.parallelism, null, false, where));
        String cleanupName = cleanup.getMetadata().getName();
        Optional<Job> existing = ownedJobs.stream()
                .filter(j -> cleanupName.equals(j.getMetadata().getName()))
                .findFirst();
        if (existing.isPresent() && succeeded(existing.get())) {
            return new Release("the cleanup Job " + cleanupName + " removed the work location " + where);
        }
        if (existing.isPresent() && !Reconciliation.isActive(existing.get())) {
            return new GiveUp("the cleanup Job " + cleanupName + " failed to remove the work location " + where
                    + " (see its pod's log); remove it by hand");
        }
        List<String> stop = ownedJobs.stream()
                .filter(j -> !cleanupName.equals(j.getMetadata().getName()))
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                .filter(Reconciliation::isActive)
                .map(j -> j.getMetadata().getName())
                .sorted()
                .toList();
        long writers = pods.stream()
                .filter(p -> !cleanupName.equals(jobOf(p)))
                .filter(p -> !ended(p))
                .count();
        if (!stop.isEmpty() || writers > 0) {
            return new Wait(
                    stop,
                    Optional.empty(),
                    RECHECK,
                    "waiting for " + stop.size() + " Job(s) and " + writers + " pod(s) to stop before removing "
                            + where);
        }
        return new Wait(
                List.of(),
                existing.isPresent() ? Optional.empty() : Optional.of(cleanup),
                RECHECK,
                "removing the work location " + where + " (Job " + cleanupName + ")");
    }

    /** The cleanup Job could not be created (the namespace is going away, a quota, a webhook): go on without. */
    static GiveUp refused(QuantizationJob qj, String message) {
        return new GiveUp("cannot remove the work location " + ShardedReconciliation.workLocation(qj)
                + ": the API server refused its cleanup Job (" + message + "); remove it by hand");
    }

    private static Instant deletionTime(QuantizationJob qj, Instant now) {
        String t = qj.getMetadata().getDeletionTimestamp();
        try {
            return t == null ? now : Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            return now;
        }
    }

    private static boolean succeeded(Job job) {
        return job.getStatus() != null
                && job.getStatus().getSucceeded() != null
                && job.getStatus().getSucceeded() > 0;
    }

    /** The Job a pod belongs to (its owner), or null. */
    private static String jobOf(Pod pod) {
        var owners = pod.getMetadata().getOwnerReferences();
        return owners == null
                ? null
                : owners.stream()
                        .filter(o -> "Job".equals(o.getKind()))
                        .map(io.fabric8.kubernetes.api.model.OwnerReference::getName)
                        .findFirst()
                        .orElse(null);
    }

    private static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
