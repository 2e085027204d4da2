package io.quanta.k8s;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches the operator's engine Jobs (in one namespace, or all when null) and keeps the largest number that were
 * active at the same time: not yet Complete or Failed, and not suspended. Every watch event is counted, so a short
 * overlap is not missed between two polls.
 */
final class JobConcurrency implements AutoCloseable {
    private final Map<String, Boolean> active = new ConcurrentHashMap<>();
    private final AtomicInteger peak = new AtomicInteger();
    private final SharedIndexInformer<Job> informer;

    JobConcurrency(KubernetesClient client, String namespace) {
        var jobs = namespace == null
                ? client.batch().v1().jobs().inAnyNamespace()
                : client.batch().v1().jobs().inNamespace(namespace);
        informer = jobs.withLabel("app.kubernetes.io/managed-by", "quanta-operator")
                .inform(Cluster.onEveryState(this::update, job -> active.remove(key(job))));
    }

    private synchronized void update(Job job) {
        if (isActive(job)) {
            active.put(key(job), true);
        } else {
            active.remove(key(job));
        }
        peak.accumulateAndGet(active.size(), Math::max);
    }

    static boolean isActive(Job job) {
        boolean ended = job.getStatus() != null
                && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                                && "True".equals(c.getStatus()));
        boolean suspended =
                job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend());
        return !ended && !suspended;
    }

    int peak() {
        return peak.get();
    }

    private static String key(Job job) {
        return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    }

    @Override
    public void close() {
        informer.close();
    }
}
