package io.quanta.cli;

import io.quanta.pipeline.AccuracySettings;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.pipeline.QuantizationReport;
import io.quanta.quantize.QuantizationOptions;
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
    @Parameters(index = "0", paramLabel = "MODEL", description = "The float .tflite file.")
    Path model;

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "DATA",
            description = "Calibration data (repeat per model input); also the evaluation data unless --eval-dataset.")
    List<Path> datasets = List.of();

    @Option(names = "--labels", paramLabel = "L", description = "Labels of --dataset, for top-1.")
    Path labels;

    @Mixin
    PreprocessingOptions preprocessing;

    @Mixin
    ThreadsOption threads;

    @Option(
            names = "--calibration",
            paramLabel = "METHOD",
            defaultValue = "minmax",
            description = "minmax, percentile, mse, entropy or auto (default: ${DEFAULT-VALUE}).")
    String calibration;

    @Option(
            names = "--percentile",
            paramLabel = "P",
            defaultValue = "99.99",
            description = "For --calibration percentile.")
    double percentile;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "0",
            description = "Calibrate on N samples (all when absent).")
    int samples;

    @Option(names = "--eval-dataset", paramLabel = "DATA", description = "Evaluation data (default: --dataset).")
    List<Path> evalDatasets = List.of();

    @Option(names = "--eval-labels", paramLabel = "L", description = "Labels of --eval-dataset.")
    Path evalLabels;

    @Option(
            names = "--eval-samples",
            paramLabel = "N",
            defaultValue = "0",
            description = "Rank on N evaluation samples spread evenly (all when absent).")
    int evalSamples;

    @Option(names = "--report", paramLabel = "REPORT.json", description = "Also write the full JSON report here.")
    Path report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (samples < 0 || evalSamples < 0) {
            throw new UserException("--samples and --eval-samples must be positive");
        }
        AccuracySettings accuracy = QuantizeCommand.accuracySettings(
                calibration, percentile, null, null, null, "none", AccuracySettings.DEFAULT_MAX_TRIALS, "float", true);
        Path work = Files.createTempDirectory("quanta-analyze");
        try {
            Path reportFile = report != null ? report : work.resolve("report.json");
            PipelineRequest req = new PipelineRequest(
                            model,
                            datasets,
                            labels,
                            preprocessing.toPreprocessing(),
                            work.resolve("analyzed.tflite"),
                            QuantizationOptions.defaults(),
                            samples,
                            null,
                            false,
                            evalDatasets,
                            evalLabels,
                            evalSamples,
                            reportFile,
                            accuracy)
                    .withThreads(threads.get());
            StageProgress listener = StageProgress.onStderr(spec, "analyze", null);
            Pipeline.Outcome outcome;
            try {
                outcome = Pipeline.run(req, listener);
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
        if (report != null) {
            out.println("  report " + report);
        }
        out.flush();
    }
}
