package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The cluster under test (from KUBECONFIG), the repository's files, and small waiting helpers. */
final class Cluster {
    static final String CRD_NAME = "quantizationjobs.quanta.io";

    private Cluster() {}

    static KubernetesClient client() {
        return new KubernetesClientBuilder().build();
    }

    /** The repository root (k8s-tests/..). */
    static Path root() {
        return Path.of(System.getProperty("quanta.root", "..")).toAbsolutePath().normalize();
    }

    /** The shared models and data (../shared), which engine pods mount read-only through hostPath. */
    static Path shared() {
        return Path.of(System.getProperty(
                        "quanta.shared", root().resolve("../shared").toString()))
                .toAbsolutePath()
                .normalize();
    }

    static Path chart() {
        return root().resolve("helm/quanta-operator");
    }

    static Path kubeconfig() {
        String env = System.getenv("KUBECONFIG");
        return Path.of(env != null ? env : System.getProperty("user.home") + "/.kube/config");
    }

    /** The image under test, e.g. localhost/quanta:e2e, split for the chart values. */
    static String image() {
        return System.getProperty("quanta.image", "localhost/quanta:e2e");
    }

    static String imageRepository() {
        return image().substring(0, image().lastIndexOf(':'));
    }

    static String imageTag() {
        return image().substring(image().lastIndexOf(':') + 1);
    }

