package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationSpec;
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
              quantization: {mode: Int8Only}
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

    /** Untyped on purpose: the typed API cannot even hold the invalid values the API server must reject. */
    private static GenericKubernetesResource manifest(String name, String yaml) {
        return Serialization.unmarshal(yaml.replace("NAME", name), GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource create(GenericKubernetesResource resource) {
        return client.genericKubernetesResources("quanta.io/v1alpha1", "QuantizationJob")
                .inNamespace(NS)
                .resource(resource)
                .create();
    }

    @Test
    void validManifestIsAcceptedWithDefaults() {
        QuantizationJob qj = Serialization.unmarshal(VALID.replace("NAME", "valid"), QuantizationJob.class);
        qj.getSpec().quantization = null; // the API server fills in the whole block from the schema's defaults
        QuantizationJob created = client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .resource(qj)
                .create();
        assertNotNull(created.getMetadata().getUid());
        QuantizationSpec quantization = created.getSpec().quantization;
        assertEquals(
                QuantizationSpec.Mode.INT8_ONLY, quantization.mode, "schema defaults are applied by the API server");
        assertEquals(QuantizationSpec.IoType.FLOAT32, quantization.inputType);
        assertEquals(Boolean.TRUE, quantization.perChannel);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no model           | '  model: {uri: /models/vww.tflite}\n' | ''                                  | spec.model",
                "unknown mode       | '{mode: Int8Only}'                       | '{mode: Int4}'                      | spec.quantization.mode",
                "old mode name      | '{mode: Int8Only}'                       | '{mode: Int8WithFloatFallback}'     | spec.quantization.mode",
                "negative backoff   | 'backoffLimit: 0'                        | 'backoffLimit: -1'                  | spec.backoffLimit",
                "ftp model          | '{uri: /models/vww.tflite}'              | '{uri: ftp://host/vww.tflite}'      | spec.model.uri",
                "no samples         | 'samples: 10'                            | 'samples: 0'                        | spec.calibration.samples",
                "unknown format     | 'format: Images'                         | 'format: Jpeg'                      | spec.calibration.format",
                "removed format     | 'format: Images'                         | 'format: RawFloat32'                | spec.calibration.format",
                "bad volume name    | 'name: models'                           | 'name: Models_1'                    | spec.volumes.name",
                "relative mountPath | 'mountPath: /models'                     | 'mountPath: models'                 | spec.volumes.mountPath",
                "no shards          | 'backoffLimit: 0'                        | 'parallelism: 0'                    | spec.parallelism",
                "too many shards    | 'backoffLimit: 0'                        | 'parallelism: 65'                   | spec.parallelism",
            })
    void malformedManifestIsRejectedByTheApiServer(String title, String from, String to, String field) {
        String yaml = VALID.replace(from.replace("\\n", "\n"), to);
        String name = "bad-" + title.strip().replace(' ', '-').toLowerCase(java.util.Locale.ROOT);
        KubernetesClientException e =
                assertThrows(KubernetesClientException.class, () -> create(manifest(name, yaml)), title);
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(field), "message names " + field + ": " + e.getMessage());
    }
}
