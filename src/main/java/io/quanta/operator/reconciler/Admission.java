package io.quanta.operator.reconciler;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a QuantizationJob may start its engine Job now, under {@code maxConcurrentJobs} (cluster-wide) and the
 * per-namespace limits. Pure: the callers pass what the caches show.
 *
 * <p>Waiting runs are admitted first come, first served by creation time: the queue is replayed in that order and a
 * run is admitted when every limit it falls under still has room after the runs ahead of it took theirs. A run held
 * back only by its own namespace's limit does not hold back runs of other namespaces.
 */
public final class Admission {

    private Admission() {}

    /**
     * The limits; 0 means none.
     *
     * @param global       engine Jobs running at once across all namespaces
     * @param perNamespace engine Jobs running at once in any one namespace
     * @param namespaces   per-namespace limits that replace {@code perNamespace} for the named namespaces
     */
    public record Limits(int global, int perNamespace, Map<String, Integer> namespaces) {
        public static final Limits NONE = new Limits(0, 0, Map.of());

        public Limits {
            if (global < 0 || perNamespace < 0) {
                throw new IllegalArgumentException("maxConcurrentJobs must be >= 0 (0 = no limit)");
            }
            namespaces = namespaces == null ? Map.of() : Map.copyOf(namespaces);
            namespaces.forEach((ns, n) -> {
                if (n < 0) {
                    throw new IllegalArgumentException("the limit of namespace " + ns + " must be >= 0 (0 = none)");
                }
            });
        }

        public int forNamespace(String namespace) {
            return namespaces.getOrDefault(namespace, perNamespace);
        }

        public boolean none() {
            return global == 0
                    && perNamespace == 0
                    && namespaces.values().stream().allMatch(n -> n == 0);
        }
    }

    /** A QuantizationJob whose current generation needs an engine Job that does not exist yet. */
    public record Waiting(String namespace, String name, String creationTimestamp) {
        static final Comparator<Waiting> FIFO = Comparator.comparing(
                        (Waiting w) -> Objects.requireNonNullElse(w.creationTimestamp(), ""))
                .thenComparing(Waiting::namespace)
                .thenComparing(Waiting::name);
    }

    /**
     * The outcome for one waiting run.
     *
     * @param admitted whether it may create its Job now
     * @param reason   MaxConcurrentJobs or NamespaceLimit when not admitted
     * @param message  why it waits, naming the limit (stable while it waits, so the status is not patched per step)
     * @param ahead    waiting runs ahead of it that were not admitted either
     */
    public record Verdict(boolean admitted, String reason, String message, int ahead) {
        public static final Verdict ADMITTED = new Verdict(true, null, null, 0);
    }

    /**
     * @param candidate one of {@code waiting}
     * @param waiting   every run that waits for its Job (the candidate included), in any order
     * @param running   engine Jobs that run (active, not suspended) per namespace
     */
    public static Verdict decide(
            Waiting candidate, Collection<Waiting> waiting, Map<String, Integer> running, Limits limits) {
        if (limits.none()) {
            return Verdict.ADMITTED;
        }
        Map<String, Integer> perNamespace = new HashMap<>(running);
        int total = running.values().stream().mapToInt(Integer::intValue).sum();
        int ahead = 0;
        List<Waiting> queue = waiting.stream().sorted(Waiting.FIFO).toList();
        for (Waiting w : queue) {
            int inNamespace = perNamespace.getOrDefault(w.namespace(), 0);
            int nsLimit = limits.forNamespace(w.namespace());
            boolean globalFull = limits.global() > 0 && total >= limits.global();
            boolean namespaceFull = nsLimit > 0 && inNamespace >= nsLimit;
            boolean self = w.equals(candidate);
            if (!globalFull && !namespaceFull) {
                if (self) {
                    return Verdict.ADMITTED;
                }
                perNamespace.merge(w.namespace(), 1, Integer::sum);
                total++;
                continue;
            }
            if (self) {
                return globalFull
                        ? new Verdict(
                                false,
                                "MaxConcurrentJobs",
                                "waiting for a slot: maxConcurrentJobs=" + limits.global()
                                        + " engine Jobs run cluster-wide; first come, first served",
                                ahead)
                        : new Verdict(
                                false,
                                "NamespaceLimit",
                                "waiting for a slot: " + nsLimit + " engine Jobs run in namespace " + w.namespace()
                                        + " (its limit); first come, first served",
                                ahead);
            }
            ahead++;
        }
        throw new IllegalArgumentException("the candidate " + candidate + " is not among the waiting runs");
    }
}
