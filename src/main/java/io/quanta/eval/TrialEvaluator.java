package io.quanta.eval;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleBlocks;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * Compares many quantized candidates of one float model on the same samples, as a search does: the float model
 * runs once and its outputs are kept (only the outputs: the samples themselves are read again for each candidate),
 * and each candidate then costs one pass of its own. Both run on {@code threads} worker threads, in blocks merged in
 * sample order ({@link SampleBlocks}), so the figures do not depend on the thread count.
 */
public final class TrialEvaluator {
    private final int outputs;
    private final float[][][] reference;
    private final int[] labels;
    private final int classes;
    private final int threads;

    /** Runs the float model over {@code floatSamples} on one thread and keeps its outputs. */
    public TrialEvaluator(Subgraph floatGraph, KernelRegistry floatKernels, Dataset floatSamples) {
        this(floatGraph, floatKernels, floatSamples, 1);
    }

    /** Runs the float model over {@code floatSamples} on {@code threads} threads (0: all) and keeps its outputs. */
    public TrialEvaluator(Subgraph floatGraph, KernelRegistry floatKernels, Dataset floatSamples, int threads) {
        this.threads = threads;
        outputs = floatGraph.outputs().length;
        int n = floatSamples.size();
        reference = new float[n][][];
        labels = new int[n];
        SampleBlocks.<Interpreter, Void>run(
                n,
                threads,
                () -> new Interpreter(floatGraph, floatKernels),
                (run, from, to, done) -> {
                    for (int s = from; s < to; s++) {
                        run.resetVariables();
                        SampleFeeder.feed(run, floatSamples.sample(s), floatSamples.sourceOf(s));
                        run.invoke();
                        float[][] out = new float[outputs][];
                        for (int o = 0; o < outputs; o++) {
                            TensorValue v = run.output(o);
                            out[o] = v.type == DataType.FLOAT32 ? Arrays.copyOf(v.f, v.size()) : null;
                        }
                        reference[s] = out;
                        labels[s] = floatSamples.hasLabels() ? floatSamples.label(s) : -1;
                    }
                    return null;
                },
                (a, b) -> null,
                null);
        float[] first = n > 0 ? reference[0][0] : null;
        classes = first == null ? -1 : first.length > 1 || floatSamples.hasLabels() ? first.length : -1;
    }

    public int samples() {
        return reference.length;
    }

    /** True when output 0 holds class scores, so that agreement and top-1 mean something. */
    public boolean hasClassScores() {
        return classes > 1;
    }

    public boolean hasLabels() {
        for (int l : labels) {
            if (l >= 0) return true;
        }
        return false;
    }

    /** What one block of samples gathered for a candidate; merged in sample order. */
    private record Part(OutputError error, ClassificationTally tally) {
        Part merge(Part later) {
            error.merge(later.error);
            tally.merge(later.tally);
            return this;
        }
    }

    /** Runs one candidate over the samples (the same ones, prepared for its inputs) and compares its outputs. */
    public TrialFigures measure(Subgraph quantGraph, KernelRegistry kernels, Dataset quantSamples) {
        if (quantSamples.size() != reference.length) {
            throw new DatasetException(quantSamples.size() + " samples for the candidate but " + reference.length
                    + " for the float model");
        }
        Part total = SampleBlocks.run(
                reference.length,
                threads,
                () -> new Interpreter(quantGraph, kernels),
                (run, from, to, done) -> {
                    Part part = new Part(new OutputError(), new ClassificationTally());
                    float[] buf = new float[0];
                    for (int s = from; s < to; s++) {
                        run.resetVariables();
                        SampleFeeder.feed(run, quantSamples.sample(s), quantSamples.sourceOf(s));
                        run.invoke();
                        float[][] ref = reference[s];
                        for (int o = 0; o < outputs; o++) {
                            TensorValue q = run.output(o);
                            if (ref[o] == null || ref[o].length != q.size()) {
                                continue;
                            }
                            if (buf.length < q.size()) buf = new float[q.size()];
                            RealValues.into(q, quantGraph.outputTensor(o).quant(), buf);
                            part.error().add(ref[o], buf, ref[o].length);
                            if (o == 0 && classes > 1 && ref[0].length == classes) {
                                part.tally().add(ref[0], buf, classes, labels[s]);
                            }
                        }
                    }
                    return part;
                },
                Part::merge,
                null);
        if (total == null) {
            total = new Part(new OutputError(), new ClassificationTally());
        }
        ClassificationTally tally = total.tally();
        return new TrialFigures(
                reference.length,
                tally.samples() == 0 ? Double.NaN : tally.agreement(),
                tally.labelled(),
                tally.floatTop1(),
                tally.quantizedTop1(),
                total.error().sqnrDb());
    }
}
