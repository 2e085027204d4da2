package io.quanta.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.tflite.ModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster tests (k8s-tests) cannot build the hard-case model themselves (they compile only the CRD types), so a
 * copy is committed there; it must be the model {@link SpeechFrontEnd} builds. Its classifier is centred on float
 * results, which may differ in the last bits between SIMD and scalar kernels, so constants compare within 1e-5
 * relative. Refresh it with {@code ./mvnw -o test -Dtest=SpeechFrontEndFixtureTest -Dquanta.fixtures.update=true}.
 */
class SpeechFrontEndFixtureTest {
    static final Path COMMITTED = Path.of("k8s-tests", "src", "test", "resources", "speech_front_end.tflite");

    @TempDir
    Path tmp;

    @Test
    void theClusterTestsCopyOfTheHardCaseIsCurrent() throws Exception {
        Path built = SpeechFrontEnd.writeModel(
                tmp.resolve("built.tflite"), SpeechFrontEnd.writeWindows(tmp.resolve("w.npy")));
        if (Boolean.getBoolean("quanta.fixtures.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.copy(built, COMMITTED, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Subgraph a = ModelReader.read(built).mainGraph();
        Subgraph b = ModelReader.read(COMMITTED).mainGraph();
        assertEquals(a.operators().size(), b.operators().size());
        assertEquals(a.tensors().size(), b.tensors().size());
        for (int t = 0; t < a.tensors().size(); t++) {
            Tensor x = a.tensor(t);
            Tensor y = b.tensor(t);
            assertEquals(x.name(), y.name());
            assertArrayEquals(x.shape(), y.shape());
            if (x.isConstant() && x.type() == DataType.FLOAT32) {
                float[] fx = TensorData.floats(x.data());
                float[] fy = TensorData.floats(y.data());
                for (int k = 0; k < fx.length; k++) {
                    assertTrue(
                            Math.abs(fx[k] - fy[k]) <= 1e-5 * Math.max(1, Math.abs(fx[k])),
                            x.name() + "[" + k + "]: " + fx[k] + " vs committed " + fy[k]);
                }
            }
        }
    }
}
