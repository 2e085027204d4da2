package io.quanta.cli;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.job.StoredRun;
import io.quanta.pipeline.AccuracySettings;
import io.quanta.pipeline.Budget;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineSettings;
import io.quanta.pipeline.ShardFiles;
import io.quanta.pipeline.ShardSteps;
import io.quanta.quantize.InterfaceType;
import io.quanta.quantize.QuantizationMode;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.report.ResultCodec;
import io.quanta.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code quanta quantize MODEL --dataset DATA --out OUT.tflite}: one pipeline run. */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Quantize a float .tflite model: calibrate on representative samples, write the quantized model "
                    + "and a JSON report beside it, and compare it with the float model on an evaluation set.",
            "Datasets: a folder of images (png, jpg, bmp), one .npz, one .npy / IDX (.gz, -ubyte) file per model "
                    + "input with samples on the first axis, or 16-bit PCM .wav files (a folder of them) cut to the input's "
                    + "length; --labels-from-folders reads a folder per class."
        })
public final class QuantizeCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "The float .tflite file: a path, file://, https:// " + "or s3://bucket/key.")
    String model;

    @Mixin
    DataOptions data;

    @Mixin
    PreprocessingOptions preprocessing;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "OUT.tflite",
            description =
                    "Where to write the quantized model: a path, file:// or s3://bucket/key (written atomically).")
    String out;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "int8",
            description = "int8 (ops without an int8 kernel stay float), int8-only (fail if any would), dynamic-range "
                    + "(int8 weights, float activations), float16 or int16x8 (TFLite's 16x8: int16 activations, int8 "
                    + "weights) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--input-type",
            paramLabel = "TYPE",
            defaultValue = "float32",
            description = "Type of the model's inputs: float32, int8 or uint8 (default: ${DEFAULT-VALUE}).")
    String inputType;

    @Option(
            names = "--output-type",
            paramLabel = "TYPE",
            defaultValue = "float32",
            description = "Type of the model's outputs: float32, int8 or uint8 (default: ${DEFAULT-VALUE}).")
    String outputType;

    @Option(names = "--per-channel-fc", description = "Quantize FULLY_CONNECTED weights per output channel.")
    boolean perChannelFc;

    @Mixin
    CalibrationOptions calibration;

    @Option(
            names = "--keep-float",
            paramLabel = "NAME",
            split = ",",
            description = "Leave these ops float: an op type (LOG), an op's output tensor name, or #N (repeatable, or "
                    + "comma-separated).")
    List<String> keepFloat = List.of();

    @Option(
            names = "--min-agreement",
            paramLabel = "A",
            description = "Budget: top-1 agreement with the float model of at least A, in (0, 1].")
    Double minAgreement;

    @Option(names = "--min-sqnr", paramLabel = "DB", description = "Budget: output SQNR of at least DB decibels.")
    Double minSqnr;

    @Option(
            names = "--max-accuracy-drop",
            paramLabel = "D",
            description = "Budget: top-1 at most D below the float model's (a fraction; needs labels).")
    Double maxAccuracyDrop;

    @Option(
            names = "--search",
            paramLabel = "STRATEGY",
            defaultValue = "greedy",
            description = "With a budget: greedy keeps the most sensitive ops float until the budget holds; none only "
                    + "checks it (default: ${DEFAULT-VALUE}). An unmet budget fails with exit code 2.")
    String search;

    @Option(
            names = "--max-trials",
            paramLabel = "N",
            defaultValue = "20",
            description = "At most N candidate models in the greedy search (default: ${DEFAULT-VALUE}).")
    int maxTrials;

    @Option(
            names = "--fallback",
            paramLabel = "TYPE",
            defaultValue = "float",
            description = "What sensitive ops fall back to: float (default: ${DEFAULT-VALUE}).")
    String fallback;

    @Option(names = "--sensitivity", description = "Rank the int8 ops by sensitivity into the report and the summary.")
    boolean sensitivity;

    @Mixin
    RecipeOptions recipes;

    @Option(
            names = "--stats",
            arity = "1..*",
            paramLabel = "S.json",
            description = "Instead of calibrating, merge these calibration statistics (every shard of one 'quanta "
                    + "calibrate --shard I/N' set, any order; paths, file:// or s3://). Give the same MODEL, "
                    + "--dataset and calibration flags as to calibrate.")
    List<String> stats = List.of();

    @Option(names = "--no-eval", description = "Skip the comparison with the float model.")
    boolean noEval;

    @Option(
            names = "--report",
            paramLabel = "REPORT.json",
            description = "Where to write the JSON report (default: OUT.report.json beside the model, also on S3).")
    String report;

    @Option(
            names = "--result-file",
            paramLabel = "FILE",
            description = "Also write the compact result (the summary a Kubernetes operator reads) to FILE.")
    Path resultFile;

    @Mixin
    ProgressOption progress;

    @Mixin
    StorageFlags storage;

    @Mixin
    ThreadsOption threads;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        checkSamples(calibration, data);
        QuantizationOptions options;
        try {
            options = QuantizationOptions.defaults()
                    .withMode(parseEnum(QuantizationMode.class, "--mode", mode))
                    .withInputType(parseEnum(InterfaceType.class, "--input-type", inputType))
                    .withOutputType(parseEnum(InterfaceType.class, "--output-type", outputType))
                    .withPerChannelFullyConnected(perChannelFc)
                    .withKeepFloat(keepFloat);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        if (!stats.isEmpty() && !options.mode().isFullInteger()) {
            throw new UserException("--stats: mode " + mode + " does not calibrate; merged statistics need a "
                    + "full-integer --mode (int8, int8-only, int16x8)");
        }
        AccuracySettings accuracy = accuracySettings(
                calibration, minAgreement, minSqnr, maxAccuracyDrop, search, maxTrials, fallback, sensitivity);
        PipelineSettings settings = new PipelineSettings(
                        preprocessing.toPreprocessing(),
                        options,
                        calibration.samples,
                        calibration.sampleSeed,
                        !noEval,
                        data.evalSamples,
                        accuracy)
                .withThreads(threads.get())
                .withRecipes(recipes.get());
        StageProgress listener = progress.onStderr(spec, "quantize");
        StoredRun.Outcome outcome;
        try (Storage store = storage.open(main.environment())) {
            StoredRun.Request request = new StoredRun.Request(
                    at(model, store),
                    all(data.datasets, store),
                    at(data.labels, store),
                    all(data.evalDatasets, store),
                    at(data.evalLabels, store),
                    at(out, store),
                    at(report, store),
                    settings);
            Pipeline.GivenStats given = stats.isEmpty() ? null : mergedStats(store, storage.cacheDir());
            outcome = ShardOption.typed(
                    () -> StoredRun.run(request, given, storage.cacheDir(), storage.workDir(), listener));
        } finally {
            listener.close();
        }
        PrintWriter o = spec.commandLine().getOut();
        ReportText.print(o, outcome.report(), outcome.reportObject().location());
        o.println("  page        " + outcome.reportPage().location());
        o.println("  sha256      " + outcome.model().sha256() + " ("
                + outcome.model().size() + " bytes stored)");
        o.flush();
        if (resultFile != null) {
            Files.writeString(resultFile, ResultCodec.toTerminationMessage(outcome.summary()), StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** The statistics of every --stats file, merged in shard order (a bad set is one typed line). */
    private Pipeline.GivenStats mergedStats(Storage store, Path cacheDir) {
        List<ShardSteps.CalibrationShard> shards = ShardOption.read(store, cacheDir, stats, ShardFiles::calibration);
        return ShardOption.typed(() -> ShardSteps.mergeCalibration(shards, stats));
    }

    /** --samples and --eval-samples: 0 (all) or more. */
    static void checkSamples(CalibrationOptions calibration, DataOptions data) {
        if (calibration.samples < 0 || data.evalSamples < 0) {
            throw new UserException("--samples and --eval-samples must be positive");
        }
    }

    /** The accuracy flags as settings; a one-line user error for any bad value. */
    static AccuracySettings accuracySettings(
            CalibrationOptions calibration,
            Double minAgreement,
            Double minSqnr,
            Double maxAccuracyDrop,
            String search,
            int maxTrials,
            String fallback,
            boolean sensitivity) {
        try {
            Budget budget = new Budget(minAgreement, minSqnr, maxAccuracyDrop);
            AccuracySettings.Strategy strategy = budget.isEmpty()
                    ? AccuracySettings.Strategy.NONE
                    : parseEnum(AccuracySettings.Strategy.class, "--search", search);
            AccuracySettings.Fallback f = parseEnum(AccuracySettings.Fallback.class, "--fallback", fallback);
            return new AccuracySettings(
                    CalibrationMethod.parse(calibration.calibration),
                    calibration.percentile,
                    budget,
                    strategy,
                    maxTrials,
                    f,
                    sensitivity);
        } catch (IllegalArgumentException e) {
            throw new UserException("--" + e.getMessage(), e);
        }
    }

    private static StoredRun.Stored at(String location, Storage store) {
        return location == null ? null : new StoredRun.Stored(location, store);
    }

    private static List<StoredRun.Stored> all(List<String> locations, Storage store) {
        return locations.stream().map(l -> new StoredRun.Stored(l, store)).toList();
    }

    /** "int8-only" -> INT8_ONLY; a user error listing the choices otherwise. */
    static <E extends Enum<E>> E parseEnum(Class<E> type, String flag, String text) {
        String wanted = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        StringBuilder choices = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            choices.append(choices.length() == 0 ? "" : ", ")
                    .append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new UserException(flag + ": expected one of " + choices + ", found '" + text + "'");
    }
}
