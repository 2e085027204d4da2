package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 * The chart installed with helm runs the operator from our image under the chart's own RBAC; the operator turns a
 * QuantizationJob into a hardened engine Job and records what happened; deleting the resource collects its Job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OperatorRelease.class)
class OperatorChartTest {
    static final String RELEASE = OperatorRelease.RELEASE;
    static final String SYSTEM_NS = OperatorRelease.SYSTEM_NS;
    static final String NS = "quanta-e2e";
    static final String SA = OperatorRelease.SA;
    static KubernetesClient client;

    @BeforeAll
    static void setUp() {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
    }

    @AfterAll
    static void tearDown() {
        try {
            Cluster.deleteNamespace(client, NS);
        } finally {
            client.close();
        }
    }

    @Test
    @Order(1)
    void operatorRunsAsAReadyDeploymentFromOurImageUnderItsServiceAccount() {
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(SYSTEM_NS)
                .withName(RELEASE)
                .get();
        assertEquals(1, deployment.getStatus().getReadyReplicas(), "ready replicas");
        Pod pod = operatorPod();
        PodSpec spec = pod.getSpec();
        assertEquals(RELEASE, spec.getServiceAccountName());
        Container operator = spec.getContainers().get(0);
        assertTrue(
                pod.getStatus().getContainerStatuses().get(0).getImage().contains(Cluster.image()),
                pod.getStatus().getContainerStatuses().get(0).getImage());
        assertEquals("/q/health/live", operator.getLivenessProbe().getHttpGet().getPath());
        assertEquals(
                "/q/health/ready", operator.getReadinessProbe().getHttpGet().getPath());
        assertTrue(operator.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(spec.getSecurityContext().getRunAsNonRoot());
        // Leader election is on: the active replica holds the Lease in its own namespace.
        Cluster.await(
                "leader election Lease",
                Duration.ofSeconds(60),
                () -> client.leases()
                        .inNamespace(SYSTEM_NS)
                        .withName("quanta-operator")
                        .get());
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
        "create, batch,     jobs,                    true",
        "delete, batch,     jobs,                    true",
        "watch,  '',        pods,                    true",
        "get,    '',        pods/log,                true",
        "patch,  quanta.io, quantizationjobs/status, true",
        "watch,  quanta.io, quantizationjobs,        true",
        "create, '',        events,                  true",
        "update, quanta.io, quantizationjobs/finalizers, true",
        "patch,  quanta.io, quantizationjobs,        true",
        "update, quanta.io, quantizationjobs/status, false",
        "patch,  '',        events,                  false",
        "create, '',        pods,                    false",
        "get,    '',        secrets,                 false",
        "list,   '',        configmaps,              false",
        "update, quanta.io, quantizationjobs,        false",
        "delete, quanta.io, quantizationjobs,        false",
        "patch,  batch,     jobs,                    false",
        "create, apps,      deployments,             false",
        "create, rbac.authorization.k8s.io, rolebindings, false",
        "get,    apiextensions.k8s.io, customresourcedefinitions, false",
    })
    @Order(2)
    void serviceAccountCanDoWhatItNeedsAndNothingMore(String verb, String group, String resource, boolean expected) {
        // The API behind `kubectl auth can-i VERB RESOURCE --as system:serviceaccount:...`.
        Cluster.assertCanI(client, SA, Cluster.serviceAccountGroups(SYSTEM_NS), NS, verb, group, resource, expected);
    }

