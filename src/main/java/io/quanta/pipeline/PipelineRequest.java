package io.quanta.pipeline;

import io.quanta.data.Preprocessing;
import io.quanta.quantize.QuantizationOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One quantization run, as asked for.
 *
 * @param model          the float .tflite file
 * @param datasets       calibration data: one path (image folder, .npz) or one file per model input (.npy, IDX)
 * @param labels         labels of the calibration data (used when evaluation falls back to it), or null
 * @param preprocessing  how raw samples become model inputs (colour, resizing, normalization)
 * @param output         where the quantized .tflite goes
 * @param options        quantization mode and options
 * @param samples        calibration samples to take; 0 takes them all
 * @param sampleSeed     null spreads the samples evenly over the set; a seed draws them at random
 * @param evaluate       whether to compare float and quantized after quantizing
 * @param evalDatasets   evaluation data; empty evaluates on the calibration dataset (all of it, not only the
 *                       calibration samples)
 * @param evalLabels     labels of the evaluation data; null takes {@code labels} when evaluating on the
 *                       calibration dataset
 * @param evalSamples    evaluation samples to take, evenly spread; 0 takes them all
 * @param report         where the JSON report goes; null writes it beside the output ({@link #reportPath()})
 * @param accuracy       calibration method, accuracy budget and search (defaults: the converter's recipe, no budget)
 */
public record PipelineRequest(Path model, List<Path> datasets, Path labels, Preprocessing preprocessing, Path output,
        QuantizationOptions options, int samples, Long sampleSeed, boolean evaluate, List<Path> evalDatasets,
        Path evalLabels, int evalSamples, Path report, AccuracySettings accuracy) {

    public PipelineRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(output, "output");
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        evalDatasets = evalDatasets == null ? List.of() : List.copyOf(evalDatasets);
        preprocessing = preprocessing == null ? Preprocessing.DEFAULT : preprocessing;
        options = options == null ? QuantizationOptions.defaults() : options;
        accuracy = accuracy == null ? AccuracySettings.defaults() : accuracy;
    }

    /** A request with the default accuracy settings. */
    public PipelineRequest(Path model, List<Path> datasets, Path labels, Preprocessing preprocessing, Path output,
            QuantizationOptions options, int samples, Long sampleSeed, boolean evaluate, List<Path> evalDatasets,
            Path evalLabels, int evalSamples, Path report) {
        this(model, datasets, labels, preprocessing, output, options, samples, sampleSeed, evaluate, evalDatasets,
                evalLabels, evalSamples, report, AccuracySettings.defaults());
    }

    /** A run with default options: all samples, evaluation on the calibration dataset, report beside the output. */
    public static PipelineRequest of(Path model, List<Path> datasets, Path output) {
        return new PipelineRequest(model, datasets, null, Preprocessing.DEFAULT, output, QuantizationOptions.defaults(), 0,
                null, true, List.of(), null, 0, null);
    }

    /** The report file: as given, or the output's name with ".tflite" replaced by ".report.json". */
    public Path reportPath() {
        if (report != null) {
            return report;
        }
        String name = output.getFileName().toString();
        String stem = name.endsWith(".tflite") ? name.substring(0, name.length() - ".tflite".length()) : name;
        return output.resolveSibling(stem + ".report.json");
    }

    public PipelineRequest withLabels(Path l) {
        return new PipelineRequest(model, datasets, l, preprocessing, output, options, samples, sampleSeed, evaluate,
                evalDatasets, evalLabels, evalSamples, report, accuracy);
    }

    public PipelineRequest withPreprocessing(Preprocessing p) {
        return new PipelineRequest(model, datasets, labels, p, output, options, samples, sampleSeed, evaluate,
                evalDatasets, evalLabels, evalSamples, report, accuracy);
    }

    public PipelineRequest withOptions(QuantizationOptions o) {
        return new PipelineRequest(model, datasets, labels, preprocessing, output, o, samples, sampleSeed, evaluate,
                evalDatasets, evalLabels, evalSamples, report, accuracy);
    }

    public PipelineRequest withSamples(int n, Long seed) {
        return new PipelineRequest(model, datasets, labels, preprocessing, output, options, n, seed, evaluate,
                evalDatasets, evalLabels, evalSamples, report, accuracy);
    }

    public PipelineRequest withEvaluation(boolean on, List<Path> data, Path l, int n) {
        return new PipelineRequest(model, datasets, labels, preprocessing, output, options, samples, sampleSeed, on, data, l,
                n, report, accuracy);
    }

    public PipelineRequest withReport(Path r) {
        return new PipelineRequest(model, datasets, labels, preprocessing, output, options, samples, sampleSeed, evaluate,
                evalDatasets, evalLabels, evalSamples, r, accuracy);
    }

    public PipelineRequest withAccuracy(AccuracySettings a) {
        return new PipelineRequest(model, datasets, labels, preprocessing, output, options, samples, sampleSeed, evaluate,
                evalDatasets, evalLabels, evalSamples, report, a);
    }
}
