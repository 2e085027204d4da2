package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quanta.job.JobNames;
import io.quanta.operator.api.QuantizationJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator's side of {@link Admission}: what the caches show, plus the Jobs this process created that the Job
 * informer has not delivered yet. Reconciliations of different QuantizationJobs run in parallel, so admitting and
 * creating happen under this object's lock (see QuantizationJobReconciler); only the leader reconciles, so one
 * process holds the whole count.
 */
final class JobQueue {
    /** Longer than any informer lag; a reservation older than this is dropped even if the Job never showed. */
    static final Duration RESERVATION = Duration.ofMinutes(2);

    private final Admission.Limits limits;
    /** namespace/name of Jobs created by this process, until the informer shows them. */
    private final Map<String, Instant> reserved = new HashMap<>();
    /** QuantizationJobs last seen waiting for admission: a finished Job wakes them. */
    private final Set<ResourceID> queued = ConcurrentHashMap.newKeySet();

    JobQueue(Admission.Limits limits) {
        this.limits = limits;
    }

    Admission.Limits limits() {
        return limits;
    }

    /** Decides for {@code qj}; call with this object's lock held, and {@link #reserve} the Job it then creates. */
    Admission.Verdict verdict(
            QuantizationJob qj, Stream<QuantizationJob> primaries, Collection<Job> jobs, Instant now) {
        if (limits.none()) {
            return Admission.Verdict.ADMITTED;
        }
        Set<String> existing = jobs.stream().map(JobQueue::key).collect(Collectors.toCollection(HashSet::new));
        reserved.keySet().removeIf(existing::contains);
        reserved.values().removeIf(at -> at.plus(RESERVATION).isBefore(now));
        Map<String, Integer> running = new HashMap<>(Reconciliation.runningRuns(jobs));
        reserved.keySet().forEach(k -> running.merge(k.substring(0, k.indexOf('/')), 1, Integer::sum));
        existing.addAll(reserved.keySet());

        Admission.Waiting candidate = waiting(qj);
        List<Admission.Waiting> waiting = primaries
                .filter(p -> Reconciliation.waitsForAdmission(p, existing))
                .map(JobQueue::waiting)
                .collect(Collectors.toCollection(java.util.ArrayList::new));
        if (!waiting.contains(candidate)) {
            waiting.add(candidate);
        }
        return Admission.decide(candidate, waiting, running, limits);
    }

    void reserve(Job job, Instant now) {
        reserved.put(key(job), now);
    }

    void waiting(QuantizationJob qj, boolean isQueued) {
        ResourceID id = ResourceID.fromResource(qj);
        if (isQueued) {
            queued.add(id);
        } else {
            queued.remove(id);
        }
    }

    int queueLength() {
        return queued.size();
    }

    /** The QuantizationJobs to reconcile for an event on {@code job}: its owner, and all queued ones once it ends. */
    Set<ResourceID> affected(Job job, Set<ResourceID> owners) {
        if (queued.isEmpty() || Reconciliation.occupiesSlot(job)) {
            return owners;
        }
        Set<ResourceID> out = new HashSet<>(owners);
        out.addAll(queued);
        return out;
    }

    private static Admission.Waiting waiting(QuantizationJob qj) {
        return new Admission.Waiting(
                qj.getMetadata().getNamespace(),
                qj.getMetadata().getName(),
                qj.getMetadata().getCreationTimestamp());
    }

    /** A run's key: every Job of a sharded run has the same one (see Reconciliation#runKey). */
    private static String key(Job job) {
        return job.getMetadata().getNamespace() + "/" + Reconciliation.runKey(job);
    }

    static String key(QuantizationJob qj) {
        return qj.getMetadata().getNamespace() + "/" + JobNames.jobName(qj);
    }
}
