package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.jboss.logging.Logger;

/**
 * Leader election with a quick hand-over. JOSDK 5.3.2 builds fabric8's elector with {@code releaseOnCancel} false
 * and, on a cancelled lease, calls {@code System.exit} from inside the shutdown hook (which blocks until the pod is
 * killed). Here the exit stays for a lost lease, but a shutdown instead releases the Lease, so a warm standby (its
 * informers run before it leads) takes over within its retry period instead of waiting out the lease duration.
 * JOSDK calls {@code onStopLeading} only after it has stopped event processing and waited for running
 * reconciliations, so the two replicas never reconcile at once.
 */
public final class Leadership {
    private static final Logger LOG = Logger.getLogger(Leadership.class);

    /** The Lease timings; {@link #check} names the setting that breaks fabric8's rules. */
    public record Timings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        /** fabric8 waits up to retryPeriod × (1 + 1.2) between tries; the deadline must leave room for one. */
        static final double JITTER = 1.2;

        public Timings check() {
            if (retryPeriod.isNegative() || retryPeriod.isZero()) {
                throw new IllegalArgumentException("quanta.operator.lease.retry-period must be positive");
            }
            if (renewDeadline.toMillis() <= retryPeriod.toMillis() * JITTER) {
                throw new IllegalArgumentException("quanta.operator.lease.renew-deadline (" + renewDeadline.toMillis()
                        + " ms) must be longer than 1.2 × retry-period (" + retryPeriod.toMillis() + " ms)");
            }
            if (leaseDuration.compareTo(renewDeadline) <= 0) {
                throw new IllegalArgumentException("quanta.operator.lease.duration (" + leaseDuration.toMillis()
                        + " ms) must be longer than renew-deadline (" + renewDeadline.toMillis() + " ms)");
            }
            return this;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private volatile boolean shuttingDown;

    Leadership(KubernetesClient client, String namespace, String name, String identity) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
    }

    /** JOSDK's configuration: our callbacks, and no exit of its own (the callbacks decide). */
    LeaderElectionConfiguration configuration(Timings timings) {
        return new LeaderElectionConfiguration(
                name,
                namespace,
                timings.leaseDuration(),
                timings.renewDeadline(),
                timings.retryPeriod(),
                identity,
                new LeaderCallbacks(
                        () -> LOG.infof("%s leads (Lease %s/%s)", identity, namespace, name),
                        this::stoppedLeading,
                        leader -> {}),
                false);
    }

    /** The process is stopping: a cancelled lease from now on is a hand-over, not a loss. */
    void shuttingDown() {
        shuttingDown = true;
    }

    private void stoppedLeading() {
        if (shuttingDown) {
            release();
            return;
        }
        // Another replica may lead already: stop at once rather than reconcile next to it (JOSDK's own rule).
        LOG.errorf("%s lost the Lease %s/%s; exiting", identity, namespace, name);
        new Thread(() -> System.exit(1), "lease-lost").start();
    }

    /**
     * Empties the Lease if this process still holds it, with a one-second duration, as client-go's
     * ReleaseOnCancel does. The update carries the resourceVersion just read: a Lease another replica took meanwhile
     * is left alone (409).
     *
     * @return whether the Lease was released
     */
    boolean release() {
        LeaseLock lock = new LeaseLock(namespace, name, identity);
        try {
            LeaderElectionRecord current = lock.get(client);
            if (current == null || !identity.equals(current.getHolderIdentity())) {
                return false;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lock.update(
                    client,
                    new LeaderElectionRecord("", Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
            LOG.infof("%s released the Lease %s/%s", identity, namespace, name);
            return true;
        } catch (KubernetesClientException e) {
            // The standby then takes over when the lease expires.
            LOG.warnf("%s could not release the Lease %s/%s: %s", identity, namespace, name, e.getMessage());
            return false;
        }
    }
}
