package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.job.EngineContract;
import io.quanta.testing.Refusals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile manifests at the command line: exit code 2 and one line on stderr, for job run and job step alike. */
class HostileManifestCliTest {
    @TempDir
    Path tmp;

    private static void assertOneUserErrorLine(CliRunner.Result r, String part) {
        assertEquals(2, r.exitCode(), r.toString());
        String err = r.err().strip();
        assertTrue(err.startsWith("quanta: ") && err.contains(part), r.toString());
        Refusals.assertOneLineUserMessage(err);
    }

    @Test
    void jobRunRefusesABillionLaughs() throws Exception {
        StringBuilder b =
                new StringBuilder("apiVersion: quanta.io/v1alpha1\nkind: QuantizationJob\nmetadata: {name: x}\n"
                        + "spec:\n  volumes:\n  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int k = 1; k < 10; k++) {
            b.append("  - &l")
                    .append(k)
                    .append(" [")
                    .append(("*l" + (k - 1) + ",").repeat(9))
                    .append("*l")
                    .append(k - 1)
                    .append("]\n");
        }
        Path f = Files.writeString(tmp.resolve("lol.yaml"), b);
        assertOneUserErrorLine(CliRunner.run(new Main(Map.of()), "job", "run", f.toString()), "aliases");
    }

    @Test
    void jobRunRefusesAnUnknownField() throws Exception {
        Path f = Files.writeString(
                tmp.resolve("typo.yaml"),
                "apiVersion: quanta.io/v1alpha1\nkind: QuantizationJob\nmetadata: {name: x}\n"
                        + "spec:\n  model: {uri: /m.tflite}\n  outptu: {uri: /o.tflite}\n");
        assertOneUserErrorLine(
                CliRunner.run(new Main(Map.of()), "job", "run", f.toString()), "line 6: unknown field \"spec.outptu\"");
    }

    @Test
    void jobStepRefusesADeeplyNestedSpec() {
        Map<String, String> env = Map.of(
                EngineContract.ENV_SPEC,
                "{\"volumes\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                EngineContract.ENV_RESULT_FILE,
                tmp.resolve("termination-log").toString(),
                "QUANTA_WORK_DIR",
                tmp.toString());
        CliRunner.Result r = CliRunner.run(new Main(env), "job", "step");
        assertOneUserErrorLine(r, "InvalidSpec: QUANTA_JOB_SPEC is nested too deeply (at most 50 levels)");
    }
}
