package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.graph.GraphValidator;
import io.quanta.testing.SharedAssets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --max-memory: a model whose tensors need more is refused with a one-line user error before allocation. */
class MaxMemoryOptionTest {
    @AfterEach
    void restore() {
        GraphValidator.setMemoryLimit(0);
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine(new Main());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @TempDir
    Path dir;

    @Test
    void aModelAboveTheLimitIsAUserError() throws Exception {
        StringWriter err = new StringWriter();
        String model = SharedAssets.floatModel("tflm_hello_world_float.tflite").toString();
        Path in = dir.resolve("in.npy");
        Npy.write(in, NdArray.ofFloats(new int[] {1, 1}, new float[] {0.5f}));
        int code = run(
                err,
                "run",
                model,
                "-i",
                in.toString(),
                "-o",
                dir.resolve("out.npy").toString(),
                "--max-memory",
                "1k");
        assertEquals(2, code, err.toString());
        String line = err.toString().strip();
        assertTrue(
                line.startsWith(
                        "quanta: the model's tensors need 1.4 KiB, more than the 1.0 KiB allowed (--max-memory)"),
                line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void aSizeThatIsNoSizeIsAParameterError() {
        StringWriter err = new StringWriter();
        String model = SharedAssets.floatModel("tflm_hello_world_float.tflite").toString();
        assertEquals(2, run(err, "run", model, "-i", "x.npy", "-o", "y.npy", "--max-memory", "lots"));
        assertTrue(err.toString().contains("--max-memory: not a memory size: 'lots'"), err.toString());
    }
}
