package io.quanta.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed crds/ copy must equal what the fabric8 CRD generator (the one the Quarkus extension runs at build
 * time) makes from the current classes. Refresh it with
 * {@code ./mvnw -o test -Dtest=CrdTest -Dquanta.crds.update=true}.
 */
class CrdTest {
    static final String FILE = "quantizationjobs.quanta.io-v1.yml";
    static final Path COMMITTED = Path.of("crds", FILE);
    /** Helm installs CRDs from the chart's own crds/ folder, so the chart carries a copy. */
    static final Path CHART_COPY = Path.of("helm", "quanta-operator", "crds", FILE);

    private static String generated;
    private static CustomResourceDefinition crd;

    @BeforeAll
    static void generate() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "crd-check"));
        new CRDGenerator()
                .customResourceClasses(QuantizationJob.class)
                .forCRDVersions("v1")
                .inOutputDir(dir.toFile())
                .generate();
        generated = Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8);
        crd = Serialization.unmarshal(generated, CustomResourceDefinition.class);
        if (Boolean.getBoolean("quanta.crds.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
            Files.writeString(CHART_COPY, generated, StandardCharsets.UTF_8);
        }
    }

    @Test
    void committedCrdIsCurrent() throws IOException {
        assertTrue(Files.exists(COMMITTED), COMMITTED + " is missing; run with -Dquanta.crds.update=true");
        assertEquals(
                generated,
                Files.readString(COMMITTED, StandardCharsets.UTF_8),
                COMMITTED + " is stale: regenerate it with ./mvnw -o test -Dtest=CrdTest -Dquanta.crds.update=true");
    }

    @Test
    void chartCarriesTheSameCrd() throws IOException {
        assertEquals(
                generated,
                Files.readString(CHART_COPY, StandardCharsets.UTF_8),
                CHART_COPY + " is stale: regenerate it with ./mvnw -o test -Dtest=CrdTest -Dquanta.crds.update=true");
    }

    @Test
    void resourceIsNamespacedWithShortNameAndStatusSubresource() {
        assertEquals("quanta.io", crd.getSpec().getGroup());
        assertEquals("Namespaced", crd.getSpec().getScope());
        assertEquals(List.of("qj"), crd.getSpec().getNames().getShortNames());
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertEquals("v1alpha1", v.getName());
        assertTrue(v.getServed() && v.getStorage());
        assertTrue(v.getSubresources().getStatus() != null);
        // The generator sorts columns by name; kubectl shows them in that order.
        assertEquals(
                java.util.Set.of("Phase", "Mode", "Accuracy drop", "Size ratio", "Age"),
                v.getAdditionalPrinterColumns().stream()
                        .map(c -> c.getName())
                        .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void schemaRejectsWhatTheApiServerCanCheck() {
        JSONSchemaProps spec = crd.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec");
        // calibration is optional in the schema: DynamicRange and Float16 need none (the operator checks the rest).
        assertEquals(
                List.of("model", "output"), spec.getRequired().stream().sorted().toList());
        JSONSchemaProps mode =
                spec.getProperties().get("quantization").getProperties().get("mode");
        // The engine's QuantizationMode and the CLI's --mode, under the same names.
        assertEquals(
                List.of("DynamicRange", "Float16", "Int16x8", "Int8", "Int8Only"),
                mode.getEnum().stream().map(n -> n.asText()).sorted().toList());
        assertEquals("Int8Only", mode.getDefault().asText());
        JSONSchemaProps format =
                spec.getProperties().get("calibration").getProperties().get("format");
        assertEquals(
                List.of("Images", "Npy", "Wav"),
                format.getEnum().stream().map(n -> n.asText()).sorted().toList());
        assertEquals(0.0, spec.getProperties().get("backoffLimit").getMinimum());
        assertEquals(1.0, spec.getProperties().get("activeDeadlineSeconds").getMinimum());
        assertTrue(spec.getProperties()
                .get("model")
                .getProperties()
                .get("uri")
                .getPattern()
                .startsWith("^("));
        JSONSchemaProps drop =
                spec.getProperties().get("acceptance").getProperties().get("maxAccuracyDrop");
        assertEquals(0.0, drop.getMinimum());
        assertEquals(1.0, drop.getMaximum());
        assertTrue(!generated.contains("x-kubernetes-validations"), "no CEL: the test cluster is Kubernetes 1.20");
    }
}
