package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API server itself, from the CRD's OpenAPI schema, accepts good manifests and rejects bad ones (422). */
class CrdValidationTest {
    static final String NS = "quanta-e2e-crd";
    static KubernetesClient client;

    static final String VALID = """
            apiVersion: quanta.io/v1alpha1
            kind: QuantizationJob
            metadata:
              name: NAME
            spec:
              model: {uri: /models/vww.tflite}
              calibration:
                location: {uri: /data/calib}
                format: Images
                samples: 10
              output: {uri: /out/vww_int8.tflite}
              quantization: {mode: Int8}
              backoffLimit: 0
              volumes:
                - {name: models, mountPath: /models, hostPath: /srv/models, readOnly: true}
            """;

    @BeforeAll
    static void setUp() throws Exception {
        client = Cluster.client();
        Cluster.applyCrd(client);
        Cluster.createNamespace(client, NS);
    }

    @AfterAll
    static void tearDown() {
        Cluster.deleteNamespace(client, NS);
        client.close();
    }

    private static GenericKubernetesResource manifest(String name, String yaml) {
        return Serialization.unmarshal(yaml.replace("NAME", name), GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource create(GenericKubernetesResource resource) {
        return client.genericKubernetesResources("quanta.io/v1alpha1", "QuantizationJob").inNamespace(NS)
                .resource(resource).create();
    }

    @Test
    void validManifestIsAcceptedWithDefaults() {
        GenericKubernetesResource created = create(manifest("valid", VALID));
        assertNotNull(created.getMetadata().getUid());
        @SuppressWarnings("unchecked")
        var spec = (java.util.Map<String, Object>) created.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        var quantization = (java.util.Map<String, Object>) spec.get("quantization");
        assertEquals("Float32", quantization.get("inputType"), "schema defaults are applied by the API server");
        assertEquals(Boolean.TRUE, quantization.get("perChannel"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no model           | '  model: {uri: /models/vww.tflite}\n' | ''                                  | spec.model",
        "unknown mode       | '{mode: Int8}'                           | '{mode: Int4}'                      | spec.quantization.mode",
        "negative backoff   | 'backoffLimit: 0'                        | 'backoffLimit: -1'                  | spec.backoffLimit",
        "ftp model          | '{uri: /models/vww.tflite}'              | '{uri: ftp://host/vww.tflite}'      | spec.model.uri",
        "no samples         | 'samples: 10'                            | 'samples: 0'                        | spec.calibration.samples",
        "unknown format     | 'format: Images'                         | 'format: Jpeg'                      | spec.calibration.format",
        "bad volume name    | 'name: models'                           | 'name: Models_1'                    | spec.volumes.name",
        "relative mountPath | 'mountPath: /models'                     | 'mountPath: models'                 | spec.volumes.mountPath",
    })
    void malformedManifestIsRejectedByTheApiServer(String title, String from, String to, String field) {
        String yaml = VALID.replace(from.replace("\\n", "\n"), to);
        String name = "bad-" + title.strip().replace(' ', '-').toLowerCase(java.util.Locale.ROOT);
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> create(manifest(name, yaml)), title);
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(field), "message names " + field + ": " + e.getMessage());
    }
}
