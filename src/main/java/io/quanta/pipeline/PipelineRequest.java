package io.quanta.pipeline;

import io.quanta.data.Preprocessing;
import io.quanta.quantize.QuantizationOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One quantization run, as asked for: its files and its settings, kept apart so that a caller who knows the
 * settings before the files (a QuantizationJob spec, whose locations are fetched later) never invents paths.
 * The accessors below read through to both parts.
 */
public record PipelineRequest(PipelineFiles files, PipelineSettings settings) {

    public PipelineRequest {
        Objects.requireNonNull(files, "files");
        settings = settings == null ? PipelineSettings.DEFAULT : settings;
    }

    /** All parts at once; see {@link PipelineFiles} and {@link PipelineSettings} for their meaning. */
    public PipelineRequest(
            Path model,
            List<Path> datasets,
            Path labels,
            Preprocessing preprocessing,
            Path output,
            QuantizationOptions options,
            int samples,
            Long sampleSeed,
            boolean evaluate,
            List<Path> evalDatasets,
            Path evalLabels,
            int evalSamples,
            Path report) {
        this(
                new PipelineFiles(model, datasets, labels, output, evalDatasets, evalLabels, report),
                new PipelineSettings(preprocessing, options, samples, sampleSeed, evaluate, evalSamples));
    }

    /** A run with default options: all samples, evaluation on the calibration dataset, report beside the output. */
    public static PipelineRequest of(Path model, List<Path> datasets, Path output) {
        return new PipelineRequest(
                new PipelineFiles(model, datasets, null, output, List.of(), null, null), PipelineSettings.DEFAULT);
    }

    public Path model() {
        return files.model();
    }

    public List<Path> datasets() {
        return files.datasets();
    }

    public Path labels() {
        return files.labels();
    }

    public Path output() {
        return files.output();
    }

    public List<Path> evalDatasets() {
        return files.evalDatasets();
    }

    public Path evalLabels() {
        return files.evalLabels();
    }

    public Path report() {
        return files.report();
    }

    public Path reportPath() {
        return files.reportPath();
    }

    public Preprocessing preprocessing() {
        return settings.preprocessing();
    }

    public QuantizationOptions options() {
        return settings.options();
    }

    public int samples() {
        return settings.samples();
    }

    public Long sampleSeed() {
        return settings.sampleSeed();
    }

    public boolean evaluate() {
        return settings.evaluate();
    }

    public int evalSamples() {
        return settings.evalSamples();
    }

    public AccuracySettings accuracy() {
        return settings.accuracy();
    }

    public int threads() {
        return settings.threads();
    }

    public io.quanta.quantize.recipes.Recipes recipes() {
        return settings.recipes();
    }

    /** All parts at once, with accuracy settings. */
    public PipelineRequest(
            Path model,
            List<Path> datasets,
            Path labels,
            Preprocessing preprocessing,
            Path output,
            QuantizationOptions options,
            int samples,
            Long sampleSeed,
            boolean evaluate,
            List<Path> evalDatasets,
            Path evalLabels,
            int evalSamples,
            Path report,
            AccuracySettings accuracy) {
        this(
                new PipelineFiles(model, datasets, labels, output, evalDatasets, evalLabels, report),
                new PipelineSettings(preprocessing, options, samples, sampleSeed, evaluate, evalSamples, accuracy));
    }

    public PipelineRequest withAccuracy(AccuracySettings a) {
        return new PipelineRequest(files, settings.withAccuracy(a));
    }

    public PipelineRequest withLabels(Path l) {
        PipelineFiles f = files;
        return new PipelineRequest(
                new PipelineFiles(f.model(), f.datasets(), l, f.output(), f.evalDatasets(), f.evalLabels(), f.report()),
                settings);
    }

    public PipelineRequest withPreprocessing(Preprocessing p) {
        return new PipelineRequest(files, settings.withPreprocessing(p));
    }

    public PipelineRequest withOptions(QuantizationOptions o) {
        return new PipelineRequest(files, settings.withOptions(o));
    }

    public PipelineRequest withSamples(int n, Long seed) {
        return new PipelineRequest(files, settings.withSamples(n, seed));
    }

    public PipelineRequest withEvaluation(boolean on, List<Path> data, Path l, int n) {
        PipelineFiles f = files;
        return new PipelineRequest(
                new PipelineFiles(f.model(), f.datasets(), f.labels(), f.output(), data, l, f.report()),
                settings.withEvaluation(on, n));
    }

    public PipelineRequest withThreads(int n) {
        return new PipelineRequest(files, settings.withThreads(n));
    }

    public PipelineRequest withOutput(Path o) {
        PipelineFiles f = files;
        return new PipelineRequest(
                new PipelineFiles(f.model(), f.datasets(), f.labels(), o, f.evalDatasets(), f.evalLabels(), f.report()),
                settings);
    }

    public PipelineRequest withReport(Path r) {
        PipelineFiles f = files;
        return new PipelineRequest(
                new PipelineFiles(f.model(), f.datasets(), f.labels(), f.output(), f.evalDatasets(), f.evalLabels(), r),
                settings);
    }
}
