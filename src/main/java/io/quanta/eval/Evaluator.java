package io.quanta.eval;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a float model and its quantized version side by side over an evaluation set and gathers the
 * comparisons ({@link OutputError}, {@link ClassificationTally}, {@link LayerError}). This class is only the
 * loop: feeding, invoking, dequantizing; the measures are computed by those classes.
 */
public final class Evaluator {
    private final Subgraph floatGraph;
    private final Subgraph quantGraph;
    private final Interpreter floatRun;
    private final Interpreter quantRun;
    private final List<TensorPair> pairs;

    /**
     * @param pairs tensors to compare layer by layer (see {@link TensorPairing}); pairs that cannot be
     *              compared are dropped
     */
    public Evaluator(
            Subgraph floatGraph,
            KernelRegistry floatKernels,
            Subgraph quantGraph,
            KernelRegistry quantKernels,
            List<TensorPair> pairs) {
        this.floatGraph = floatGraph;
        this.quantGraph = quantGraph;
        this.floatRun = new Interpreter(floatGraph, floatKernels);
        this.quantRun = new Interpreter(quantGraph, quantKernels);
        this.pairs = TensorPairing.filter(floatGraph, quantGraph, pairs);
        if (floatGraph.outputs().length != quantGraph.outputs().length) {
            throw new IllegalArgumentException("the float model has " + floatGraph.outputs().length
                    + " outputs but the quantized one has " + quantGraph.outputs().length);
        }
    }

    /**
     * Evaluates sample i of {@code floatSamples} against sample i of {@code quantSamples}: the same raw data
     * prepared for each model's inputs (they differ when the quantized model takes integers). Labels, if
     * any, come from {@code floatSamples}.
     */
    public EvaluationResult run(Dataset floatSamples, Dataset quantSamples, EvaluationProgress progress) {
        int total = floatSamples.size();
        if (quantSamples.size() != total) {
            throw new DatasetException(quantSamples.describe() + ": " + quantSamples.size()
                    + " samples for the quantized model but " + total + " for the float model");
        }
        int outputs = floatGraph.outputs().length;
        OutputError[] outErrors = new OutputError[outputs];
        for (int o = 0; o < outputs; o++) {
            outErrors[o] = new OutputError();
        }
        LayerError[] layerErrors = new LayerError[pairs.size()];
        for (int p = 0; p < pairs.size(); p++) {
            layerErrors[p] = new LayerError(
                    quantGraph.tensor(pairs.get(p).quantizedIndex()).quant().scale(0));
        }
        boolean[] layerComparable = new boolean[pairs.size()];
        java.util.Arrays.fill(layerComparable, true);
        ClassificationTally tally = new ClassificationTally();
        int classes = -1;
        float[] quantBuf = new float[0];

        for (int s = 0; s < total; s++) {
            floatRun.resetVariables();
            quantRun.resetVariables();
            SampleFeeder.feed(floatRun, floatSamples.sample(s), floatSamples.sourceOf(s));
            SampleFeeder.feed(quantRun, quantSamples.sample(s), quantSamples.sourceOf(s));
            floatRun.invoke();
            quantRun.invoke();

            for (int o = 0; o < outputs; o++) {
                TensorValue f = floatRun.output(o);
                TensorValue q = quantRun.output(o);
                if (f.type != DataType.FLOAT32 || f.size() != q.size()) {
                    continue;
                }
                quantBuf = ensure(quantBuf, q.size());
                RealValues.into(q, quantGraph.outputTensor(o).quant(), quantBuf);
                outErrors[o].add(f.f, quantBuf, f.size());
                if (o == 0) {
                    if (s == 0) {
                        classes = f.size() > 1 || floatSamples.hasLabels() ? f.size() : -1;
                    }
                    if (classes > 0 && f.size() == classes) {
                        tally.add(f.f, quantBuf, classes, floatSamples.hasLabels() ? floatSamples.label(s) : -1);
                    }
                }
            }

            for (int p = 0; p < pairs.size(); p++) {
                if (!layerComparable[p]) {
                    continue;
                }
                TensorPair pair = pairs.get(p);
                TensorValue f = floatRun.value(pair.floatIndex());
                TensorValue q = quantRun.value(pair.quantizedIndex());
                if (f.type != DataType.FLOAT32 || f.size() != q.size()) {
                    layerComparable[p] = false; // e.g. a fused op's internal layout differs: nothing to compare
                    continue;
                }
                quantBuf = ensure(quantBuf, q.size());
                RealValues.into(q, quantGraph.tensor(pair.quantizedIndex()).quant(), quantBuf);
                layerErrors[p].add(f.f, quantBuf, f.size());
            }
            progress.samplesDone(s + 1, total);
        }
        return result(total, classes, tally, outErrors, layerErrors, layerComparable);
    }

    public EvaluationResult run(Dataset floatSamples, Dataset quantSamples) {
        return run(floatSamples, quantSamples, EvaluationProgress.NONE);
    }

    private EvaluationResult result(
            int total,
            int classes,
            ClassificationTally tally,
            OutputError[] outErrors,
            LayerError[] layerErrors,
            boolean[] layerComparable) {
        EvaluationResult.Classification classification = null;
        if (classes > 0 && tally.samples() > 0) {
            boolean top5 = classes > 5;
            classification = new EvaluationResult.Classification(
                    classes,
                    tally.labelled(),
                    tally.agreement(),
                    tally.floatTop1(),
                    tally.quantizedTop1(),
                    top5 ? tally.floatTop5() : Double.NaN,
                    top5 ? tally.quantizedTop5() : Double.NaN);
        }
        List<EvaluationResult.OutputStats> outs = new ArrayList<>();
        for (int o = 0; o < outErrors.length; o++) {
            if (outErrors[o].count() > 0) {
                outs.add(new EvaluationResult.OutputStats(
                        o,
                        floatGraph.outputTensor(o).name(),
                        outErrors[o].maxAbsError(),
                        outErrors[o].meanAbsError(),
                        outErrors[o].sqnrDb()));
            }
        }
        List<EvaluationResult.LayerStats> layers = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            LayerError e = layerErrors[p];
            if (!layerComparable[p] || e.count() == 0) {
                continue;
            }
            TensorPair pair = pairs.get(p);
            Tensor t = quantGraph.tensor(pair.quantizedIndex());
            int op = producer(quantGraph, pair.quantizedIndex());
            layers.add(new EvaluationResult.LayerStats(
                    pair.quantizedIndex(),
                    pair.floatIndex(),
                    t.name(),
                    e.scale(),
                    e.meanAbsError(),
                    e.maxAbsError(),
                    e.rmse(),
                    e.rmseInSteps(),
                    op,
                    op < 0 ? null : quantGraph.operators().get(op).displayName(),
                    e.sqnrDb()));
        }
        // Execution order: by the op that writes each tensor (model inputs first).
        layers.sort(java.util.Comparator.comparingInt(EvaluationResult.LayerStats::op));
        return new EvaluationResult(total, classification, outs, layers);
    }

    /** The op writing tensor {@code t}, or -1 when none does (a model input). */
    private static int producer(Subgraph g, int t) {
        List<io.quanta.graph.Operator> ops = g.operators();
        for (int i = 0; i < ops.size(); i++) {
            for (int out : ops.get(i).outputs()) {
                if (out == t) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static float[] ensure(float[] buf, int n) {
        return buf.length >= n ? buf : new float[n];
    }
}