    /** Installs (or updates) the committed CRD and waits until the API server serves it. */
    static void applyCrd(KubernetesClient client) throws IOException {
        try (InputStream in = Files.newInputStream(root().resolve("crds/quantizationjobs.quanta.io-v1.yml"))) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .item();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .createOr(existing -> existing.update());
        }
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(CRD_NAME)
                .waitUntilCondition(
                        c -> c != null
                                && c.getStatus() != null
                                && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream()
                                        .anyMatch(cond -> "Established".equals(cond.getType())
                                                && "True".equals(cond.getStatus())),
                        60,
                        TimeUnit.SECONDS);
    }

    /**
     * Clusters that still enforce PodSecurityPolicy (Kubernetes < 1.25, like the shared v1.20 test cluster) reject
     * any seccomp profile unless a policy allows it. Our pods ask for RuntimeDefault, so the tests add what a
     * cluster admin would: a restricted policy (non-root, no host namespaces, no privilege) that allows exactly
     * {@code runtime/default}, usable by every service account.
     */
    static void allowRuntimeDefaultSeccomp(KubernetesClient client) {
        boolean pspServed = client.getApiGroups().getGroups().stream()
                .filter(g -> "policy".equals(g.getName()))
                .flatMap(g -> g.getVersions().stream())
                .anyMatch(v -> "v1beta1".equals(v.getVersion()));
        if (!pspServed) {
            return;
        }
        String yaml = """
                apiVersion: policy/v1beta1
                kind: PodSecurityPolicy
                metadata:
                  name: quanta-e2e-restricted
                  annotations:
                    seccomp.security.alpha.kubernetes.io/allowedProfileNames: runtime/default
                spec:
                  privileged: false
                  allowPrivilegeEscalation: false
                  requiredDropCapabilities: [ALL]
                  hostNetwork: false
                  hostPID: false
                  hostIPC: false
                  runAsUser: {rule: MustRunAsNonRoot}
                  seLinux: {rule: RunAsAny}
                  supplementalGroups: {rule: RunAsAny}
                  fsGroup: {rule: RunAsAny}
                  volumes: [configMap, emptyDir, secret, projected, downwardAPI, persistentVolumeClaim, hostPath]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: quanta-e2e-restricted-psp
                rules:
                  - apiGroups: [policy]
                    resources: [podsecuritypolicies]
                    resourceNames: [quanta-e2e-restricted]
                    verbs: [use]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: quanta-e2e-restricted-psp
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: quanta-e2e-restricted-psp
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:serviceaccounts}
                """;
        for (var item : client.load(
                        new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .items()) {
            client.resource(item).createOr(existing -> existing.update());
        }
    }

    static void createNamespace(KubernetesClient client, String name) {
        awaitNotTerminating(client, name);
        if (client.namespaces().withName(name).get() == null) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .addToLabels("quanta.io/e2e", "true")
                            .endMetadata()
                            .build())
                    .create();
        }
        // The namespace's default ServiceAccount appears asynchronously; pods cannot be created before it.
        await(
                "default ServiceAccount in " + name,
                Duration.ofSeconds(60),
                () -> client.serviceAccounts()
                        .inNamespace(name)
                        .withName("default")
                        .get());
    }

    /** A namespace deleted by an earlier run cannot take new objects until the namespace controller removed it. */
    static void awaitNotTerminating(KubernetesClient client, String name) {
        await("namespace " + name + " from an earlier run to finish terminating", Duration.ofSeconds(120), () -> {
            var ns = client.namespaces().withName(name).get();
            return ns == null || !"Terminating".equals(ns.getStatus().getPhase());
        });
    }

    static void deleteNamespace(KubernetesClient client, String name) {
        client.namespaces().withName(name).delete();
    }

    /** Deletes a test's output folder and everything in it (the engine pods wrote there through a hostPath). */
    static void deleteFolder(Path folder) throws IOException {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
        T last = probe.get();
        assertNotNull(last, "timed out after " + timeout.toSeconds() + " s waiting for " + what);
        return last;
    }

    static PatchContext mergePatch() {
        return PatchContext.of(PatchType.JSON_MERGE);
    }

    /**
     * {@code kubectl auth can-i VERB RESOURCE[/SUBRESOURCE] -n NAMESPACE --as USER} through the API behind it, asserted
     * to be {@code expected}; a blank namespace asks cluster-wide.
     */
    static void assertCanI(
            KubernetesClient admin,
            String user,
            List<String> groups,
            String namespace,
            String verb,
            String group,
            String resource,
            boolean expected) {
        String[] parts = resource.split("/");
        SubjectAccessReview review = new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user)
                .withGroups(groups)
                .withNewResourceAttributes()
                .withNamespace(namespace == null || namespace.isEmpty() ? null : namespace)
                .withVerb(verb)
                .withGroup(group)
                .withResource(parts[0])
                .withSubresource(parts.length > 1 ? parts[1] : null)
                .endResourceAttributes()
                .endSpec()
                .build();
        SubjectAccessReview answer =
                admin.authorization().v1().subjectAccessReview().create(review);
        assertEquals(
                expected,
                answer.getStatus().getAllowed(),
                "can-i " + verb + " " + resource + " -n '" + namespace + "' --as " + user + ": "
                        + answer.getStatus().getReason());
    }

    /** The groups a service account's token carries. */
    static List<String> serviceAccountGroups(String namespace) {
        return List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    }

    /** The Jobs of a QuantizationJob that are not being deleted. */
    static List<Job> jobsOf(KubernetesClient client, String namespace, String quantizationJob) {
        return client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/instance", quantizationJob)
                .list()
                .getItems()
                .stream()
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    /** {@code helm install RELEASE} of the chart into NAMESPACE with the image under test; callers add their values. */
    static InstallCommand installChart(String release, String namespace) {
        return new Helm(chart())
                .install()
                .withName(release)
                .withNamespace(namespace)
                .createNamespace()
                .withKubeConfig(kubeconfig())
                .set("image.repository", imageRepository())
                .set("image.tag", imageTag())
                .set("image.pullPolicy", "Never");
    }

    /** {@code helm uninstall RELEASE}, quietly when it is not there. */
    static void uninstallChart(String release, String namespace) {
        Helm.uninstall(release)
                .withNamespace(namespace)
                .withKubeConfig(kubeconfig())
                .ignoreNotFound()
                .call();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A watch handler that sees every state of an object (added or updated) and its deletion. */
    static <T> io.fabric8.kubernetes.client.informers.ResourceEventHandler<T> onEveryState(
            java.util.function.Consumer<T> seen, java.util.function.Consumer<T> deleted) {
        return new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                seen.accept(obj);
            }

            @Override
            public void onUpdate(T before, T obj) {
                seen.accept(obj);
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
                deleted.accept(obj);
            }
        };
    }
}
