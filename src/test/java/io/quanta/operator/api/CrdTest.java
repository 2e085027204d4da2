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
                .withPostProcessor(new CrdConventions())
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
        assertEquals(List.of("quanta"), crd.getSpec().getNames().getCategories());
    }

    @Test
    void printerColumnsComeInTheDocumentedOrder() {
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        List<String> columns = v.getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() == null || c.getPriority() == 0)
                .map(c -> c.getName())
                .toList();
        // NAME is kubectl's own; docs/operator.md shows the same header.
        assertEquals(List.of("Phase", "Reason", "Mode", "Accuracy drop", "Size ratio", "Age"), columns);
        assertEquals(
                ".status.conditions[?(@.type==\"Ready\")].reason",
                v.getAdditionalPrinterColumns().get(1).getJsonPath());
    }

    @Test
    void conditionsAreAMapKeyedByTypeWithTheFieldsKubernetesRequires() {
        JSONSchemaProps conditions = status().getProperties().get("conditions");
        assertEquals("map", conditions.getXKubernetesListType());
        assertEquals(List.of("type"), conditions.getXKubernetesListMapKeys());
        JSONSchemaProps item = conditions.getItems().getSchema();
        assertEquals(
                List.of("lastTransitionTime", "message", "reason", "status", "type"),
                item.getRequired().stream().sorted().toList());
        assertEquals(
                java.util.Set.of("type", "status", "reason", "message", "lastTransitionTime", "observedGeneration"),
                item.getProperties().keySet());
    }

    /** kubectl explain shows a property's description; one without any is a hole in the documentation. */
    @Test
    void everySchemaPropertyHasADescription() throws IOException {
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(generated);
        List<String> missing = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode version : root.path("spec").path("versions")) {
            com.fasterxml.jackson.databind.JsonNode schema =
                    version.path("schema").path("openAPIV3Schema");
            collectUndescribed(schema.path("properties").path("spec"), "spec", missing);
            collectUndescribed(schema.path("properties").path("status"), "status", missing);
        }
        assertTrue(missing.isEmpty(), "schema properties without a description: " + missing);
    }

    private static void collectUndescribed(
            com.fasterxml.jackson.databind.JsonNode schema, String path, List<String> missing) {
        if (!schema.hasNonNull("description")) {
            missing.add(path);
        }
        schema.path("properties")
                .fields()
                .forEachRemaining(e -> collectUndescribed(e.getValue(), path + "." + e.getKey(), missing));
        com.fasterxml.jackson.databind.JsonNode items = schema.path("items");
        if (items.isObject()) {
            items.path("properties")
                    .fields()
                    .forEachRemaining(e -> collectUndescribed(e.getValue(), path + "[]." + e.getKey(), missing));
        }
        com.fasterxml.jackson.databind.JsonNode values = schema.path("additionalProperties");
        if (values.isObject()) {
            values.path("properties")
                    .fields()
                    .forEachRemaining(e -> collectUndescribed(e.getValue(), path + "{}." + e.getKey(), missing));
        }
    }

    private static JSONSchemaProps status() {
        return crd.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("status");
    }

    @Test
    void reportColumnShowsThePageWithWide() {
        var report = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .filter(c -> c.getName().equals("Report"))
                .findFirst()
                .orElseThrow();
        assertEquals(".status.report.html", report.getJsonPath());
        assertEquals(1, report.getPriority(), "only kubectl get -o wide shows it");
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
