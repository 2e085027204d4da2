package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray;
import io.quanta.data.NdArray.DType;
import io.quanta.data.Npy;
import io.quanta.graph.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path dir;

    private Path model() throws IOException {
        Path p = dir.resolve("model.tflite");
        Files.write(p, new byte[] {1});
        return p;
    }

    private Path npy(String name, NdArray a) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(p, a);
        return p;
    }

    private CliRunner.Result run(Model m, String... args) {
        return CliRunner.run(TestModels.mainFor(m), args);
    }

    private static void assertOneLineUserError(CliRunner.Result r, String... fragments) {
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("quanta: "), r.toString());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
    }

    @Test
    void runsEverySampleOfABatchAndStacksTheOutputs() throws IOException {
        int n = 5;
        float[] x = new float[n * 3];
        Random rnd = new Random(1);
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextFloat();
        }
        Path in = npy("x.npy", NdArray.ofFloats(new int[] {n, 3}, x));
        Path out = dir.resolve("y.npy");
        CliRunner.Result r = run(
                TestModels.addBias(), "run", model().toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        NdArray y = Npy.read(out);
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(new int[] {n, 3}, y.shape());
        for (int k = 0; k < x.length; k++) {
            assertEquals(x[k] + TestModels.BIAS[k % 3], y.floats()[k], 0f);
        }
        assertTrue(r.out().contains("ran 5 samples"), r.out());
        assertTrue(r.out().contains("wrote " + out + ": float32 [5,3] (output 0 'y')"), r.out());
        assertTrue(r.err().isEmpty(), "no progress line when stderr is no terminal: " + r.err());
    }

    @Test
    void acceptsExactlyTheInputShapeAsOneSampleAndAnExtraLeadingAxis() throws IOException {
        Path out = dir.resolve("y.npy");
        Path one = npy("one.npy", NdArray.ofFloats(new int[] {1, 3}, new float[] {1, 2, 3}));
        assertEquals(
                0,
                run(TestModels.addBias(), "run", model().toString(), "-i", one.toString(), "-o", out.toString())
                        .exitCode());
        assertEquals(NdArray.ofFloats(new int[] {1, 3}, new float[] {1.5f, 1f, 5f}), Npy.read(out));

        Path stacked = npy("stacked.npy", NdArray.ofFloats(new int[] {2, 1, 3}, new float[] {1, 2, 3, 0, 0, 0}));
        assertEquals(
                0,
                run(TestModels.addBias(), "run", model().toString(), "-i", stacked.toString(), "-o", out.toString())
                        .exitCode());
        assertEquals(NdArray.ofFloats(new int[] {2, 3}, new float[] {1.5f, 1f, 5f, 0.5f, -1f, 2f}), Npy.read(out));
    }

    @Test
    void resetsRecurrentStateBeforeEachSample() throws IOException {
        Path in = npy("x.npy", NdArray.ofFloats(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        Path out = dir.resolve("y.npy");
        CliRunner.Result r =
                run(TestModels.accumulator(), "run", model().toString(), "-i", in.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        // Without the reset the accumulator would carry over: [1,2], [4,6], [9,12].
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Npy.read(out).floats());
    }

    @Test
    void feedsSeveralInputsOfTheirOwnTypesAndWritesSeveralOutputs() throws IOException {
        Path x = npy("x.npy", NdArray.ofFloats(new int[] {2, 2}, new float[] {1, 2, 3, 4}));
        Path n = npy("n.npy", NdArray.ofInts(new int[] {2}, new int[] {10, 20}));
        Path x2 = dir.resolve("x2.npy");
        Path n1 = dir.resolve("n1.npy");
        CliRunner.Result r = run(
                TestModels.twoInputs(),
                "run",
                model().toString(),
                "-i",
                x.toString(),
                "-i",
                n.toString(),
                "-o",
                x2.toString(),
                "-o",
                n1.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(NdArray.ofFloats(new int[] {2, 2}, new float[] {2, 4, 6, 8}), Npy.read(x2));
        assertEquals(NdArray.ofInts(new int[] {2}, new int[] {11, 21}), Npy.read(n1));
    }

    @Test
    void anEmptyBatchWritesEmptyOutputs() throws IOException {
        Path in = npy("x.npy", NdArray.ofFloats(new int[] {0, 3}, new float[0]));
        Path out = dir.resolve("y.npy");
        assertEquals(
                0,
                run(TestModels.addBias(), "run", model().toString(), "-i", in.toString(), "-o", out.toString())
                        .exitCode());
        assertArrayEquals(new int[] {0, 3}, Npy.read(out).shape());
    }

    @Test
    void progressCanBeForcedOn() throws IOException {
        Path in = npy("x.npy", NdArray.ofFloats(new int[] {4, 3}, new float[12]));
        CliRunner.Result r = run(
                TestModels.addBias(),
                "run",
                model().toString(),
                "-i",
                in.toString(),
                "-o",
                dir.resolve("y.npy").toString(),
                "--progress");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("\rquanta run: "), r.err());
        assertTrue(r.err().contains("4/4 samples (100%)"), r.err());
        assertEquals(1, r.errLines().size(), "one updating line: " + r.err());
    }

    @Test
    void wrongDtypeNamesFileExpectedAndFound() throws IOException {
        Path in = npy("ints.npy", NdArray.ofInts(new int[] {2, 3}, new int[6]));
        CliRunner.Result r = run(
                TestModels.addBias(),
                "run",
                model().toString(),
                "-i",
                in.toString(),
                "-o",
                dir.resolve("y.npy").toString());
        assertOneLineUserError(r, in.toString(), "input 0 'x'", "expects float32", "found int32");
        assertFalse(Files.exists(dir.resolve("y.npy")));
    }

    @Test
    void wrongShapeNamesFileExpectedAndFound() throws IOException {
        Path in = npy("wide.npy", NdArray.ofFloats(new int[] {2, 4}, new float[8]));
        CliRunner.Result r = run(
                TestModels.addBias(),
                "run",
                model().toString(),
                "-i",
                in.toString(),
                "-o",
                dir.resolve("y.npy").toString());
        assertOneLineUserError(r, in.toString(), "[N,3]", "found [2,4]");
    }

    @Test
    void malformedNpyIsAOneLineUserError() throws IOException {
        Path in = dir.resolve("junk.npy");
        byte[] junk = new byte[300];
        new Random(3).nextBytes(junk);
        Files.write(in, junk);
        assertOneLineUserError(
                run(TestModels.addBias(), "run", model().toString(), "-i", in.toString(), "-o", "y.npy"),
                in.toString(),
                "not a NumPy .npy file");
        Files.write(in, new byte[0]);
        assertOneLineUserError(
                run(TestModels.addBias(), "run", model().toString(), "-i", in.toString(), "-o", "y.npy"), "empty");
    }

    @Test
    void missingInputFileIsAOneLineUserError() throws IOException {
        Path in = dir.resolve("absent.npy");
        assertOneLineUserError(
                run(TestModels.addBias(), "run", model().toString(), "-i", in.toString(), "-o", "y.npy"),
                "input file not found: " + in);
    }

    @Test
    void inputAndOutputCountsMustMatchTheModel() throws IOException {
        Path x = npy("x.npy", NdArray.ofFloats(new int[] {1, 2}, new float[2]));
        assertOneLineUserError(
                run(
                        TestModels.twoInputs(),
                        "run",
                        model().toString(),
                        "-i",
                        x.toString(),
                        "-o",
                        "a.npy",
                        "-o",
                        "b.npy"),
                "has 2 inputs but 1 --input file was given");
        Path n = npy("n.npy", NdArray.ofInts(new int[] {1}, new int[1]));
        assertOneLineUserError(
                run(
                        TestModels.twoInputs(),
                        "run",
                        model().toString(),
                        "-i",
                        x.toString(),
                        "-i",
                        n.toString(),
                        "-o",
                        "a.npy"),
                "has 2 outputs but 1 --output file was given");
    }

    @Test
    void inputsMustHoldTheSameNumberOfSamples() throws IOException {
        Path x = npy("x.npy", NdArray.ofFloats(new int[] {3, 2}, new float[6]));
        Path n = npy("n.npy", NdArray.ofInts(new int[] {2}, new int[2]));
        assertOneLineUserError(
                run(
                        TestModels.twoInputs(),
                        "run",
                        model().toString(),
                        "-i",
                        x.toString(),
                        "-i",
                        n.toString(),
                        "-o",
                        dir.resolve("a.npy").toString(),
                        "-o",
                        dir.resolve("b.npy").toString()),
                "holds 2 samples",
                "holds 3");
    }

    @Test
    void unsupportedOpIsAOneLineUserError() throws IOException {
        Path x = npy("x.npy", NdArray.ofFloats(new int[] {1, 3}, new float[3]));
        assertOneLineUserError(
                run(
                        TestModels.unsupported(),
                        "run",
                        model().toString(),
                        "-i",
                        x.toString(),
                        "-o",
                        dir.resolve("y.npy").toString()),
                "cannot run",
                "TANH");
    }

    @Test
    void missingOutputDirectoryIsCaughtBeforeRunning() throws IOException {
        Path x = npy("x.npy", NdArray.ofFloats(new int[] {1, 3}, new float[3]));
        assertOneLineUserError(
                run(
                        TestModels.addBias(),
                        "run",
                        model().toString(),
                        "-i",
                        x.toString(),
                        "-o",
                        dir.resolve("no/such/dir/y.npy").toString()),
                "output directory does not exist");
    }

    @Test
    void missingRequiredOptionIsAOneLineUsageError() throws IOException {
        assertOneLineUserError(
                run(TestModels.addBias(), "run", model().toString()), "Missing required option", "quanta run --help");
    }

    @Test
    void aModelWithoutSubgraphsIsAUserError() throws IOException {
        Model empty = new Model(3, "", java.util.List.of(), java.util.List.of(), java.util.List.of());
        Path x = npy("x.npy", NdArray.ofFloats(new int[] {1, 3}, new float[3]));
        assertOneLineUserError(run(empty, "run", model().toString(), "-i", x.toString(), "-o", "y.npy"), "no subgraph");
        CliRunner.Result inspect = run(empty, "inspect", model().toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("0 subgraphs"), inspect.out());
    }

    @Test
    void outputsThatChangeShapeCannotBeStackedAndTheErrorStartsItsOwnLine() throws IOException {
        // y has as many elements as x's first value says: samples of different lengths.
        io.quanta.graph.Tensor x = new io.quanta.graph.Tensor("x", io.quanta.graph.DataType.FLOAT32, new int[] {1});
        io.quanta.graph.Tensor y = new io.quanta.graph.Tensor("y", io.quanta.graph.DataType.FLOAT32, new int[] {1});
        io.quanta.graph.Operator op = new io.quanta.graph.Operator(
                        io.quanta.graph.OpType.CUSTOM, 32, 1, new int[] {0}, new int[] {1}, null)
                .customCode("RANGE");
        Model m = Model.of(new io.quanta.graph.Subgraph(
                "g", java.util.List.of(x, y), java.util.List.of(op), new int[] {0}, new int[] {1}));
        io.quanta.kernels.KernelRegistry kernels = new io.quanta.kernels.KernelRegistry()
                .register(
                        io.quanta.graph.OpType.CUSTOM,
                        io.quanta.kernels.KernelRegistry.Flavor.FLOAT,
                        ctx -> (in, out) -> out[0].resize(new int[] {(int) in[0].f[0]}));
        Main main = new Main(file -> m, () -> kernels);
        Path in = npy("x.npy", NdArray.ofFloats(new int[] {3, 1}, new float[] {2, 2, 5}));
        CliRunner.Result r = CliRunner.run(
                main,
                "run",
                model().toString(),
                "-i",
                in.toString(),
                "-o",
                dir.resolve("y.npy").toString(),
                "--progress");
        assertEquals(2, r.exitCode(), r.toString());
        java.util.List<String> lines = r.errLines();
        assertEquals(2, lines.size(), "the progress line, then the error: " + r);
        assertTrue(lines.get(0).startsWith("\rquanta run: "), r.toString());
        assertEquals(
                "quanta: output 0 'y' has shape [2] for sample 0 but [5] for sample 2: samples of different "
                        + "shapes cannot be stacked",
                lines.get(1));
    }
}
