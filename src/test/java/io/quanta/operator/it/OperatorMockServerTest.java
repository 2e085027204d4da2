package io.quanta.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quanta.job.JobNames;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.testing.Slow;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Boots the whole operator (Quarkus + JOSDK) against fabric8's CRUD mock API server: a QuantizationJob gets
 * exactly one engine Job and a Pending status, and the health and metrics endpoints answer.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@Slow
class OperatorMockServerTest {

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/health/live")
    URL live;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void quantizationJobGetsOneEngineJobAndAStatus() throws Exception {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        qj.getMetadata().setUid(null);
        qj.getMetadata().setGeneration(null);
        QuantizationJob created = client.resources(QuantizationJob.class)
                .inNamespace("ml")
                .resource(qj)
                .create();
        String jobName = JobNames.jobName(created);

        Job job = await(() ->
                client.batch().v1().jobs().inNamespace("ml").withName(jobName).get());
        assertEquals(
                "QuantizationJob", job.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(
                "localhost/quanta:test",
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

        QuantizationJob withStatus = await(() -> {
            QuantizationJob current = client.resources(QuantizationJob.class)
                    .inNamespace("ml")
                    .withName("vww")
                    .get();
            return current.getStatus() != null && current.getStatus().phase != null ? current : null;
        });
        assertEquals(Phase.Pending, withStatus.getStatus().phase);
        assertEquals(jobName, withStatus.getStatus().jobName);

        Thread.sleep(1000);
        List<Job> jobs = client.batch().v1().jobs().inNamespace("ml").list().getItems();
        assertEquals(1, jobs.size(), "one Job per generation");
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health =
                http.send(HttpRequest.newBuilder(live.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        HttpResponse<String> prometheus =
                http.send(HttpRequest.newBuilder(metrics.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, prometheus.statusCode());
        assertTrue(prometheus.body().contains("jvm_memory_used_bytes"), "Micrometer JVM metrics are exported");
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        T last = probe.get();
        assertNotNull(last, "timed out after 30 s");
        return last;
    }
}
