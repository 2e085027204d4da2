package io.quanta.cli;

import io.quanta.eval.EvaluationResult;
import io.quanta.pipeline.EvalRequest;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.Reports;
import io.quanta.pipeline.ShardFiles;
import io.quanta.pipeline.ShardSteps;
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

    @Mixin
    ShardOption shard;

    @Option(
            names = "--tally-out",
            paramLabel = "T.json",
            description = "Instead of the result, write this shard's evaluation tallies (a path, file:// or s3://); "
                    + "'quanta merge' turns every shard's tallies into the result an unsharded eval prints.")
    String tallyOut;

    @Mixin
    ProgressOption progress;

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
        if (tallyOut == null && shard.given()) {
            throw new UserException("--shard needs --tally-out: a shard's tallies are merged by 'quanta merge'");
        }
        if (tallyOut != null && report != null) {
            throw new UserException("--report goes with 'quanta merge' when the evaluation is sharded (--tally-out)");
        }
        ShardOption.Shard s = shard.get();
        EvaluationResult result;
        PrintWriter out = spec.commandLine().getOut();
        try (Storage store = storage.open(main.environment())) {
            Path cache = storage.cacheDir();
            Path floatFile = store.fetch(floatModel, cache);
            Path quantFile = store.fetch(quantModel, cache);
            List<Path> data =
                    datasets.stream().map(d -> store.fetchFileOrTree(d, cache)).toList();
            Path labelFile = labels == null ? null : store.fetch(labels, cache);
            StageProgress listener = progress.onStderr(spec, "eval");
            EvalRequest request = new EvalRequest(
                    floatFile,
                    quantFile,
                    data,
                    labelFile,
                    preprocessing.toPreprocessing(),
                    samples,
                    sampleSeed,
                    threads.get());
            if (tallyOut != null) {
                ShardSteps.EvaluationShard tally;
                try {
                    tally = ShardSteps.compareShard(request, s.index(), s.count(), listener);
                } finally {
                    listener.close();
                }
                PublishedObject written =
                        ShardOption.write(store, storage.workDir(), ShardFiles.toJson(tally), tallyOut);
                out.println("evaluation shard " + s.index() + "/" + s.count() + ": samples " + tally.from() + ".."
                        + tally.to() + " of " + tally.samples() + " -> " + written.location());
                out.flush();
                return 0;
            }
            try {
                result = Pipeline.evaluate(request, listener);
            } finally {
                listener.close();
            }
            show(out, result, floatModel, quantModel, report, store, storage.workDir());
        }
        out.flush();
        return 0;
    }

    /** Prints the comparison and publishes its JSON to {@code report} (when given): what eval and merge show. */
    static void show(
            PrintWriter out,
            EvaluationResult result,
            String floatModel,
            String quantModel,
            String report,
            Storage store,
            Path work)
            throws IOException {
        out.println("compared " + quantModel + " with " + floatModel);
        ReportText.printEvaluation(out, result, "  ");
        if (report != null) {
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
}
