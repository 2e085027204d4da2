package io.quanta.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusterVersionTest {
    @Test
    void indexedJobsFrom124() {
        assertFalse(ClusterVersion.servesIndexedJobs("1", "20"), "the shared test cluster");
        assertFalse(ClusterVersion.servesIndexedJobs("1", "23"));
        assertTrue(ClusterVersion.servesIndexedJobs("1", "24"));
        assertTrue(ClusterVersion.servesIndexedJobs("1", "29+"), "EKS/GKE write a plus");
        assertTrue(ClusterVersion.servesIndexedJobs("2", "0"));
        assertFalse(ClusterVersion.servesIndexedJobs("", null), "unreadable: one Job per shard always works");
        assertFalse(ClusterVersion.servesIndexedJobs("v1", "x"));
    }
}
