package io.quanta.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quanta.graph.Model;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code quanta inspect MODEL}: what a model holds, as text or JSON. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show a model's operators (with versions and counts), inputs, outputs, every tensor's type, "
                    + "shape and quantization, and its sizes."
        })
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(
            names = "--all-channels",
            description = "List every per-channel scale and zero point instead of summarising long lists.")
    boolean allChannels;

    @Option(
            names = "--nodes",
            description = "In text, also list every operator node with its input and output tensors.")
    boolean nodes;

    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Model m = parent.loadModel(model);
        Long fileBytes = Files.isRegularFile(model) ? Files.size(model) : null;
        ModelInfo info = new ModelInspector(allChannels).inspect(m, model.toString(), fileBytes);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(info));
            out.flush();
        } else {
            new InspectText(out, allChannels, nodes).render(info);
        }
        return 0;
    }
}
