package io.quanta.cli;

import io.quanta.eval.EvaluationResult;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.Reports;
import io.quanta.storage.PublishedObject;
import io.quanta.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code quanta eval FLOAT.tflite QUANT.tflite --dataset DATA}: compare a quantized model with its float original. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compare a quantized model with its float original on a dataset: accuracy against labels, argmax "
                    + "agreement, output errors and SQNR, and per-layer errors of tensors paired by name."
        })
public final class EvalCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "FLOAT.tflite",
            description = "The float model (path, file://, https:// or s3://).")
    String floatModel;

    @Parameters(
            index = "1",
            paramLabel = "QUANT.tflite",
            description = "The quantized model (path, file://, https:// or s3://).")
    String quantModel;

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "DATA",
            description = "Evaluation data (a location; a folder or s3:// prefix for images); repeat for a model with "
                    + "several inputs.")
    List<String> datasets;

    @Option(names = "--labels", paramLabel = "L", description = "Labels of the dataset (IDX, text or CSV).")
    String labels;

    @Mixin
    PreprocessingOptions preprocessing;

    @Mixin
    ThreadsOption threads;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "0",
            description = "Evaluate on N samples spread evenly over the dataset (all when absent).")
    int samples;

    @Option(
            names = "--sample-seed",
            paramLabel = "S",
            description = "Draw the N samples at random with this seed instead.")
    Long sampleSeed;

    @Option(
            names = "--report",
            paramLabel = "REPORT.json",
            description = "Also write the evaluation as JSON (a path, file:// or s3:// location, written atomically).")
    String report;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show (or never show) a progress line on stderr; by default on a terminal for long runs.")
    Boolean progress;

    @Mixin
    StorageFlags storage;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (samples < 0) {
            throw new UserException("--samples must be positive");
        }
        EvaluationResult result;
        PrintWriter out = spec.commandLine().getOut();
        try (Storage store = storage.open(main.environment())) {
            Path cache = storage.cacheDir();
            Path floatFile = store.fetch(floatModel, cache);
            Path quantFile = store.fetch(quantModel, cache);
            List<Path> data =
                    datasets.stream().map(d -> store.fetchFileOrTree(d, cache)).toList();
            Path labelFile = labels == null ? null : store.fetch(labels, cache);
            StageProgress listener = StageProgress.onStderr(spec, "eval", progress);
            try {
                result = Pipeline.evaluate(
                        floatFile,
                        quantFile,
                        data,
                        labelFile,
                        preprocessing.toPreprocessing(),
                        samples,
                        sampleSeed,
                        threads.get(),
                        listener);
            } finally {
                listener.close();
            }
            out.println("compared " + quantModel + " with " + floatModel);
            ReportText.printEvaluation(out, result, "  ");
            if (report != null) {
                Path work = storage.workDir();
                Files.createDirectories(work);
                Path staged = Files.createTempFile(work, "eval-", ".json");
                try {
                    Files.writeString(staged, Reports.toJson(result));
                    PublishedObject published = store.publish(staged, report);
                    out.println("  report      " + published.location() + " (sha256 " + published.sha256() + ")");
                } finally {
                    Files.deleteIfExists(staged);
                }
            }
        }
        out.flush();
        return 0;
    }
}
