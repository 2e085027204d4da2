package io.quanta.operator.reconciler;

import static io.quanta.operator.Fixtures.createdJob;
import static io.quanta.operator.Fixtures.pod;
import static io.quanta.operator.Fixtures.quantizationJob;
import static io.quanta.operator.Fixtures.successResult;
import static io.quanta.operator.Fixtures.terminated;
import static io.quanta.operator.Fixtures.withCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.report.ResultCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunMetricsTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:10:00Z");

    /** The informer cache as the reconciler sees it. */
    static final class Cache implements ResourceCache<QuantizationJob> {
        final Map<ResourceID, QuantizationJob> items = new ConcurrentHashMap<>();

        void put(QuantizationJob qj) {
            items.put(ResourceID.fromResource(qj), qj);
        }

        @Override
        public Stream<QuantizationJob> list(String namespace, Predicate<QuantizationJob> predicate) {
            return list(predicate).filter(q -> namespace.equals(q.getMetadata().getNamespace()));
        }

        @Override
        public Optional<QuantizationJob> get(ResourceID id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public Stream<ResourceID> keys() {
            return items.keySet().stream();
        }

        @Override
        public Stream<QuantizationJob> list(Predicate<QuantizationJob> predicate) {
            return items.values().stream().filter(predicate);
        }
    }

    static QuantizationJobStatus succeeded(QuantizationJob qj) {
        Job job = withCondition(createdJob(qj), "Complete", null, null);
        return Reconciliation.decide(
                        qj,
                        List.of(job),
                        List.of(pod(
                                job,
                                "a",
                                terminated(0, "Completed", ResultCodec.toTerminationMessage(successResult())))),
                        p -> Optional.empty(),
                        Fixtures.DEFAULTS,
                        NOW)
                .status();
    }

    @Test
    void aRunIsCountedOnceWhenItsFinalStatusIsStored() {
        QuantizationJob qj = quantizationJob("vww", 1);
        QuantizationJobStatus done = succeeded(qj);
        done.startTime = "2024-05-01T10:00:00Z";
        done.completionTime = "2024-05-01T10:01:30Z";
        RunMetrics.Outcome o = RunMetrics.outcome(null, done).orElseThrow();
        assertEquals(Phase.Succeeded, o.result());
        assertEquals("Completed", o.reason());
        assertEquals(Optional.of(Duration.ofSeconds(90)), o.duration());
        assertTrue(RunMetrics.outcome(done, done).isEmpty(), "already final for this generation");
        QuantizationJobStatus running = new QuantizationJobStatus();
        running.phase = Phase.Running;
        assertTrue(RunMetrics.outcome(null, running).isEmpty());
        QuantizationJobStatus nextGeneration = succeeded(quantizationJob("vww", 2));
        assertTrue(RunMetrics.outcome(done, nextGeneration).isPresent(), "a new generation's run counts again");
    }

    @Test
    void gaugesReadTheCacheAtScrapeTimeAndCountersTheStoredOutcomes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMetrics metrics = new RunMetrics(registry);
        Cache cache = new Cache();
        QuantizationJob vww = quantizationJob("vww", 1);
        QuantizationJob other = quantizationJob("other", 1);
        other.getMetadata().setUid("other-uid");
        QuantizationJobStatus queued = new QuantizationJobStatus();
        queued.phase = Phase.Queued;
        other.setStatus(queued);
        cache.put(vww);
        cache.put(other);
        metrics.track(vww, cache);
        metrics.track(other, cache);
        assertEquals(1.0, registry.get("quanta.queue.length").gauge().value());
        assertEquals(
                1.0,
                registry.get("quanta.quantizationjobs")
                        .tags("namespace", "ml", "phase", "Queued")
                        .gauge()
                        .value());
        assertTrue(Double.isNaN(registry.get("quanta.job.accuracy.drop")
                .tags("name", "vww")
                .gauge()
                .value()));

        QuantizationJobStatus done = succeeded(vww);
        metrics.recordStored(null, done);
        vww.setStatus(done); // the informer delivers the stored status
        assertEquals(
                1.0,
                registry.get("quanta.quantizationjobs")
                        .tags("namespace", "ml", "phase", "Succeeded")
                        .gauge()
                        .value());
        assertEquals(
                0.01,
                registry.get("quanta.job.accuracy.drop")
                        .tags("name", "vww")
                        .gauge()
                        .value());
        assertEquals(
                0.2833,
                registry.get("quanta.job.size.ratio")
                        .tags("name", "vww")
                        .gauge()
                        .value(),
                1e-4);
        assertEquals(
                1.0,
                registry.get("quanta.runs")
                        .tags("result", "Succeeded", "reason", "Completed")
                        .counter()
                        .count());
        metrics.reconcileError(vww);
        assertEquals(1.0, registry.get("quanta.reconcile.errors").counter().count());
    }
}
