package io.quanta.job;

import static io.quanta.testing.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.pipeline.PipelineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and mistaken manifests ({@code job run}) and specs ({@code job step}): each is refused with a one-line
 * ManifestException naming what is wrong, and refusing takes a bounded amount of memory.
 */
class ManifestReaderTest {
    /** What refusing a manifest may allocate: the file (at most 1 MiB), its parse, the message. */
    private static final long BOUND = 16L << 20;

    @TempDir
    Path dir;

    private static final String HEAD = "apiVersion: quanta.io/v1alpha1\nkind: QuantizationJob\nmetadata:\n  name: m\n";
    private static final String SPEC = "spec:\n"
            + "  model: {uri: /shared/models/m.tflite}\n"
            + "  calibration:\n"
            + "    location: {uri: /shared/data/x.npy}\n"
            + "    format: Npy\n"
            + "    samples: 20\n"
            + "  output: {uri: /out/m.tflite}\n";

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("job.yaml"), text);
    }

    private String refusedYaml(String text) throws IOException {
        Path f = write(text);
        return refused(ManifestException.class, BOUND, () -> LocalJobRun.read(f));
    }

    @BeforeAll
    static void warmUp() {
        // Class loading and the first introspection of the API types are paid once, outside the measured refusals.
        LocalJobRun.read(Path.of("examples/mnist-int8.yaml"));
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theExamplesReadUnderStrictChecking(Path example) {
        QuantizationJob qj = LocalJobRun.read(example);
        assertTrue(qj.getSpec().model.uri != null, example.toString());
    }

    @Test
    void aWellFormedManifestReads() throws IOException {
        QuantizationJob qj = LocalJobRun.read(write(HEAD + SPEC + "  backoffLimit: 0x2\n"));
        assertEquals(20, qj.getSpec().calibration.samples);
        assertEquals(2, qj.getSpec().backoffLimit);
        assertEquals("/out/m.tflite", qj.getSpec().output.uri);
    }

    @Test
    void billionLaughs() throws IOException {
        StringBuilder b = new StringBuilder(HEAD + SPEC + "  volumes:\n");
        b.append("  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int k = 1; k < 10; k++) {
            b.append("  - &l").append(k).append(" [");
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ", ").append("*l").append(k - 1);
            }
            b.append("]\n");
        }
        String m = refusedYaml(b.toString());
        assertTrue(m.contains("aliases") && m.contains("20"), m);
    }

    @Test
    void aFloodOfScalarAliasesIsCappedByTheNodeCount() throws IOException {
        // SnakeYAML counts only aliases to collections: 300 000 aliases of one string stop at the event cap, and
        // 19 aliases (within SnakeYAML's limit) of a list of 1000 strings at the cap on expanded values.
        StringBuilder b = new StringBuilder(HEAD + SPEC + "  image: &s quanta\n  volumes: [");
        for (int k = 0; k < 300_000; k++) {
            b.append(k == 0 ? "*s" : ",*s");
        }
        String m = refusedYaml(b.append("]\n").toString());
        assertEndsWith(m, "holds more than " + ManifestReader.MAX_NODES + " values; a manifest needs far fewer");
        b = new StringBuilder(HEAD + SPEC + "  image: &l [" + "x,".repeat(999) + "x]\n  volumes: [");
        for (int k = 0; k < 19; k++) {
            b.append(k == 0 ? "*l" : ",*l");
        }
        m = refusedYaml(b.append("]\n").toString());
        assertContains(m, "holds more than " + ManifestReader.MAX_NODES + " values once its aliases are expanded");
    }

    @Test
    void anAliasOfItsOwnAncestorEndsInARefusal() throws IOException {
        String m = refusedYaml(HEAD + SPEC + "  volumes: &a [*a]\n");
        assertTrue(m.contains("nested too deeply") || m.contains("recursive"), m);
    }

    @Test
    void deepNestingTenThousandLevels() throws IOException {
        String lists = "[".repeat(10_000) + "]".repeat(10_000);
        String m = refusedYaml(HEAD + SPEC + "  volumes: " + lists + "\n");
        assertContains(m, "Nesting Depth exceeded max " + ManifestReader.MAX_DEPTH);
        String maps = "{a: ".repeat(10_000) + "1" + "}".repeat(10_000);
        m = refusedYaml(HEAD + SPEC + "  resources: " + maps + "\n");
        assertContains(m, "Nesting Depth exceeded max " + ManifestReader.MAX_DEPTH);
    }

    @Test
    void anOversizedFileIsRefusedBeforeItIsRead() throws IOException {
        Path f = dir.resolve("big.yaml");
        Files.writeString(f, HEAD + SPEC + ("# padding\n").repeat(200_000));
        // Less than the file: it is measured, not read.
        String m = refused(ManifestException.class, 1L << 20, () -> LocalJobRun.read(f));
        assertContains(m, "larger than a manifest may be (1048576 bytes)");
    }

    @Test
    void unknownFieldNamesItsPathAndLine() throws IOException {
        String m = refusedYaml(HEAD + SPEC.replace("samples: 20", "sampels: 20"));
        assertEndsWith(m, " line 10: unknown field \"spec.calibration.sampels\"");
        // fabric8 types keep unknown fields in additionalProperties; they are refused all the same.
        m = refusedYaml(HEAD + "  labelz: {a: b}\n" + SPEC);
        assertContains(m, "unknown field \"metadata.labelz\"");
        m = refusedYaml(HEAD + SPEC + "  resources: {limits: {memory: 1Gi}, limitz: {cpu: 1}}\n");
        assertContains(m, "unknown field \"spec.resources.limitz\"");
        m = refusedYaml(HEAD + SPEC + "  volumes:\n  - {name: v, mountPath: /v, hostPath: /tmp, claim: x}\n");
        assertContains(m, "unknown field \"spec.volumes[0].claim\"");
        m = refusedYaml(HEAD + SPEC + "extra: 1\n");
        assertContains(m, "unknown field \"extra\"");
    }

    @Test
    void duplicateKey() throws IOException {
        String m = refusedYaml(HEAD + SPEC + "  model: {uri: /elsewhere.tflite}\n");
        assertEndsWith(m, " line 12: duplicate field \"spec.model\"");
    }

    @Test
    void wrongTypesNameTheFieldAndTheValue() throws IOException {
        String m = refusedYaml(HEAD + SPEC.replace("samples: 20", "samples: twenty"));
        assertEndsWith(m, "spec.calibration.samples: expected an integer, got \"twenty\"");
        m = refusedYaml(HEAD + SPEC.replace("samples: 20", "samples: \"20\""));
        assertEndsWith(m, "spec.calibration.samples: expected an integer, got \"20\"");
        m = refusedYaml(HEAD + SPEC.replace("samples: 20", "samples: 2.5"));
        assertEndsWith(m, "spec.calibration.samples: expected an integer, got 2.5");
        m = refusedYaml(HEAD + SPEC.replace("format: Npy", "format: Npz"));
        assertEndsWith(m, "spec.calibration.format: expected one of Images, Npy, Wav, got \"Npz\"");
        m = refusedYaml(HEAD + SPEC.replace("model: {uri: /shared/models/m.tflite}", "model: [a, b]"));
        assertEndsWith(m, "spec.model: expected a mapping, got a list");
        m = refusedYaml(HEAD + SPEC + "  volumes: {name: v}\n");
        assertEndsWith(m, "spec.volumes: expected a list, got a mapping");
    }

    @Test
    void otherMalformedManifests() throws IOException {
        assertEndsWith(refusedYaml(""), "is empty");
        assertContains(refusedYaml("- a\n- b\n"), "expected a mapping of fields, got a list");
        assertContains(refusedYaml(HEAD + SPEC + "---\n" + HEAD + SPEC), "expected a single document");
        assertContains(refusedYaml(HEAD + SPEC + "  <<: {image: x}\n"), "merge keys");
        assertContains(refusedYaml(HEAD + SPEC + "  image: [unclosed\n"), "is not valid YAML");
        assertContains(refusedYaml(HEAD + SPEC + "  ? [a, b]\n  : c\n"), "keys are field names");
        Path latin1 = Files.write(
                dir.resolve("l.yaml"), (HEAD + "# caf\u00e9\n" + SPEC).getBytes(StandardCharsets.ISO_8859_1));
        assertEndsWith(refused(ManifestException.class, BOUND, () -> LocalJobRun.read(latin1)), "is not UTF-8 text");
        assertStartsWith(
                refused(ManifestException.class, BOUND, () -> LocalJobRun.read(dir.resolve("none.yaml"))),
                "no such manifest");
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), "'" + message + "' lacks '" + part + "'");
    }

    private static void assertEndsWith(String message, String part) {
        assertTrue(message.endsWith(part), "'" + message + "' does not end with '" + part + "'");
    }

    private static void assertStartsWith(String message, String part) {
        assertTrue(message.startsWith(part), "'" + message + "' does not start with '" + part + "'");
    }

    /** The engine pod's spec (QUANTA_JOB_SPEC, JSON) gets the same checks: InvalidSpec, one line. */
    private static String refusedSpec(String json) {
        PipelineException e =
                org.junit.jupiter.api.Assertions.assertThrows(PipelineException.class, () -> JobSpecs.parse(json));
        assertEquals("InvalidSpec", e.errorCode());
        io.quanta.testing.Refusals.assertOneLineUserMessage(e.getMessage());
        return e.getMessage();
    }

    @Test
    void theEngineSpecIsCheckedAlike() {
        String ok = "{\"model\":{\"uri\":\"/m.tflite\"},\"output\":{\"uri\":\"/o.tflite\"},\"backoffLimit\":1}";
        QuantizationJobSpec spec = JobSpecs.parse(ok);
        assertEquals(1, spec.backoffLimit);
        assertTrue(
                refusedSpec(ok.replace("backoffLimit", "backofLimit")).endsWith("unknown field \"spec.backofLimit\""));
        assertEndsWith(
                refusedSpec(ok.replace("\"backoffLimit\":1", "\"backoffLimit\":\"1\"")),
                "spec.backoffLimit: expected an integer, got \"1\"");
        assertContains(
                refusedSpec("{\"model\":{\"uri\":\"/a\"},\"model\":{\"uri\":\"/b\"}}"),
                "duplicate field \"spec.model\"");
        assertContains(
                refusedSpec("{\"volumes\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
                "nested too deeply (at most 50 levels)");
        assertContains(refusedSpec("x".repeat(ManifestReader.MAX_BYTES + 1)), "larger than a spec may be");
    }
}
