package io.quanta.operator.dependent;

import static io.quanta.operator.Fixtures.quantizationJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.operator.api.SecretReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnginePolicyTest {

    private static final String ENGINE = "localhost/quanta:test";

    private static EnginePolicy policy(List<String> hostPaths, List<String> images, List<String> accounts) {
        EnginePolicy d = EnginePolicy.DEFAULT;
        return new EnginePolicy(hostPaths, images, d.maxResources(), accounts, d.tmpSize(), d.maxDownloadBytes());
    }

    private static List<String> violations(EnginePolicy policy, QuantizationJobSpec spec) {
        EngineDefaults defaults = EngineDefaults.of(ENGINE).withPolicy(policy);
        return policy.violations(spec, ENGINE, defaults.resourcesFor(spec));
    }

    @Test
    void defaultPolicyForbidsEveryHostPathAndNamesTheField() {
        QuantizationJobSpec spec = quantizationJob("vww", 1).getSpec();
        List<String> v = violations(EnginePolicy.DEFAULT, spec);
        assertEquals(
                List.of(
                        "spec.volumes[0].hostPath '/srv/models' is not under an allowed host path (the operator allows none)",
                        "spec.volumes[1].hostPath '/srv/data' is not under an allowed host path (the operator allows none)"),
                v);
    }

    @Test
    void hostPathMustLieUnderAnAllowedPrefixOnWholeSegments() {
        EnginePolicy p = policy(List.of("/srv/models/"), List.of(), List.of());
        assertTrue(p.hostPathAllowed("/srv/models"));
        assertTrue(p.hostPathAllowed("/srv/models/vww"));
        assertTrue(!p.hostPathAllowed("/srv/models-private"), "a prefix is a whole path segment");
        assertTrue(!p.hostPathAllowed("/srv/models/../../etc"), ".. cannot climb out of an allowed prefix");
        assertTrue(!p.hostPathAllowed("/etc"));
    }

    @Test
    void onlyTheEngineImageUnlessTheAdminListsMore() {
        QuantizationJobSpec spec = quantizationJob("vww", 1).getSpec();
        spec.image = "docker.io/evil/miner:latest";
        EnginePolicy allowSrv = policy(List.of("/srv"), List.of(), List.of());
        assertEquals(
                List.of("spec.image 'docker.io/evil/miner:latest' is not an allowed image (only the "
                        + "operator's engine image localhost/quanta:test)"),
                violations(allowSrv, spec));

        spec.image = ENGINE;
        assertEquals(List.of(), violations(allowSrv, spec));

        EnginePolicy registry = policy(List.of("/srv"), List.of("registry.example.com/quanta/*"), List.of());
        spec.image = "registry.example.com/quanta/engine:1.2";
        assertEquals(List.of(), violations(registry, spec));
        spec.image = "registry.example.com/other:1";
        assertEquals(1, violations(registry, spec).size());
    }

    @Test
    void resourcesAboveTheMaximumAreRefusedPerField() {
        QuantizationJobSpec spec = quantizationJob("vww", 1).getSpec();
        spec.resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("64"))
                .addToLimits("memory", new Quantity("9Gi"))
                .build();
        List<String> v = violations(policy(List.of("/srv"), List.of(), List.of()), spec);
        assertEquals(
                List.of(
                        "spec.resources.requests.cpu 64 exceeds the maximum 4",
                        "spec.resources.limits.memory 9Gi exceeds the maximum 8Gi"),
                v);
    }

    @Test
    void limitsLeftOutComeFromTheDefaultsSoMemoryAndTmpStayBounded() {
        QuantizationJobSpec spec = quantizationJob("vww", 1).getSpec();
        spec.resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("1"))
                .addToRequests("memory", new Quantity("2Gi"))
                .build();
        ResourceRequirements r = Fixtures.DEFAULTS.resourcesFor(spec);
        assertEquals(new Quantity("2Gi"), r.getLimits().get("memory"), "never below the request");
        assertEquals(new Quantity("4Gi"), r.getLimits().get("ephemeral-storage"));
        assertEquals(new Quantity("1Gi"), r.getRequests().get("ephemeral-storage"), "not the whole limit");
        assertEquals(new Quantity("2Gi"), r.getRequests().get("memory"));
        assertEquals(new Quantity("1"), r.getRequests().get("cpu"));
        assertEquals(null, r.getLimits().get("cpu"));
    }

    @Test
    void s3WithoutSecretRefNeedsAnAllowedServiceAccount() {
        QuantizationJobSpec spec = quantizationJob("vww", 1).getSpec();
        spec.model = new LocationSpec("s3://models/vww.tflite");
        EnginePolicy p = policy(List.of("/srv"), List.of(), List.of("quanta-irsa"));
        assertEquals(
                List.of("spec.model is an s3:// location without secretRef; set a secretRef or an allowed "
                        + "spec.serviceAccountName (workload identity)"),
                violations(p, spec));

        spec.serviceAccountName = "default";
        assertEquals(
                List.of(
                        "spec.serviceAccountName 'default' is not an allowed service account [quanta-irsa]",
                        "spec.model is an s3:// location without secretRef; set a secretRef or an allowed "
                                + "spec.serviceAccountName (workload identity)"),
                violations(p, spec));

        spec.serviceAccountName = "quanta-irsa";
        assertEquals(List.of(), violations(p, spec));

        spec.serviceAccountName = null;
        spec.model.secretRef = new SecretReference();
        spec.model.secretRef.name = "s3-creds";
        assertEquals(List.of(), violations(p, spec));
    }

    @Test
    void tmpMustHoldTheDownloadCap() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new EnginePolicy(List.of(), List.of(), Map.of(), List.of(), new Quantity("1Gi"), 2L << 30));
        assertEquals(
                "engine /tmp size 1Gi is smaller than the download cap 2147483648 bytes; raise engine.tmpSize "
                        + "or lower engine.maxDownloadBytes",
                e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new EnginePolicy(List.of("srv"), List.of(), Map.of(), List.of(), null, 1));
    }

    @Test
    void theJobCarriesTheTmpSizeTheCapAndTheServiceAccount() {
        QuantizationJob qj = quantizationJob("vww", 1);
        qj.getSpec().serviceAccountName = "quanta-irsa";
        Job job = EngineJobBuilder.build(qj, Fixtures.DEFAULTS);
        var pod = job.getSpec().getTemplate().getSpec();
        assertEquals("quanta-irsa", pod.getServiceAccountName());
        assertEquals(new Quantity("3Gi"), pod.getVolumes().get(0).getEmptyDir().getSizeLimit());
        assertTrue(pod.getContainers().get(0).getEnv().stream()
                .anyMatch(e -> e.getName().equals("QUANTA_MAX_DOWNLOAD_BYTES")
                        && e.getValue().equals("2147483648")));
        assertEquals(
                new Quantity("4Gi"),
                pod.getContainers().get(0).getResources().getLimits().get("ephemeral-storage"));
    }
}
