package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.operator.api.QuantizationJobStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator on a cluster shared by teams: a namespace user who may create QuantizationJobs and PVCs but not pods
 * gets no more than the admin's policy allows, and every way a run fails on the cluster reaches the status with its
 * own reason. The user is impersonated (what {@code kubectl --as} does).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OperatorRelease.class)
class SharedClusterTest {
    static final String NS = "quanta-tenant";
    static final String TENANT = "tenant-alice";
    static final String EDITOR = "tenant-bob";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    static KubernetesClient admin;
    static KubernetesClient tenant;

    @BeforeAll
    static void setUp() {
        admin = Cluster.client();
        Cluster.createNamespace(admin, NS);
        apply(admin, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: quanta-tenant, namespace: %1$s}
                rules:
                  - apiGroups: [quanta.io]
                    resources: [quantizationjobs]
                    verbs: [get, list, watch, create, delete]
                  - apiGroups: [""]
                    resources: [persistentvolumeclaims]
                    verbs: [get, list, create, delete]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: quanta-tenant, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: quanta-tenant}
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: %2$s}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: quanta-editor, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: %3$s}
                """.formatted(NS, TENANT, EDITOR));
        tenant = impersonating(TENANT);
    }

    @AfterAll
    static void tearDown() {
        try {
            Cluster.deleteNamespace(admin, NS);
        } finally {
            tenant.close();
            admin.close();
        }
    }

    @ParameterizedTest(name = "{0} may {1} {2}/{3}: {4}")
    @CsvSource({
        TENANT + ", create, quanta.io, quantizationjobs,       true",
        TENANT + ", create, '',        persistentvolumeclaims, true",
        TENANT + ", create, '',        pods,                   false",
        TENANT + ", create, batch,     jobs,                   false",
        EDITOR + ", create, quanta.io, quantizationjobs,       true",
        EDITOR + ", delete, quanta.io, quantizationjobs,       true",
    })
    @Order(1)
    void namespaceUsersGetQuantizationJobsAndTheStandardEditRoleIncludesThem(
            String user, String verb, String group, String resource, boolean expected) {
        Cluster.assertCanI(admin, user, List.of("system:authenticated"), NS, verb, group, resource, expected);
    }

    @Test
    @Order(2)
    void aUserBoundToEditCreatesAQuantizationJob() {
        try (KubernetesClient editor = impersonating(EDITOR)) {
            QuantizationJob created = editor.resources(QuantizationJob.class)
                    .inNamespace(NS)
                    .resource(quantizationJob("by-editor", ""))
                    .create();
            assertEquals("by-editor", created.getMetadata().getName());
            editor.resources(QuantizationJob.class)
                    .inNamespace(NS)
                    .withName("by-editor")
                    .delete();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "host-etc      | volumes: [{name: host, mountPath: /host, hostPath: /etc}]"
                        + "         | spec.volumes[0].hostPath '/etc' is not under an allowed host path",
                "foreign-image | image: docker.io/library/busybox:1.36"
                        + "         | spec.image 'docker.io/library/busybox:1.36' is not an allowed image",
                "too-much-cpu  | 'resources: {requests: {cpu: \"128\"}}'"
                        + "         | spec.resources.requests.cpu 128 exceeds the maximum",
                "s3-no-creds   | 'model: {uri: s3://models/model.tflite}'"
                        + "         | spec.model is an s3:// location without secretRef",
            })
    @Order(3)
    void aTenantGetsPolicyViolationAndNoPodOrJob(String name, String extra, String expected) {
        var qjs = tenant.resources(QuantizationJob.class).inNamespace(NS);
        qjs.resource(quantizationJob(name, extra)).create();
        QuantizationJobStatus status = awaitReason(name, "PolicyViolation", Duration.ofSeconds(60));
        System.out.println(name + " status:\n" + Serialization.asYaml(status));
        assertEquals(Phase.Failed, status.phase);
        assertTrue(status.message.contains(expected), status.message);
        assertTrue(jobsOf(name).isEmpty(), "no Job for a policy violation");
        assertTrue(
                admin.pods()
                        .inNamespace(NS)
                        .withLabel("app.kubernetes.io/instance", name)
                        .list()
                        .getItems()
                        .isEmpty(),
                "no pod for a policy violation");
        qjs.withName(name).delete();
    }

    @Test
    @Order(4)
    void aJobRefusedByAQuotaFailsWithTheApiServersMessage() {
        apply(admin, """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: no-jobs, namespace: %s}
                spec:
                  hard: {count/jobs.batch: "0"}
                """.formatted(NS));
        try {
            // The quota controller must have counted the namespace before admission enforces it.
            Cluster.await("quota status", Duration.ofSeconds(60), () -> {
                var quota = admin.resourceQuotas()
                        .inNamespace(NS)
                        .withName("no-jobs")
                        .get();
                return quota.getStatus() != null && quota.getStatus().getHard() != null;
            });
            tenant.resources(QuantizationJob.class)
                    .inNamespace(NS)
                    .resource(quantizationJob("quota", ""))
                    .create();
            QuantizationJobStatus status = awaitReason("quota", "JobCreateRefused", Duration.ofSeconds(60));
            System.out.println("quota status:\n" + Serialization.asYaml(status));
            assertEquals(Phase.Failed, status.phase);
            assertTrue(status.message.contains("exceeded quota"), status.message);
            assertTrue(jobsOf("quota").isEmpty());
        } finally {
            admin.resourceQuotas().inNamespace(NS).withName("no-jobs").delete();
            tenant.resources(QuantizationJob.class)
                    .inNamespace(NS)
                    .withName("quota")
                    .delete();
        }
    }

    @Test
    @Order(5)
    void aPodThatNeverStartsTimesOut() {
        // A Secret that does not exist: the kubelet cannot mount it, the engine container never starts.
        tenant.resources(QuantizationJob.class)
                .inNamespace(NS)
                .resource(quantizationJob("never-starts", """
                podStartTimeoutSeconds: 20
                evaluation:
                  location: {uri: "https://example.com/eval.tar", secretRef: {name: missing-secret}}
                  format: Images
                  labels: Directory
                """))
                .create();
        QuantizationJobStatus status = awaitReason("never-starts", "PodStartTimeout", Duration.ofSeconds(120));
        System.out.println("never-starts status:\n" + Serialization.asYaml(status));
        assertEquals(Phase.Failed, status.phase);
        assertTrue(status.message.contains("spec.podStartTimeoutSeconds=20"), status.message);
        Cluster.await(
                "the timed-out Job stopped",
                Duration.ofSeconds(60),
                () -> jobsOf("never-starts").isEmpty());
        tenant.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName("never-starts")
                .delete();
    }

    @Test
    @Order(6)
    void anUnschedulablePodShowsTheSchedulersReasonAndADeletedJobIsRecorded() {
        tenant.resources(QuantizationJob.class)
                .inNamespace(NS)
                .resource(quantizationJob("unschedulable", """
                podStartTimeoutSeconds: 3600
                resources: {requests: {cpu: "60"}}
                """))
                .create();
        QuantizationJobStatus pending = awaitReason("unschedulable", "Unschedulable", Duration.ofSeconds(90));
        System.out.println("unschedulable status:\n" + Serialization.asYaml(pending));
        assertEquals(Phase.Pending, pending.phase);
        assertTrue(pending.message.contains("Insufficient cpu"), pending.message);

        // Someone deletes the Job mid-run: recorded, and not run again (the spec does not ask for it).
        admin.batch().v1().jobs().inNamespace(NS).withName(pending.jobName).delete();
        QuantizationJobStatus deleted = awaitReason("unschedulable", "JobDeleted", Duration.ofSeconds(60));
        System.out.println("deleted status:\n" + Serialization.asYaml(deleted));
        assertEquals(Phase.Failed, deleted.phase);
        Cluster.sleep(Duration.ofSeconds(5));
        assertTrue(jobsOf("unschedulable").isEmpty(), "the run was not silently started again");
        tenant.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName("unschedulable")
                .delete();
    }

    /**
     * A run that finishes while the operator is away and whose Job is deleted after ttlSecondsAfterFinished is
     * recorded as ResultLost, never run again. Kubernetes 1.20 has the TTL controller behind an alpha feature gate
     * that the test cluster leaves off, so the test deletes the finished Job itself, as that controller would.
     */
    @Test
    @Order(7)
    void aResultLostToTheTtlIsRecordedAndNotRerun() {
        var qjs = tenant.resources(QuantizationJob.class).inNamespace(NS);
        qjs.resource(quantizationJob("ttl-lost", """
                ttlSecondsAfterFinished: 5
                podStartTimeoutSeconds: 3600
                evaluation:
                  location: {uri: "https://example.com/eval.tar", secretRef: {name: late-secret}}
                  format: Images
                  labels: Directory
                """)).create();
        // Held before its start by the missing Secret until the operator is gone.
        QuantizationJobStatus seen = Cluster.await("the pending pod seen", Duration.ofSeconds(90), () -> {
            QuantizationJobStatus s = status("ttl-lost");
            return s != null && "PodPending".equals(reason(s)) ? s : null;
        });
        var deployment = admin.apps()
                .deployments()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withName(OperatorRelease.RELEASE);
        deployment.scale(0);
        try {
            Cluster.await(
                    "the operator gone",
                    Duration.ofSeconds(120),
                    () -> admin.pods()
                            .inNamespace(OperatorRelease.SYSTEM_NS)
                            .withLabel("app.kubernetes.io/instance", OperatorRelease.RELEASE)
                            .list()
                            .getItems()
                            .isEmpty());
            admin.secrets()
                    .inNamespace(NS)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("late-secret")
                            .endMetadata()
                            .addToStringData("AWS_ACCESS_KEY_ID", "unused")
                            .build())
                    .create();
            Job ended = Cluster.await("the run ended", Duration.ofSeconds(300), () -> {
                Job job = admin.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withName(seen.jobName)
                        .get();
                return job != null
                                && job.getStatus() != null
                                && job.getStatus().getConditions() != null
                                && !job.getStatus().getConditions().isEmpty()
                        ? job
                        : null;
            });
            assertFalse(ended.getStatus().getConditions().isEmpty());
            admin.batch().v1().jobs().inNamespace(NS).withName(seen.jobName).delete();
            Cluster.await(
                    "the Job gone",
                    Duration.ofSeconds(60),
                    () -> jobsOf("ttl-lost").isEmpty());
        } finally {
            deployment.scale(1);
        }
        QuantizationJobStatus lost = awaitReason("ttl-lost", "ResultLost", Duration.ofSeconds(180));
        System.out.println("ttl-lost status:\n" + Serialization.asYaml(lost));
        assertEquals(Phase.Failed, lost.phase);
        Cluster.sleep(Duration.ofSeconds(5));
        assertTrue(jobsOf("ttl-lost").isEmpty(), "the run was not silently started again");
        qjs.withName("ttl-lost").delete();
    }

    /** A valid QuantizationJob on the hostPath /tmp that the test release allows, plus {@code extra} spec lines. */
    private static QuantizationJob quantizationJob(String name, String extra) {
        String spec = """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: %s
                spec:
                  model: {uri: /host/model.tflite}
                  quantization: {mode: DynamicRange}
                  output: {uri: /host/out/model_int8.tflite}
                  volumes:
                    - {name: host, mountPath: /host, hostPath: /tmp}
                """.formatted(name);
        QuantizationJob qj = Serialization.unmarshal(spec, QuantizationJob.class);
        if (!extra.isBlank()) {
            // The extra top-level spec keys replace those above.
            try {
                Map<String, Object> merged = YAML.convertValue(qj.getSpec(), MAP);
                merged.putAll(YAML.readValue(extra, MAP));
                qj.setSpec(YAML.convertValue(merged, QuantizationJobSpec.class));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return qj;
    }

    private static KubernetesClient impersonating(String user) {
        Config config = new ConfigBuilder(Config.autoConfigure(null))
                .withImpersonateUsername(user)
                .withImpersonateGroups("system:authenticated")
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static void apply(KubernetesClient client, String yaml) {
        for (HasMetadata item : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            client.resource(item).createOr(existing -> existing.update());
        }
    }

    private static QuantizationJobStatus awaitReason(String name, String reason, Duration timeout) {
        return Cluster.await(name + " with reason " + reason, timeout, () -> {
            QuantizationJobStatus s = status(name);
            return s != null && reason.equals(reason(s)) ? s : null;
        });
    }

    private static QuantizationJobStatus status(String name) {
        QuantizationJob qj = admin.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        return qj == null ? null : qj.getStatus();
    }

    private static String reason(QuantizationJobStatus status) {
        return status.conditions == null
                ? null
                : status.conditions.stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .map(Condition::getReason)
                        .findFirst()
                        .orElse(null);
    }

    private static List<Job> jobsOf(String quantizationJob) {
        return Cluster.jobsOf(admin, NS, quantizationJob);
    }
}
