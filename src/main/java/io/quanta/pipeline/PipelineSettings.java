package io.quanta.pipeline;

import io.quanta.data.Preprocessing;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.recipes.Recipes;

/**
 * How one quantization run works, independent of where its files are (see {@link PipelineFiles}): a QuantizationJob
 * spec or the CLI's flags give these before any file has been fetched.
 *
 * @param preprocessing how raw samples become model inputs (colour, resizing, normalization)
 * @param options       quantization mode and options
 * @param samples       calibration samples to take; 0 takes them all
 * @param sampleSeed    null spreads the samples evenly over the set; a seed draws them at random
 * @param evaluate      whether to compare float and quantized after quantizing
 * @param evalSamples   evaluation samples to take, evenly spread; 0 takes them all
 * @param accuracy      calibration method, accuracy budget and search (defaults: the converter's recipe, no budget)
 * @param threads       worker threads for calibration and evaluation; 0 uses every processor the JVM sees (in a pod,
 *                      its CPU limit). Results are the same for any number.
 * @param recipes       cross-layer equalization and bias correction (default: neither)
 */
public record PipelineSettings(
        Preprocessing preprocessing,
        QuantizationOptions options,
        int samples,
        Long sampleSeed,
        boolean evaluate,
        int evalSamples,
        AccuracySettings accuracy,
        int threads,
        Recipes recipes) {

    /** Default options, all samples, evaluation on. */
    public static final PipelineSettings DEFAULT =
            new PipelineSettings(Preprocessing.DEFAULT, QuantizationOptions.defaults(), 0, null, true, 0);

    public PipelineSettings {
        preprocessing = preprocessing == null ? Preprocessing.DEFAULT : preprocessing;
        options = options == null ? QuantizationOptions.defaults() : options;
        accuracy = accuracy == null ? AccuracySettings.defaults() : accuracy;
        recipes = recipes == null ? Recipes.NONE : recipes;
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (every processor) or more, got " + threads);
        }
    }

    /** Settings on every processor, without recipes. */
    public PipelineSettings(
            Preprocessing preprocessing,
            QuantizationOptions options,
            int samples,
            Long sampleSeed,
            boolean evaluate,
            int evalSamples,
            AccuracySettings accuracy) {
        this(preprocessing, options, samples, sampleSeed, evaluate, evalSamples, accuracy, 0, null);
    }

    /** Settings with the default accuracy settings. */
    public PipelineSettings(
            Preprocessing preprocessing,
            QuantizationOptions options,
            int samples,
            Long sampleSeed,
            boolean evaluate,
            int evalSamples) {
        this(preprocessing, options, samples, sampleSeed, evaluate, evalSamples, null);
    }

    public PipelineSettings withPreprocessing(Preprocessing p) {
        return new PipelineSettings(p, options, samples, sampleSeed, evaluate, evalSamples, accuracy, threads, recipes);
    }

    public PipelineSettings withOptions(QuantizationOptions o) {
        return new PipelineSettings(
                preprocessing, o, samples, sampleSeed, evaluate, evalSamples, accuracy, threads, recipes);
    }

    public PipelineSettings withSamples(int n, Long seed) {
        return new PipelineSettings(preprocessing, options, n, seed, evaluate, evalSamples, accuracy, threads, recipes);
    }

    public PipelineSettings withEvaluation(boolean on, int n) {
        return new PipelineSettings(preprocessing, options, samples, sampleSeed, on, n, accuracy, threads, recipes);
    }

    public PipelineSettings withAccuracy(AccuracySettings a) {
        return new PipelineSettings(
                preprocessing, options, samples, sampleSeed, evaluate, evalSamples, a, threads, recipes);
    }

    public PipelineSettings withThreads(int n) {
        return new PipelineSettings(
                preprocessing, options, samples, sampleSeed, evaluate, evalSamples, accuracy, n, recipes);
    }

    public PipelineSettings withRecipes(Recipes r) {
        return new PipelineSettings(
                preprocessing, options, samples, sampleSeed, evaluate, evalSamples, accuracy, threads, r);
    }
}
