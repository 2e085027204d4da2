package io.quanta.cli;

import io.quanta.pipeline.AccuracySettings;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineFiles;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.pipeline.PipelineSettings;
import io.quanta.pipeline.QuantizationReport;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
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

/**
 * {@code quanta analyze MODEL --dataset DATA}: which ops hurt accuracy in int8. Quantizes as {@code quantize} would,
 * then ranks every int8 op by how far the output moves with that op alone in int8, on the evaluation samples.
 * Writes no model; the ranking goes to stdout and, with --report, into a JSON report.
 */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Rank the ops of a float .tflite model by their sensitivity to int8 quantization: the output "
                    + "SQNR, agreement and (with labels) top-1 with that op alone in int8, every other op float."
        })
public final class AnalyzeCommand implements Callable<Integer> {
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

    @Option(names = "--report", paramLabel = "REPORT.json", description = "Also write the full JSON report here.")
    Path report;

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
        if (data.datasets.isEmpty()) {
            throw new UserException("analyze needs calibration data: give --dataset");
        }
        QuantizeCommand.checkSamples(calibration, data);
        AccuracySettings accuracy = QuantizeCommand.accuracySettings(
                calibration, null, null, null, "none", AccuracySettings.DEFAULT_MAX_TRIALS, "float", true);
        Path work = Files.createTempDirectory("quanta-analyze");
        try (Storage store = storage.open(main.environment())) {
            Path cache = storage.cacheDir();
            Path reportFile = report != null ? report : work.resolve("report.json");
            PipelineSettings settings = new PipelineSettings(
                            preprocessing.toPreprocessing(),
                            QuantizationOptions.defaults(),
                            calibration.samples,
                            calibration.sampleSeed,
                            false,
                            data.evalSamples,
                            accuracy)
                    .withThreads(threads.get())
                    .withRecipes(recipes.get());
            PipelineFiles files = new PipelineFiles(
                    store.fetch(model, cache),
                    fetchAll(store, data.datasets, cache),
                    data.labels == null ? null : store.fetch(data.labels, cache),
                    work.resolve("analyzed.tflite"),
                    fetchAll(store, data.evalDatasets, cache),
                    data.evalLabels == null ? null : store.fetch(data.evalLabels, cache),
                    reportFile);
            StageProgress listener = StageProgress.onStderr(spec, "analyze", null);
            Pipeline.Outcome outcome;
            try {
                outcome = Pipeline.run(new PipelineRequest(files, settings), listener);
            } finally {
                listener.close();
            }
            print(spec.commandLine().getOut(), outcome.report(), report);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    private static List<Path> fetchAll(Storage store, List<String> locations, Path cache) {
        return locations.stream().map(d -> store.fetchFileOrTree(d, cache)).toList();
    }

    static void print(PrintWriter out, QuantizationReport r, Path report) {
        QuantizationReport.Accuracy a = r.accuracy();
        out.printf(
                Locale.ROOT,
                "sensitivity of %s (ranges %s), %d int8 op(s) ranked, most sensitive first:%n",
                r.files().model(),
                a.calibration(),
                a.sensitivity().size());
        for (QuantizationReport.SensitivityEntry s : a.sensitivity()) {
            out.printf(
                    Locale.ROOT,
                    "  %3d. #%d %-22s %-30s SQNR %s%s%s%n",
                    s.rank(),
                    s.op(),
                    s.opType(),
                    "'" + s.name() + "'",
                    s.sqnrDb() == null ? "-" : String.format(Locale.ROOT, "%6.1f dB", s.sqnrDb()),
                    s.agreement() == null ? "" : String.format(Locale.ROOT, ", agreement %.4f", s.agreement()),
                    s.top1() == null ? "" : String.format(Locale.ROOT, ", top-1 %.4f", s.top1()));
        }
        QuantizationReport.TrialEntry all = a.trials().get(0);
        out.printf(
                Locale.ROOT,
                "  every op in int8: SQNR %s%s (%d samples); %d trials in %.1f s%n",
                all.sqnrDb() == null ? "-" : String.format(Locale.ROOT, "%.1f dB", all.sqnrDb()),
                all.agreement() == null ? "" : String.format(Locale.ROOT, ", agreement %.4f", all.agreement()),
                all.samples(),
                a.trials().size(),
                a.searchMs() / 1000.0);
        if (r.recipes() != null) {
            ReportText.printRecipes(out, r.recipes());
        }
        if (report != null) {
            out.println("  report " + report);
        }
        out.flush();
    }
}
