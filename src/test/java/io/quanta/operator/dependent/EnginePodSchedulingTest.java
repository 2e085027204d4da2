package io.quanta.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.EnginePodSpec;
import io.quanta.operator.api.EnginePodSpec.TolerationSpec;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.SecretReference;
import io.quanta.operator.reconciler.Decision;
import io.quanta.operator.reconciler.Reconciliation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.pod reaches the engine pod as asked, and only as far as the admin's {@link PodPolicy} allows. */
class EnginePodSchedulingTest {

    /** An admin who opened every spec.pod field to the names the test uses. */
    static final PodPolicy OPEN = new PodPolicy(
            true,
            List.of("batch-low"),
            List.of("dedicated", "gpu.example.com/*"),
            List.of("regcred"),
            List.of("team", "cost-center"),
            List.of("sidecar.istio.io/*", "example.com/trace"),
            Map.of("platform", "ml"),
            PodPolicy.DEFAULT_ANNOTATIONS);

    static EngineDefaults defaults(PodPolicy pod) {
        return Fixtures.DEFAULTS.withPolicy(Fixtures.DEFAULTS.policy().withPod(pod));
    }

    static EnginePodSpec everyField() {
        EnginePodSpec pod = new EnginePodSpec();
        pod.nodeSelector = Map.of("kubernetes.io/hostname", "node1");
        pod.tolerations = List.of(
                new TolerationSpec("dedicated", TolerationSpec.Operator.Equal, "ml", TolerationSpec.Effect.NoSchedule),
                new TolerationSpec("gpu.example.com/a100", TolerationSpec.Operator.Exists, null, null));
        pod.affinity = new AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey("kubernetes.io/os")
                .withOperator("In")
                .withValues("linux")
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build();
        pod.priorityClassName = "batch-low";
        pod.imagePullSecrets = List.of(new SecretReference("regcred"));
        pod.labels = Map.of("team", "vision");
        pod.annotations = Map.of("example.com/trace", "on", "sidecar.istio.io/inject", "true");
        return pod;
    }

    static QuantizationJob withPod(EnginePodSpec pod) {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        qj.getSpec().pod = pod;
        return qj;
    }

    @Test
    void everySchedulingFieldReachesThePodTemplate() {
        Job job = EngineJobBuilder.build(withPod(everyField()), defaults(OPEN));
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        ObjectMeta meta = job.getSpec().getTemplate().getMetadata();
        assertEquals(Map.of("kubernetes.io/hostname", "node1"), pod.getNodeSelector());
        assertEquals(
                List.of(
                        new TolerationBuilder()
                                .withKey("dedicated")
                                .withOperator("Equal")
                                .withValue("ml")
                                .withEffect("NoSchedule")
                                .build(),
                        new TolerationBuilder()
                                .withKey("gpu.example.com/a100")
                                .withOperator("Exists")
                                .build()),
                pod.getTolerations());
        Affinity affinity = pod.getAffinity();
        assertEquals(
                "kubernetes.io/os",
                affinity.getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms()
                        .get(0)
                        .getMatchExpressions()
                        .get(0)
                        .getKey());
        assertEquals("batch-low", pod.getPriorityClassName());
        assertEquals(List.of(new LocalObjectReference("regcred")), pod.getImagePullSecrets());
        assertEquals("vision", meta.getLabels().get("team"));
        assertEquals("ml", meta.getLabels().get("platform"), "the operator's default label");
        assertEquals("on", meta.getAnnotations().get("example.com/trace"));
        assertEquals("true", meta.getAnnotations().get("sidecar.istio.io/inject"), "the spec overrides a default");
        // The operator's own labels and owner annotation stay: its informers select on them.
        assertEquals("quanta-operator", meta.getLabels().get(JobLabels.MANAGED_BY));
        assertEquals("vww", meta.getAnnotations().get(JobLabels.QUANTIZATION_JOB));
        assertTrue(
                OPEN.violations(everyField()).isEmpty(),
                OPEN.violations(everyField()).toString());
    }

    @Test
    void withoutSpecPodThePodGetsOnlyTheDefaults() {
        Job job = EngineJobBuilder.build(Fixtures.quantizationJob("vww", 1), Fixtures.DEFAULTS);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals(
                "false",
                job.getSpec().getTemplate().getMetadata().getAnnotations().get("sidecar.istio.io/inject"));
        assertNull(pod.getPriorityClassName());
        assertNull(pod.getAffinity());
        assertTrue(pod.getTolerations() == null || pod.getTolerations().isEmpty());
        assertTrue(pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty());
    }

