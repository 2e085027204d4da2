package io.quanta.cli;

import io.quanta.data.MappedNpy;
import io.quanta.data.Npy;
import io.quanta.graph.Model;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.UnsupportedOpException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code quanta run MODEL --input IN.npy --output OUT.npy}: the interpreter over a batch of NumPy arrays. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a model over a batch of samples stacked on the first axis of .npy arrays, one per model "
                    + "input, and write each output's results stacked the same way.",
            "An input of shape [1,...rest] takes an array of shape [N,...rest]; an array of exactly the input's "
                    + "shape is a batch of one. Each sample runs independently (recurrent state is reset)."
        })
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Option(
            names = {"-i", "--input"},
            required = true,
            paramLabel = "IN.npy",
            description = "An input array, one per model input, in the model's input order.")
    List<Path> inputs;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "OUT.npy",
            description = "Where to write each model output, in the model's output order.")
    List<Path> outputs;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show (or with --no-progress, never show) a progress line on stderr. "
                    + "By default it shows on a terminal when a batch takes more than a second.")
    Boolean progress;

    @Mixin
    ThreadsOption threads;

    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Model m = parent.loadModel(model);
        if (m.subgraphs().isEmpty()) {
            throw new UserException(model + ": the model has no subgraph to run");
        }
        Subgraph graph = m.mainGraph();
        checkCount("input", inputs.size(), graph.inputs().length);
        checkCount("output", outputs.size(), graph.outputs().length);
        for (Path out : outputs) {
            Path dir = out.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new UserException("output directory does not exist: " + dir + " (for " + out + ")");
            }
        }

        List<MappedNpy> arrays = new ArrayList<>();
        List<BatchRunner.Layout> layouts = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path file = inputs.get(i);
            ModelFiles.requireReadableFile(file, "input");
            MappedNpy a = Npy.map(file);
            BatchRunner.Layout layout = BatchRunner.layout(graph, i, a.dtype(), a.shape(), file.toString());
            if (i > 0 && layout.samples() != layouts.get(0).samples()) {
                throw new UserException(file + " holds " + layout.samples() + " samples but " + inputs.get(0)
                        + " holds " + layouts.get(0).samples() + ": every input needs the same number");
            }
            arrays.add(a);
            layouts.add(layout);
        }

        Supplier<Interpreter> interpreters = () -> {
            try {
                return new Interpreter(graph, parent.kernels());
            } catch (UnsupportedOpException e) {
                throw new UserException("cannot run " + model + ": " + e.getMessage(), e);
            }
        };
        PrintWriter err = spec.commandLine().getErr();
        Progress listener = new Progress(err, progress, Progress.stderrIsTerminal());
        long start = System.nanoTime();
        List<BatchRunner.Written> results;
        try {
            results = new BatchRunner(graph, interpreters, threads.get()).run(arrays, layouts, outputs, listener);
        } finally {
            listener.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        PrintWriter out = spec.commandLine().getOut();
        int samples = layouts.get(0).samples();
        out.printf(
                Locale.ROOT,
                "ran %d sample%s in %.3f s (%.3f ms/sample)%n",
                samples,
                samples == 1 ? "" : "s",
                seconds,
                samples == 0 ? 0.0 : seconds * 1000 / samples);
        for (int o = 0; o < results.size(); o++) {
            BatchRunner.Written r = results.get(o);
            out.println("wrote " + outputs.get(o) + ": " + r.dtype().numpyName() + " " + InspectText.dims(r.shape())
                    + " (output " + o + " '" + graph.outputTensor(o).name() + "')");
        }
        out.flush();
        return 0;
    }

    private void checkCount(String role, int given, int expected) {
        if (given != expected) {
            throw new UserException(model + " has " + expected + " " + role + (expected == 1 ? "" : "s") + " but "
                    + given + " --" + role + " file" + (given == 1 ? " was" : "s were") + " given");
        }
    }
}
