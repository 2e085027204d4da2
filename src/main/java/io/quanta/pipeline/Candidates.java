package io.quanta.pipeline;

import io.quanta.data.Dataset;
import io.quanta.data.Preprocessing;
import io.quanta.eval.TrialEvaluator;
import io.quanta.eval.TrialFigures;
import io.quanta.graph.Model;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.quantize.OpReport;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.QuantizationResult;
import io.quanta.quantize.Quantizer;
import io.quanta.quantize.TensorRanges;

/**
 * Quantizes candidates of one float model and measures each on the same samples in Quanta's interpreter (bit-exact
 * with TFLite's int8 kernels): the float side runs once, the samples for the candidates' inputs are prepared once.
 */
final class Candidates {
    private final Model model;
    private final Dataset raw;
    private final Preprocessing preprocessing;
    private final TrialEvaluator evaluator;
    private Dataset quantSamples;

    /** @param threads worker threads for the float pass and each candidate's (0: every processor) */
    Candidates(Model model, Dataset raw, Preprocessing preprocessing, int threads) {
        this.model = model;
        this.raw = raw;
        this.preprocessing = preprocessing;
        this.evaluator = new TrialEvaluator(
                model.mainGraph(),
                FloatKernels.registry(),
                Pipeline.adaptForRun(raw, model.mainGraph(), preprocessing),
                threads);
    }

    TrialEvaluator evaluator() {
        return evaluator;
    }

    QuantizationResult quantize(TensorRanges ranges, QuantizationOptions options) {
        return Quantizer.quantize(model, ranges, options);
    }

    TrialFigures measure(QuantizationResult q) {
        if (quantSamples == null) {
            // Every candidate has the same interface types, so the samples prepared for one serve them all. They are
            // prepared again per candidate as they are read: holding them all would grow with the samples.
            quantSamples = Pipeline.adaptForRun(raw, q.model().mainGraph(), preprocessing);
        }
        return evaluator.measure(q.model().mainGraph(), Pipeline.quantizedKernels(), quantSamples);
    }

    static int nonInt8Ops(QuantizationResult q) {
        return (int) q.ops().stream()
                .filter(o -> o.outcome() == OpReport.Outcome.FLOAT_FALLBACK
                        || o.activations() == io.quanta.graph.DataType.INT16)
                .count();
    }
}