    @Test
    @Order(3)
    void quantizationJobGetsAHardenedEngineJobAStatusAndEventsAndIsCollectedOnDelete() throws Exception {
        String yaml = """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: missing-model
                spec:
                  model: {uri: /host/definitely-missing/model.tflite}
                  calibration:
                    location: {uri: /host/definitely-missing/calib}
                    format: Images
                  output: {uri: /host/out/model_int8.tflite}
                  activeDeadlineSeconds: 120
                  volumes:
                    - {name: host, mountPath: /host, hostPath: /tmp}
                """;
        QuantizationJob qj = Serialization.unmarshal(yaml, QuantizationJob.class);
        var qjs = client.resources(QuantizationJob.class).inNamespace(NS);
        QuantizationJob created = qjs.resource(qj).create();

        Job job = Cluster.await("engine Job", Duration.ofSeconds(60), () -> {
            List<Job> jobs = client.batch().v1().jobs().inNamespace(NS).list().getItems();
            return jobs.isEmpty() ? null : jobs.get(0);
        });
        assertTrue(
                job.getMetadata().getName().startsWith("missing-model-g1-"),
                job.getMetadata().getName());
        assertEquals(
                created.getMetadata().getUid(),
                job.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("quanta-operator", job.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));

        PodSpec podSpec = job.getSpec().getTemplate().getSpec();
        assertFalse(podSpec.getAutomountServiceAccountToken());
        assertEquals(
                "RuntimeDefault",
                podSpec.getSecurityContext().getSeccompProfile().getType());
        Container engine = podSpec.getContainers().get(0);
        assertTrue(engine.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(engine.getSecurityContext().getRunAsNonRoot());
        assertEquals(
                List.of("ALL"), engine.getSecurityContext().getCapabilities().getDrop());
        assertFalse(engine.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(Cluster.image(), engine.getImage());

        // The engine pod really ran (as a non-root user) and the run ended: the model does not exist.
        QuantizationJobStatus status = Cluster.await("final status", Duration.ofSeconds(180), () -> {
            QuantizationJobStatus s = status(qjs.withName("missing-model").get());
            return s != null && s.phase != null && s.phase.terminal() ? s : null;
        });
        System.out.println("missing-model status:\n" + Serialization.asYaml(status));
        assertEquals(Phase.Failed, status.phase, Serialization.asYaml(status));
        assertEquals(1L, status.observedGeneration);
        assertEquals(job.getMetadata().getName(), status.jobName);
        Condition ready = ready(status);
        assertEquals("False", ready.getStatus());
        assertNotNull(ready.getReason());
        assertFalse(String.valueOf(status.message).isBlank(), "the engine's message is in the status");

        var events = client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "missing-model".equals(e.getInvolvedObject().getName()))
                .toList();
        assertTrue(events.stream().anyMatch(e -> "Warning".equals(e.getType())), "a Warning event for Failed");
        assertTrue(events.stream().anyMatch(e -> "JobCreated".equals(e.getReason())), "an event for the Job");

        String table = kubectl("get", "qj", "-n", NS);
        for (String column : List.of("NAME", "AGE", "MODE", "ACCURACY DROP", "PHASE", "SIZE RATIO")) {
            assertTrue(table.contains(column), column + " in\n" + table);
        }
        assertTrue(table.contains("Failed") && table.contains("Int8"), table);

        // Owner references: deleting the QuantizationJob garbage-collects its Job (and the Job its pods).
        qjs.withName("missing-model").delete();
        Cluster.await(
                "Job garbage-collected",
                Duration.ofSeconds(90),
                () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(NS)
                                .withName(job.getMetadata().getName())
                                .get()
                        == null);
        Cluster.await(
                "engine pods garbage-collected",
                Duration.ofSeconds(90),
                () -> client.pods()
                        .inNamespace(NS)
                        .withLabel("app.kubernetes.io/managed-by", "quanta-operator")
                        .list()
                        .getItems()
                        .isEmpty());
    }

    @Test
    @Order(4)
    void engineOverItsMemoryLimitFailsWithReasonOOMKilled() {
        String yaml = """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: tiny-memory
                spec:
                  model: {uri: /host/model.tflite}
                  calibration:
                    location: {uri: /host/calib}
                    format: Images
                  output: {uri: /host/out/model_int8.tflite}
                  resources:
                    limits: {memory: 20Mi}
                  volumes:
                    - {name: host, mountPath: /host, hostPath: /tmp}
                """;
        var qjs = client.resources(QuantizationJob.class).inNamespace(NS);
        qjs.resource(Serialization.unmarshal(yaml, QuantizationJob.class)).create();
        QuantizationJobStatus status = Cluster.await("final status", Duration.ofSeconds(180), () -> {
            QuantizationJobStatus s = status(qjs.withName("tiny-memory").get());
            return s != null && s.phase == Phase.Failed ? s : null;
        });
        System.out.println("tiny-memory status:\n" + Serialization.asYaml(status));
        assertEquals("OOMKilled", ready(status).getReason(), Serialization.asYaml(status));
        qjs.withName("tiny-memory").delete();
    }

    @Test
    @Order(5)
    void restartedOperatorCreatesNoDuplicateJobAndAnEditedSpecReruns() {
        // A pod that cannot be scheduled keeps the run in progress for as long as we need.
        String yaml = """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: in-progress
                spec:
                  model: {uri: /host/model.tflite}
                  calibration:
                    location: {uri: /host/calib}
                    format: Images
                  output: {uri: /host/out/model_int8.tflite}
                  resources:
                    requests: {cpu: "64"}
                  podStartTimeoutSeconds: 3600
                  volumes:
                    - {name: host, mountPath: /host, hostPath: /tmp}
                """;
        var qjs = client.resources(QuantizationJob.class).inNamespace(NS);
        qjs.resource(Serialization.unmarshal(yaml, QuantizationJob.class)).create();
        QuantizationJobStatus pending = Cluster.await("Pending with a pod", Duration.ofSeconds(60), () -> {
            QuantizationJobStatus s = status(qjs.withName("in-progress").get());
            return s != null && s.phase == Phase.Pending && "Unschedulable".equals(ready(s).getReason()) ? s : null;
        });
        String jobName = pending.jobName;
        String jobUid = client.batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withName(jobName)
                .get()
                .getMetadata()
                .getUid();

        Pod before = operatorPod();
        client.pods()
                .inNamespace(SYSTEM_NS)
                .withName(before.getMetadata().getName())
                .delete();
        Cluster.await("a new ready operator pod", Duration.ofSeconds(180), () -> {
            List<Pod> pods = client.pods()
                    .inNamespace(SYSTEM_NS)
                    .withLabel("app.kubernetes.io/instance", RELEASE)
                    .list()
                    .getItems();
            return pods.stream()
                    .anyMatch(p -> !p.getMetadata()
                                    .getName()
                                    .equals(before.getMetadata().getName())
                            && p.getStatus().getConditions().stream()
                                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
        });
        // The replacement reconciles every resource at start-up; give it time to do something wrong.
        Cluster.sleep(Duration.ofSeconds(10));
        List<Job> jobs = jobsOf("in-progress");
        assertEquals(1, jobs.size(), "one Job per generation, also after a restart");
        assertEquals(jobUid, jobs.get(0).getMetadata().getUid());
        assertEquals(Phase.Pending, status(qjs.withName("in-progress").get()).phase);

        // Editing the spec (generation 2) starts a new Job and stops the old one.
        qjs.withName("in-progress").edit(r -> {
            r.getSpec().resources = new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity("63"))
                    .build();
            return r;
        });
        QuantizationJobStatus rerun = Cluster.await("status of generation 2", Duration.ofSeconds(60), () -> {
            QuantizationJobStatus s = status(qjs.withName("in-progress").get());
            return s != null && Long.valueOf(2).equals(s.observedGeneration) ? s : null;
        });
        String newJob = rerun.jobName;
        assertTrue(newJob.startsWith("in-progress-g2-"), newJob);
        Cluster.await("only the generation-2 Job left", Duration.ofSeconds(60), () -> {
            List<Job> left = jobsOf("in-progress");
            return left.size() == 1 && left.get(0).getMetadata().getName().equals(newJob);
        });
        qjs.withName("in-progress").delete();
        Cluster.await(
                "Job garbage-collected",
                Duration.ofSeconds(90),
                () -> jobsOf("in-progress").isEmpty());
    }

    /**
     * A run that finishes while no operator is running is finished in the status by the next operator. A blocker
     * pod takes the node's free CPU so that the engine pod cannot start before the operator is gone; then the
     * blocker goes, the engine runs and ends, and only afterwards the operator comes back.
     */
    @Test
    @Order(6)
    void aRunThatEndsWhileTheOperatorIsDownIsFinishedByItsReplacement() {
        var qjs = client.resources(QuantizationJob.class).inNamespace(NS);
        var node = client.nodes().list().getItems().get(0);
        long allocatable = millicores(node.getStatus().getAllocatable().get("cpu"));
        long requested = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null)
                .filter(p ->
                        !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
                .flatMap(p -> p.getSpec().getContainers().stream())
                .map(c -> c.getResources() == null || c.getResources().getRequests() == null
                        ? null
                        : c.getResources().getRequests().get("cpu"))
                .filter(java.util.Objects::nonNull)
                .mapToLong(OperatorChartTest::millicores)
                .sum();
        // 50m stay free: far below the engine's 500m even if a terminating pod of an earlier test disappears.
        long blockerCpu = allocatable - requested - 50;
        assertTrue(blockerCpu > 0, "free CPU on the node: " + (allocatable - requested) + "m");
        client.pods()
                .inNamespace(NS)
                .resource(Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: cpu-blocker
                spec:
                  terminationGracePeriodSeconds: 0
                  automountServiceAccountToken: false
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 65532
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                    - name: sleep
                      image: %s
                      imagePullPolicy: Never
                      command: [sleep, "3600"]
                      resources:
                        requests: {cpu: %dm}
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities: {drop: [ALL]}
                """.formatted(Cluster.image(), blockerCpu), Pod.class))
                .create();
        Cluster.await(
                "the blocker running",
                Duration.ofSeconds(60),
                () -> "Running"
                        .equals(client.pods()
                                .inNamespace(NS)
                                .withName("cpu-blocker")
                                .get()
                                .getStatus()
                                .getPhase()));

        String yaml = """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: finished-while-down
                spec:
                  model: {uri: /host/definitely-missing/model.tflite}
                  calibration:
                    location: {uri: /host/definitely-missing/calib}
                    format: Images
                  output: {uri: /host/out/model_int8.tflite}
                  resources:
                    requests: {cpu: 500m, memory: 128Mi}
                    limits: {memory: 1Gi}
                  volumes:
                    - {name: host, mountPath: /host, hostPath: /tmp}
                """;
        qjs.resource(Serialization.unmarshal(yaml, QuantizationJob.class)).create();
        QuantizationJobStatus pending = Cluster.await("the engine pod pending on CPU", Duration.ofSeconds(60), () -> {
            QuantizationJobStatus s = status(qjs.withName("finished-while-down").get());
            return s != null && s.phase == Phase.Pending && "Unschedulable".equals(ready(s).getReason()) ? s : null;
        });
        String jobName = pending.jobName;

        var deployment = client.apps().deployments().inNamespace(SYSTEM_NS).withName(RELEASE);
        deployment.scale(0);
        // The operator process must be gone; the pod object itself may linger while the kubelet cleans up.
        Cluster.await(
                "no running operator",
                Duration.ofSeconds(120),
                () -> client
                        .pods()
                        .inNamespace(SYSTEM_NS)
                        .withLabel("app.kubernetes.io/instance", RELEASE)
                        .list()
                        .getItems()
                        .stream()
                        .allMatch(p -> p.getStatus().getContainerStatuses() != null
                                && !p.getStatus().getContainerStatuses().isEmpty()
                                && p.getStatus().getContainerStatuses().stream()
                                        .allMatch(c -> c.getState() != null
                                                && c.getState().getTerminated() != null)));
        client.pods().inNamespace(NS).withName("cpu-blocker").withGracePeriod(0).delete();
        Job ended = Cluster.await("the engine Job ended without an operator", Duration.ofSeconds(180), () -> {
            Job j = client.batch().v1().jobs().inNamespace(NS).withName(jobName).get();
            return j != null
                            && j.getStatus() != null
                            && j.getStatus().getConditions() != null
                            && j.getStatus().getConditions().stream()
                                    .anyMatch(c -> List.of("Complete", "Failed").contains(c.getType())
                                            && "True".equals(c.getStatus()))
                    ? j
                    : null;
        });
        assertEquals(
                Phase.Pending, status(qjs.withName("finished-while-down").get()).phase, "nobody recorded the end yet");

        deployment.scale(1);
        QuantizationJobStatus done =
                Cluster.await("the final status from the new operator", Duration.ofSeconds(180), () -> {
                    QuantizationJobStatus s =
                            status(qjs.withName("finished-while-down").get());
                    return s != null && s.phase == Phase.Failed ? s : null;
                });
        System.out.println("finished-while-down status:\n" + Serialization.asYaml(done));
        assertEquals(jobName, done.jobName);
        assertEquals("ModelNotFound", ready(done).getReason(), Serialization.asYaml(done));
        assertEquals(
                List.of(ended.getMetadata().getUid()),
                jobsOf("finished-while-down").stream()
                        .map(j -> j.getMetadata().getUid())
                        .toList(),
                "the replacement created no second Job");
        Cluster.await("the operator ready again", Duration.ofSeconds(120), () -> {
            Deployment d = deployment.get();
            return d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() == 1;
        });
        qjs.withName("finished-while-down").delete();
    }

    private static long millicores(io.fabric8.kubernetes.api.model.Quantity q) {
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(q)
                .movePointRight(3)
                .longValue();
    }

    @Test
    @Order(7)
    void operatorLogShowsNoPermissionOrReconcileErrors() {
        String log = client.pods()
                .inNamespace(SYSTEM_NS)
                .withName(operatorPod().getMetadata().getName())
                .getLog();
        assertFalse(log.contains("is forbidden"), "RBAC denied something the operator uses:\n" + log);
        assertFalse(log.contains("Uncaught error during event processing"), "a reconciliation failed:\n" + log);
    }

    private static List<Job> jobsOf(String quantizationJob) {
        return Cluster.jobsOf(client, NS, quantizationJob);
    }

    private static QuantizationJobStatus status(QuantizationJob resource) {
        return resource == null ? null : resource.getStatus();
    }

    private static Condition ready(QuantizationJobStatus status) {
        return status.conditions.stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Ready condition in " + Serialization.asYaml(status)));
    }

    static Pod operatorPod() {
        return client
                .pods()
                .inNamespace(SYSTEM_NS)
                .withLabel("app.kubernetes.io/instance", RELEASE)
                .list()
                .getItems()
                .stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no running operator pod"));
    }

    /** Runs kubectl against the same cluster (KUBECONFIG) and returns its standard output. */
    static String kubectl(String... args) throws IOException, InterruptedException {
        String kubectl = System.getenv().getOrDefault("QUANTA_K8S_KUBECTL", "kubectl");
        List<String> command = new java.util.ArrayList<>(List.of(kubectl));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
