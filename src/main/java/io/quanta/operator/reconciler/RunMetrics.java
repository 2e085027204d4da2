package io.quanta.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quanta.job.ConditionTypes;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The operator's own metrics on /q/metrics (Prometheus names in brackets):
 *
 * <ul>
 *   <li>QuantizationJobs by phase and namespace [quanta_quantizationjobs], and those waiting in the operator's queue
 *       [quanta_queue_length], read from the informer cache at scrape time;
 *   <li>finished runs by result and reason [quanta_runs_total] and their duration from engine start to end as a
 *       histogram [quanta_run_duration_seconds], counted when the final status is stored;
 *   <li>the last accuracy drop and size ratio per QuantizationJob [quanta_job_accuracy_drop, quanta_job_size_ratio];
 *   <li>reconciliations that failed with an exception [quanta_reconcile_errors_total].
 * </ul>
 */
final class RunMetrics {
    private final MeterRegistry registry;
    private volatile ResourceCache<QuantizationJob> cache;
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    private final Set<ResourceID> jobs = ConcurrentHashMap.newKeySet();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("quanta.queue.length", this, m -> m.count(null, Phase.Queued, true))
                .description("QuantizationJobs waiting for a slot under the operator's limits")
                .register(registry);
    }

    /** Registers the gauges of {@code qj} and its namespace (once); their values are read at scrape time. */
    void track(QuantizationJob qj, ResourceCache<QuantizationJob> primaries) {
        cache = primaries;
        String namespace = qj.getMetadata().getNamespace();
        if (namespaces.add(namespace)) {
            for (Phase phase : Phase.values()) {
                Gauge.builder("quanta.quantizationjobs", this, m -> m.count(namespace, phase, false))
                        .description("QuantizationJobs by phase of their latest generation")
                        .tags("namespace", namespace, "phase", phase.name())
                        .register(registry);
            }
        }
        ResourceID id = ResourceID.fromResource(qj);
        if (jobs.add(id)) {
            Tags tags = Tags.of("namespace", namespace, "name", qj.getMetadata().getName());
            gauge(
                    "quanta.job.accuracy.drop",
                    "Accuracy drop of the last successful run",
                    tags,
                    id,
                    s -> s.accuracy == null ? Double.NaN : s.accuracy.drop);
            gauge(
                    "quanta.job.size.ratio",
                    "Quantized / float size of the last successful run",
                    tags,
                    id,
                    s -> s.sizes == null ? Double.NaN : s.sizes.ratio);
        }
    }

    private void gauge(
            String name, String description, Tags tags, ResourceID id, ToDoubleFunction<QuantizationJobStatus> value) {
        Gauge.builder(name, this, m -> m.succeeded(id).map(value::applyAsDouble).orElse(Double.NaN))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    /** Counts a run that {@code after} (the status just stored) finished; nothing when it was already final. */
    void recordStored(QuantizationJobStatus before, QuantizationJobStatus after) {
        outcome(before, after).ifPresent(o -> {
            Counter.builder("quanta.runs")
                    .description("Finished runs by result and reason")
                    .tags("result", o.result().name(), "reason", o.reason())
                    .register(registry)
                    .increment();
            o.duration()
                    .ifPresent(d -> Timer.builder("quanta.run.duration")
                            .description("Run time from engine start to the end of the run")
                            .tags("result", o.result().name())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofSeconds(1))
                            .maximumExpectedValue(Duration.ofHours(6))
                            .register(registry)
                            .record(d));
        });
    }

    void reconcileError(QuantizationJob qj) {
        Counter.builder("quanta.reconcile.errors")
                .description("Reconciliations that ended in an exception")
                .tags("namespace", qj.getMetadata().getNamespace())
                .register(registry)
                .increment();
    }

    /** A finished run: its result, Ready reason, and duration when the engine had started. */
    record Outcome(Phase result, String reason, Optional<Duration> duration) {}

    /** The run that {@code after} records as finished, unless {@code before} already did for that generation. */
    static Optional<Outcome> outcome(QuantizationJobStatus before, QuantizationJobStatus after) {
        if (after == null || after.phase == null || !after.phase.terminal()) {
            return Optional.empty();
        }
        boolean alreadyFinal = before != null
                && before.phase != null
                && before.phase.terminal()
                && Objects.equals(before.observedGeneration, after.observedGeneration);
        if (alreadyFinal) {
            return Optional.empty();
        }
        String reason = after.conditions == null
                ? after.phase.name()
                : after.conditions.stream()
                        .filter(c -> ConditionTypes.READY.equals(c.getType()))
                        .map(io.fabric8.kubernetes.api.model.Condition::getReason)
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(after.phase.name());
        Optional<Duration> duration = Optional.empty();
        if (after.startTime != null && after.completionTime != null) {
            try {
                Duration d = Duration.between(Instant.parse(after.startTime), Instant.parse(after.completionTime));
                duration = d.isNegative() ? Optional.empty() : Optional.of(d);
            } catch (java.time.format.DateTimeParseException e) {
                duration = Optional.empty();
            }
        }
        return Optional.of(new Outcome(after.phase, reason, duration));
    }

    private double count(String namespace, Phase phase, boolean operatorQueueOnly) {
        ResourceCache<QuantizationJob> c = cache;
        if (c == null) {
            return 0;
        }
        return c.list(qj ->
                        (namespace == null || namespace.equals(qj.getMetadata().getNamespace()))
                                && qj.getStatus() != null
                                && qj.getStatus().phase == phase
                                && (!operatorQueueOnly || !"QueuedInKueue".equals(readyReason(qj.getStatus()))))
                .count();
    }

    private Optional<QuantizationJobStatus> succeeded(ResourceID id) {
        ResourceCache<QuantizationJob> c = cache;
        return Optional.ofNullable(c)
                .flatMap(x -> x.get(id))
                .map(QuantizationJob::getStatus)
                .filter(s -> s.phase == Phase.Succeeded);
    }

    private static String readyReason(QuantizationJobStatus s) {
        return s.conditions == null
                ? null
                : s.conditions.stream()
                        .filter(c -> ConditionTypes.READY.equals(c.getType()))
                        .map(io.fabric8.kubernetes.api.model.Condition::getReason)
                        .findFirst()
                        .orElse(null);
    }
}
