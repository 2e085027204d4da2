package io.quanta.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every "phase/reason" the QuantizationJobs of one namespace went through, in the order the watch delivered them.
 * A watch sees each status write, so a state held for less than a poll interval (a run queued for two seconds on a
 * quiet machine) is not missed.
 */
final class StatusHistory implements AutoCloseable {
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();
    private final SharedIndexInformer<QuantizationJob> informer;

    StatusHistory(KubernetesClient client, String namespace) {
        informer = client.resources(QuantizationJob.class)
                .inNamespace(namespace)
                .inform(Cluster.onEveryState(this::record, qj -> {}));
    }

    private void record(QuantizationJob qj) {
        QuantizationJobStatus s = qj.getStatus();
        if (s == null || s.phase == null) {
            return;
        }
        List<String> states = seen.computeIfAbsent(qj.getMetadata().getName(), k -> new CopyOnWriteArrayList<>());
        String state = s.phase + "/" + readyReason(s);
        if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
            states.add(state);
        }
    }

    /** The states of one run, oldest first (empty when none was seen). */
    List<String> of(String name) {
        return List.copyOf(seen.getOrDefault(name, List.of()));
    }

    static String readyReason(QuantizationJobStatus s) {
        return s.conditions == null
                ? null
                : s.conditions.stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .map(c -> c.getReason())
                        .findFirst()
                        .orElse(null);
    }

    @Override
    public void close() {
        informer.close();
    }
}
