package io.quanta.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input that once ended in a bug (an OutOfMemoryError, an index or argument exception, a null pointer),
 * minimized and kept under src/test/resources/regressions: now each ends in a typed one-line user error.
 */
class RegressionInputsTest {
    static Stream<Path> models() throws IOException {
        Path dir = Path.of("src/test/resources/regressions/models");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.sorted().toList();
            assertFalse(files.isEmpty());
            return files.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void modelEndsInATypedError(Path file) throws Exception {
        FuzzRunner runner = new FuzzRunner(60_000);
        try {
            FuzzRunner.Outcome o = runner.classify(new ModelTarget(), Files.readAllBytes(file));
            assertFalse(o.isBug(), file + ": " + o.name() + " " + o.error());
            assertTrue(o.error() != null, file + " ran: it was kept because it must be refused");
            String m = o.error().getMessage();
            assertTrue(m != null && !m.contains("\n") && !m.contains("Exception"), file + ": " + m);
        } finally {
            runner.close();
        }
    }

    static Stream<Path> manifests() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/regressions/manifests"))) {
            List<Path> files = s.sorted().toList();
            assertFalse(files.isEmpty());
            return files.stream();
        }
    }

    /** Manifests the fuzz run once counted as bugs: each is refused with a one-line message fit for users. */
    @ParameterizedTest
    @MethodSource("manifests")
    void manifestEndsInATypedErrorForUsers(Path file) throws Exception {
        FuzzRunner runner = new FuzzRunner(60_000);
        try {
            FuzzRunner.Outcome o = runner.classify(new ManifestTarget(), Files.readAllBytes(file));
            assertFalse(o.isBug(), file + ": " + o.name() + " " + o.error());
            assertTrue(o.error() != null, file + " was read: it was kept because it must be refused");
        } finally {
            runner.close();
        }
    }

    @org.junit.jupiter.api.Test
    void quotedUserTextIsNotTakenForAClassNameButAClassNameIs() {
        // a field path the user wrote, as the manifest reader quotes it
        assertTrue(FuzzRunner.isUserMessage("job.yaml line 7: unknown field \"spec.quantization.Mode\""));
        assertFalse(FuzzRunner.isUserMessage("job.yaml: cannot read: java.nio.file.AccessDeniedException: job.yaml"));
        assertFalse(FuzzRunner.isUserMessage("model.tflite: bad offset (IndexOutOfBoundsException)"));
        assertFalse(FuzzRunner.isUserMessage("first line\u0000 and io.quanta.graph.Tensor.Shape"));
    }
}
