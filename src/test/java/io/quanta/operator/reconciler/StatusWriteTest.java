package io.quanta.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import org.junit.jupiter.api.Test;

/** Status writes are conditional on the resourceVersion the decision was made on. */
@EnableKubernetesMockClient(crud = true)
class StatusWriteTest {
    KubernetesClient client;

    static QuantizationJobStatus status(Phase phase) {
        QuantizationJobStatus s = new QuantizationJobStatus();
        s.phase = phase;
        return s;
    }

    @Test
    void thePatchCarriesOnlyTheStatusAndTheVersionItWasDecidedOn() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 2);
        qj.getMetadata().setResourceVersion("41");
        QuantizationJob patch = QuantizationJobReconciler.statusPatch(qj, status(Phase.Running));
        assertEquals("41", patch.getMetadata().getResourceVersion());
        assertEquals(qj.getMetadata().getName(), patch.getMetadata().getName());
        assertEquals(qj.getMetadata().getNamespace(), patch.getMetadata().getNamespace());
        assertEquals(Phase.Running, patch.getStatus().phase);
        assertNull(patch.getSpec(), "the spec belongs to the user");
        assertNull(patch.getMetadata().getUid());
    }

    @Test
    void aWriteDecidedOnAnOutdatedVersionIsRefused() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        qj.getMetadata().setUid(null);
        qj.getMetadata().setResourceVersion(null);
        QuantizationJob stale = client.resources(QuantizationJob.class)
                .inNamespace("ml")
                .resource(qj)
                .create();
        // The current leader moves the status on; a deposed one still holds the older copy.
        client.resources(QuantizationJob.class)
                .inNamespace("ml")
                .resource(QuantizationJobReconciler.statusPatch(stale, status(Phase.Succeeded)))
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE));

        var refused = assertThrows(
                KubernetesClientException.class,
                () -> client.resources(QuantizationJob.class)
                        .inNamespace("ml")
                        .resource(QuantizationJobReconciler.statusPatch(stale, status(Phase.Running)))
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE)));
        assertEquals(409, refused.getCode());
        assertEquals(
                Phase.Succeeded,
                client.resources(QuantizationJob.class)
                        .inNamespace("ml")
                        .withName("vww")
                        .get()
                        .getStatus()
                        .phase);
    }
}
