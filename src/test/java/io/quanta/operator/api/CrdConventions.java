package io.quanta.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fabric8 generator cannot express with annotations, applied to the CRD it generates (the committed
 * {@code crds/} copy is that result):
 *
 * <ul>
 *   <li>descriptions of {@code spec} and {@code status}, for {@code kubectl explain};
 *   <li>printer columns in the order they are declared on {@link QuantizationJob} (the generator sorts them by
 *       JSON path, which put AGE second);
 *   <li>{@code status.conditions} as the {@code metav1.Condition} list every Kubernetes tool expects: a map keyed by
 *       {@code type} (so server-side apply merges per condition), its required fields, and their descriptions.
 * </ul>
 */
final class CrdConventions implements CRDPostProcessor {

    /** The metav1.Condition fields, their descriptions, and which of them the API requires. */
    static final Map<String, String> CONDITION_FIELDS = new LinkedHashMap<>();

    static {
        CONDITION_FIELDS.put(
                "type",
                "Ready, Reconciling, Stalled (kstatus), or a stage: Calibrated, Quantized, Evaluated, Accepted.");
        CONDITION_FIELDS.put("status", "True, False or Unknown.");
        CONDITION_FIELDS.put("reason", "CamelCase reason of the last transition (e.g. Completed, OOMKilled).");
        CONDITION_FIELDS.put("message", "Human-readable detail of the reason.");
        CONDITION_FIELDS.put("lastTransitionTime", "When status last changed (RFC 3339).");
        CONDITION_FIELDS.put("observedGeneration", "The spec generation this condition describes.");
    }

    static final List<String> CONDITION_REQUIRED = List.of("lastTransitionTime", "message", "reason", "status", "type");

    /** spec and status are fields of fabric8's CustomResource, which carries no descriptions. */
    static final String SPEC = "The desired quantization run; any change (a new generation) starts a new run.";

    static final String STATUS = "What the operator observed about the latest generation; the conditions Ready, "
            + "Reconciling and Stalled follow the kstatus conventions.";

    @Override
    public HasMetadata process(HasMetadata resource, String crdSpecVersion) {
        CustomResourceDefinition crd = (CustomResourceDefinition) resource;
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            Map<String, JSONSchemaProps> root =
                    version.getSchema().getOpenAPIV3Schema().getProperties();
            root.get("spec").setDescription(SPEC);
            root.get("status").setDescription(STATUS);
            version.setAdditionalPrinterColumns(declaredOrder(version.getAdditionalPrinterColumns()));
            JSONSchemaProps status =
                    version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
            JSONSchemaProps conditions = status.getProperties().get("conditions");
            conditions.setXKubernetesListType("map");
            conditions.setXKubernetesListMapKeys(List.of("type"));
            JSONSchemaProps item = conditions.getItems().getSchema();
            item.setRequired(CONDITION_REQUIRED);
            CONDITION_FIELDS.forEach((field, description) -> item.getProperties()
                    .put(
                            field,
                            new JSONSchemaPropsBuilder(item.getProperties().get(field))
                                    .withDescription(description)
                                    .build()));
        }
        return crd;
    }

    private static List<CustomResourceColumnDefinition> declaredOrder(List<CustomResourceColumnDefinition> columns) {
        List<String> declared = Arrays.stream(QuantizationJob.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name)
                .toList();
        return columns.stream()
                .sorted(Comparator.comparingInt(c -> declared.indexOf(c.getName())))
                .toList();
    }
}