    @Test
    void theDefaultPolicyRefusesEverythingButNodeSelectionNamingEachField() {
        List<String> v = PodPolicy.DEFAULT.violations(everyField());
        assertEquals(
                List.of(
                        "spec.pod.priorityClassName 'batch-low' is not an allowed priority class (the operator "
                                + "allows none)",
                        "spec.pod.tolerations[0].key 'dedicated' is not an allowed taint key (the operator allows "
                                + "none)",
                        "spec.pod.tolerations[1].key 'gpu.example.com/a100' is not an allowed taint key (the "
                                + "operator allows none)",
                        "spec.pod.imagePullSecrets[0] 'regcred' is not an allowed pull secret (the operator allows "
                                + "none)",
                        "spec.pod.labels 'team' is not an allowed key (the operator allows none)",
                        "spec.pod.annotations 'example.com/trace' is not an allowed key (the operator allows none)",
                        "spec.pod.annotations 'sidecar.istio.io/inject' is not an allowed key (the operator allows "
                                + "none)"),
                v);
    }

    @Test
    void nodeSelectionCanBeForbidden() {
        PodPolicy closed = new PodPolicy(false, List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
        EnginePodSpec pod = new EnginePodSpec();
        pod.nodeSelector = Map.of("disk", "ssd");
        pod.affinity = everyField().affinity;
        assertEquals(
                List.of(
                        "spec.pod.nodeSelector is not allowed (the operator's policy forbids node selection)",
                        "spec.pod.affinity is not allowed (the operator's policy forbids node selection)"),
                closed.violations(pod));
    }

    @Test
    void reservedKeysAndKeylessTolerationsNeedMoreThanAnAllowList() {
        PodPolicy any = new PodPolicy(
                true, List.of("*"), List.of("dedicated"), List.of("*"), List.of("*"), List.of("*"), null, null);
        EnginePodSpec pod = new EnginePodSpec();
        pod.labels = Map.of("app.kubernetes.io/managed-by", "me", "team", "a");
        pod.annotations = Map.of("container.apparmor.security.beta.kubernetes.io/engine", "unconfined");
        pod.tolerations = List.of(new TolerationSpec(null, TolerationSpec.Operator.Exists, null, null));
        List<String> v = any.violations(pod);
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("spec.pod.tolerations[0].key '' is not an allowed taint key"), v.get(0));
        assertTrue(v.get(1).startsWith("spec.pod.labels 'app.kubernetes.io/managed-by' is reserved"), v.get(1));
        assertTrue(
                v.get(2)
                        .startsWith("spec.pod.annotations 'container.apparmor.security.beta.kubernetes.io/engine' "
                                + "is reserved"),
                v.get(2));
    }

    @Test
    void aRefusedPodSpecFailsTheRunBeforeAnyJobExists() {
        Decision d = Reconciliation.decide(
                withPod(everyField()),
                List.of(),
                List.of(),
                p -> Optional.empty(),
                Fixtures.DEFAULTS,
                Instant.parse("2024-05-01T10:10:00Z"));
        assertTrue(d.jobToCreate().isEmpty());
        assertEquals("Failed", d.status().phase.name());
        assertTrue(d.status().message.contains("spec.pod.priorityClassName 'batch-low'"), d.status().message);
    }

    @Test
    void specPodSurvivesTheRoundTripThroughYaml() {
        QuantizationJob qj = Serialization.unmarshal("""
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata: {name: x}
                spec:
                  model: {uri: /m/a.tflite}
                  output: {uri: /o/b.tflite}
                  pod:
                    tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
                    affinity:
                      nodeAffinity:
                        preferredDuringSchedulingIgnoredDuringExecution:
                          - weight: 1
                            preference: {matchExpressions: [{key: zone, operator: In, values: [a]}]}
                """, QuantizationJob.class);
        Toleration t = EngineJobBuilder.build(qj, defaults(OPEN))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTolerations()
                .get(0);
        assertEquals("Exists", t.getOperator());
        assertEquals(
                1,
                qj.getSpec()
                        .pod
                        .affinity
                        .getNodeAffinity()
                        .getPreferredDuringSchedulingIgnoredDuringExecution()
                        .get(0)
                        .getWeight());
    }
}
