package io.quanta.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Lease hand-over on shutdown, against fabric8's CRUD mock API server (it checks resourceVersions). */
@EnableKubernetesMockClient(crud = true)
class LeadershipTest {
    static final String NS = "quanta-system";
    static final Leadership.Timings TIMINGS =
            new Leadership.Timings(Duration.ofSeconds(10), Duration.ofSeconds(7), Duration.ofSeconds(1));

    KubernetesClient client;

    @BeforeEach
    void lease() {
        client.leases().inNamespace(NS).withName("quanta-operator").delete();
        client.resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName("quanta-operator")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("operator-a")
                        .withLeaseDurationSeconds(10)
                        .withAcquireTime(ZonedDateTime.now())
                        .withRenewTime(ZonedDateTime.now())
                        .withLeaseTransitions(3)
                        .endSpec()
                        .build())
                .create();
    }

    Lease current() {
        return client.leases().inNamespace(NS).withName("quanta-operator").get();
    }

    @Test
    void theHolderEmptiesTheLeaseSoTheStandbyNeedNotWaitForItToExpire() {
        assertTrue(new Leadership(client, NS, "quanta-operator", "operator-a").release());
        Lease lease = current();
        assertEquals("", nullToEmpty(lease.getSpec().getHolderIdentity()));
        assertEquals(1, lease.getSpec().getLeaseDurationSeconds());
        assertEquals(3, lease.getSpec().getLeaseTransitions(), "a release is no transition");
    }

    @Test
    void aLeaseAnotherReplicaHoldsIsLeftAlone() {
        String before = current().getMetadata().getResourceVersion();
        assertFalse(new Leadership(client, NS, "quanta-operator", "operator-b").release());
        Lease lease = current();
        assertEquals("operator-a", lease.getSpec().getHolderIdentity());
        assertEquals(before, lease.getMetadata().getResourceVersion());
    }

    @Test
    void aCancelledLeaseIsReleasedOnlyOnceTheProcessStops() {
        Leadership leadership = new Leadership(client, NS, "quanta-operator", "operator-a");
        LeaderElectionConfiguration config = leadership.configuration(TIMINGS);
        assertFalse(config.isExitOnStopLeading(), "the callbacks decide between exit and hand-over");
        assertEquals("operator-a", config.getIdentity().orElseThrow());
        assertEquals(Duration.ofSeconds(10), config.getLeaseDuration());

        leadership.shuttingDown();
        config.getLeaderCallbacks().orElseThrow().onStopLeading();
        assertEquals("", nullToEmpty(current().getSpec().getHolderIdentity()));
    }

    @Test
    void timingsThatFabric8WouldRejectNameTheSetting() {
        assertEquals(TIMINGS, TIMINGS.check());
        var deadline = assertThrows(
                IllegalArgumentException.class,
                () -> new Leadership.Timings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(1))
                        .check());
        assertTrue(deadline.getMessage().startsWith("quanta.operator.lease.renew-deadline"), deadline.getMessage());
        var duration = assertThrows(
                IllegalArgumentException.class,
                () -> new Leadership.Timings(Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(1))
                        .check());
        assertTrue(duration.getMessage().startsWith("quanta.operator.lease.duration"), duration.getMessage());
        var retry = assertThrows(
                IllegalArgumentException.class,
                () -> new Leadership.Timings(Duration.ofSeconds(10), Duration.ofSeconds(7), Duration.ZERO).check());
        assertTrue(retry.getMessage().startsWith("quanta.operator.lease.retry-period"), retry.getMessage());
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
