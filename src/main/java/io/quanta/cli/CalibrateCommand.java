package io.quanta.cli;

import io.quanta.pipeline.PipelineFiles;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.pipeline.PipelineSettings;
import io.quanta.pipeline.ShardFiles;
import io.quanta.pipeline.ShardSteps;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.storage.PublishedObject;
import io.quanta.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
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

/**
 * {@code quanta calibrate MODEL --dataset DATA --shard I/N --stats-out S.json}: one calibration shard of a sharded
 * run, written as the operator's calibration pods write it; {@code quanta quantize --stats} merges them.
 */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Calibrate a float .tflite model on one shard of its calibration samples and write the statistics as a "
                    + "partial file (the format the operator's calibration pods write).",
            "Run it for I = 0..N-1 (anywhere, in any order), then 'quanta quantize MODEL --stats S0.json ... --out "
                    + "OUT.tflite' with the same model, data and calibration flags: the model is byte for byte the "
                    + "one an unsharded 'quanta quantize' writes."
        })
public final class CalibrateCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "The float .tflite file: a path, file://, https:// or s3://bucket/key.")
    String model;

    @Mixin
    DataOptions data;

    @Mixin
    PreprocessingOptions preprocessing;

    @Mixin
    CalibrationOptions calibration;

    @Mixin
    RecipeOptions recipes;

    @Mixin
    ShardOption shard;

    @Option(
            names = "--stats-out",
            required = true,
            paramLabel = "S.json",
            description = "Where to write this shard's statistics: a path, file:// or s3://bucket/key (atomically).")
    String statsOut;

    @Mixin
    StorageFlags storage;

    @Mixin
    ThreadsOption threads;

    @Mixin
    ProgressOption progress;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        QuantizeCommand.checkSamples(calibration, data);
        if (!data.evalDatasets.isEmpty() || data.evalLabels != null || data.evalSamples != 0) {
            throw new UserException("--eval-dataset, --eval-labels and --eval-samples are for quantize and eval; "
                    + "calibrate reads only --dataset");
        }
        if (recipes.biasCorrection) {
            throw new UserException(
                    "--bias-correction is applied when quantizing: give it to 'quanta quantize --stats'");
        }
        if (data.datasets.isEmpty()) {
            throw new UserException("calibrate needs calibration data (--dataset)");
        }
        ShardOption.Shard s = shard.get();
        PipelineSettings settings = new PipelineSettings(
                        preprocessing.toPreprocessing(),
                        QuantizationOptions.defaults(),
                        calibration.samples,
                        calibration.sampleSeed,
                        false,
                        0,
                        QuantizeCommand.accuracySettings(calibration, null, null, null, "none", 20, "float", false))
                .withThreads(threads.get())
                .withRecipes(recipes.get());
        PrintWriter out = spec.commandLine().getOut();
        StageProgress listener = progress.onStderr(spec, "calibrate");
        try (Storage store = storage.open(main.environment())) {
            Path cache = storage.cacheDir();
            Path modelFile = store.fetch(model, cache);
            List<Path> datasets = data.datasets.stream()
                    .map(d -> store.fetchFileOrTree(d, cache))
                    .toList();
            Path labels = data.labels == null ? null : store.fetch(data.labels, cache);
            // Calibration writes no model: the output path is never written, only required by the request.
            PipelineRequest req = new PipelineRequest(
                    new PipelineFiles(
                            modelFile, datasets, labels, storage.workDir().resolve("unused.tflite"), null, null, null),
                    settings);
            ShardSteps.CalibrationShard result;
            try {
                result = ShardSteps.calibrate(req, s.index(), s.count(), listener);
            } finally {
                listener.close();
            }
            PublishedObject written = ShardOption.write(store, storage.workDir(), ShardFiles.toJson(result), statsOut);
            out.println("calibration shard " + s.index() + "/" + s.count() + ": samples " + result.from() + ".."
                    + result.to() + " of " + result.samples() + " -> " + written.location());
        }
        out.flush();
        return 0;
    }
}
