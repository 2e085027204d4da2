package io.quanta.eval;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleBlocks;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs a float model and its quantized version side by side over an evaluation set and gathers the
 * comparisons ({@link OutputError}, {@link ClassificationTally}, {@link LayerError}). This class is only the
 * loop: feeding, invoking, dequantizing; the measures are computed by those classes.
 */
public final class Evaluator {
    private final Subgraph floatGraph;
    private final Subgraph quantGraph;
    private final KernelRegistry floatKernels;
    private final KernelRegistry quantKernels;
    private final List<TensorPair> pairs;
    private final int threads;
    /**
     * Interpreter pairs (float, quantized) no worker is using: the first made at once (so that an unsupported op fails
     * in the constructor), and every worker's given back after a run.
     */
    private final Queue<Interpreter[]> idle = new ConcurrentLinkedQueue<>();

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
        this(
                floatGraph,
                floatKernels,
                quantGraph,
                quantKernels,
                TensorPairing.filter(floatGraph, quantGraph, pairs),
                1,
                new Interpreter[] {new Interpreter(floatGraph, floatKernels), new Interpreter(quantGraph, quantKernels)
                });
        if (floatGraph.outputs().length != quantGraph.outputs().length) {
            throw new IllegalArgumentException("the float model has " + floatGraph.outputs().length
                    + " outputs but the quantized one has " + quantGraph.outputs().length);
        }
    }

    private Evaluator(
            Subgraph floatGraph,
            KernelRegistry floatKernels,
            Subgraph quantGraph,
            KernelRegistry quantKernels,
            List<TensorPair> comparablePairs,
            int threads,
            Interpreter[] first) {
        this.floatGraph = floatGraph;
        this.quantGraph = quantGraph;
        this.floatKernels = floatKernels;
        this.quantKernels = quantKernels;
        this.pairs = comparablePairs;
        this.threads = threads;
        if (first != null) {
            idle.add(first);
        }
    }

    /**
     * This evaluator on {@code threads} worker threads (0: every processor the JVM sees). Samples go in fixed
     * blocks whose totals merge in sample order ({@link SampleBlocks}), so the result is the same, bit for bit,
     * for any number of threads.
     */
    public Evaluator withThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all processors) or more, got " + threads);
        }
        return new Evaluator(floatGraph, floatKernels, quantGraph, quantKernels, pairs, threads, idle.poll());
    }

    /**
     * Evaluates sample i of {@code floatSamples} against sample i of {@code quantSamples}: the same raw data
     * prepared for each model's inputs (they differ when the quantized model takes integers). Labels, if
     * any, come from {@code floatSamples}.
     */
    public EvaluationResult run(Dataset floatSamples, Dataset quantSamples, EvaluationProgress progress) {
        return result(floatSamples.size(), totals(floatSamples, quantSamples, progress));
    }

    /**
     * The totals behind {@link #run}, before they become a result: what a shard of an evaluation writes, to be
     * merged with the other shards' (samples in blocks of {@link SampleBlocks#BLOCK}, so a shard that starts at a
     * block boundary adds exactly what the same samples add in one pass).
     */
    public EvaluationTotals totals(Dataset floatSamples, Dataset quantSamples, EvaluationProgress progress) {
        int total = floatSamples.size();
        if (quantSamples.size() != total) {
            throw new DatasetException(quantSamples.describe() + ": " + quantSamples.size()
                    + " samples for the quantized model but " + total + " for the float model");
        }
        List<Worker> workers = new ArrayList<>();
        EvaluationTotals totals;
        try {
            totals = SampleBlocks.run(
                    total,
                    threads,
                    () -> {
                        Worker w = new Worker();
                        synchronized (workers) {
                            workers.add(w);
                        }
                        return w;
                    },
                    (w, from, to, done) -> {
                        EvaluationTotals part = emptyTotals();
                        for (int s = from; s < to; s++) {
                            w.evaluate(floatSamples, quantSamples, s, part);
                            done.run();
                        }
                        return part;
                    },
                    EvaluationTotals::merge,
                    progress::samplesDone);
        } finally {
            workers.forEach(w -> idle.add(new Interpreter[] {w.floatRun, w.quantRun}));
        }
        return totals == null ? emptyTotals() : totals;
    }

    /** Totals with nothing in them yet, for this model pair. */
    public EvaluationTotals emptyTotals() {
        double[] scales = new double[pairs.size()];
        for (int p = 0; p < scales.length; p++) {
            scales[p] = quantGraph.tensor(pairs.get(p).quantizedIndex()).quant().scale(0);
        }
        return new EvaluationTotals(floatGraph.outputs().length, scales);
    }

    /** One worker thread's interpreters, one per model, and its dequantization buffer. */
    private final class Worker {
        private final Interpreter floatRun;
        private final Interpreter quantRun;
        private float[] quantBuf = new float[0];

        Worker() {
            Interpreter[] first = idle.poll();
            this.floatRun = first != null ? first[0] : new Interpreter(floatGraph, floatKernels);
            this.quantRun = first != null ? first[1] : new Interpreter(quantGraph, quantKernels);
        }

        /** Runs sample s on both models and adds the comparisons to {@code part}. */
        void evaluate(Dataset floatSamples, Dataset quantSamples, int s, EvaluationTotals part) {
            floatRun.resetVariables();
            quantRun.resetVariables();
            SampleFeeder.feed(floatRun, floatSamples, s);
            SampleFeeder.feed(quantRun, quantSamples, s);
            floatRun.invoke();
            quantRun.invoke();
            boolean first = part.samples == 0;
            part.samples++;

            for (int o = 0; o < part.outputs.length; o++) {
                TensorValue f = floatRun.output(o);
                TensorValue q = quantRun.output(o);
                if (f.type != DataType.FLOAT32 || f.size() != q.size()) {
                    continue;
                }
                quantBuf = ensure(quantBuf, q.size());
                RealValues.into(q, quantGraph.outputTensor(o).quant(), quantBuf);
                part.outputs[o].add(f.f, quantBuf, f.size());
                if (o == 0) {
                    if (first) {
                        part.classes = f.size() > 1 || floatSamples.hasLabels() ? f.size() : -1;
                    }
                    if (part.classes > 0 && f.size() == part.classes) {
                        part.tally.add(
                                f.f, quantBuf, part.classes, floatSamples.hasLabels() ? floatSamples.label(s) : -1);
                    }
                }
            }

            for (int p = 0; p < pairs.size(); p++) {
                if (!part.comparable[p]) {
                    continue;
                }
                TensorPair pair = pairs.get(p);
                TensorValue f = floatRun.value(pair.floatIndex());
                TensorValue q = quantRun.value(pair.quantizedIndex());
                if (f.type != DataType.FLOAT32 || f.size() != q.size()) {
                    part.comparable[p] = false; // e.g. a fused op's internal layout differs: nothing to compare
                    continue;
                }
                quantBuf = ensure(quantBuf, q.size());
                RealValues.into(q, quantGraph.tensor(pair.quantizedIndex()).quant(), quantBuf);
                part.layers[p].add(f.f, quantBuf, f.size());
            }
        }
    }

    public EvaluationResult run(Dataset floatSamples, Dataset quantSamples) {
        return run(floatSamples, quantSamples, EvaluationProgress.NONE);
    }

    /** The result of totals over {@code total} samples. */
    public EvaluationResult result(int total, EvaluationTotals totals) {
        int classes = totals.classes;
        ClassificationTally tally = totals.tally;
        OutputError[] outErrors = totals.outputs;
        LayerError[] layerErrors = totals.layers;
        boolean[] layerComparable = totals.comparable;
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
