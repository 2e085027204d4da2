package io.quanta.eval;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.NdArray;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares many quantized candidates of one float model on the same samples, as a search does: the float model
 * runs once, its outputs are kept, and each candidate then costs one pass of its own. Samples are held in memory.
 */
public final class TrialEvaluator {
    private final int outputs;
    private final List<float[][]> reference = new ArrayList<>();
    private final int[] labels;
    private final int classes;

    /** Runs the float model over {@code floatSamples} and keeps its outputs. */
    public TrialEvaluator(Subgraph floatGraph, KernelRegistry floatKernels, Dataset floatSamples) {
        Interpreter run = new Interpreter(floatGraph, floatKernels);
        outputs = floatGraph.outputs().length;
        int n = floatSamples.size();
        labels = new int[n];
        int cls = -1;
        for (int s = 0; s < n; s++) {
            run.resetVariables();
            SampleFeeder.feed(run, floatSamples.sample(s), floatSamples.sourceOf(s));
            run.invoke();
            float[][] out = new float[outputs][];
            for (int o = 0; o < outputs; o++) {
                TensorValue v = run.output(o);
                out[o] = v.type == DataType.FLOAT32 ? java.util.Arrays.copyOf(v.f, v.size()) : null;
            }
            reference.add(out);
            labels[s] = floatSamples.hasLabels() ? floatSamples.label(s) : -1;
            if (s == 0 && out[0] != null) {
                cls = out[0].length > 1 || floatSamples.hasLabels() ? out[0].length : -1;
            }
        }
        classes = cls;
    }

    public int samples() {
        return reference.size();
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

    /** Loads samples prepared for a candidate's inputs into memory, once for all candidates of that interface. */
    public static List<List<NdArray>> load(Dataset samples) {
        List<List<NdArray>> all = new ArrayList<>();
        for (int s = 0; s < samples.size(); s++) {
            all.add(samples.sample(s));
        }
        return all;
    }

    /** Runs one candidate over the samples (the same ones, prepared for its inputs) and compares its outputs. */
    public TrialFigures measure(Subgraph quantGraph, KernelRegistry kernels, List<List<NdArray>> quantSamples) {
        if (quantSamples.size() != reference.size()) {
            throw new DatasetException(quantSamples.size() + " samples for the candidate but " + reference.size()
                    + " for the float model");
        }
        Interpreter run = new Interpreter(quantGraph, kernels);
        OutputError error = new OutputError();
        ClassificationTally tally = new ClassificationTally();
        float[] buf = new float[0];
        for (int s = 0; s < reference.size(); s++) {
            run.resetVariables();
            SampleFeeder.feed(run, quantSamples.get(s), "sample " + s);
            run.invoke();
            float[][] ref = reference.get(s);
            for (int o = 0; o < outputs; o++) {
                TensorValue q = run.output(o);
                if (ref[o] == null || ref[o].length != q.size()) {
                    continue;
                }
                if (buf.length < q.size()) buf = new float[q.size()];
                RealValues.into(q, quantGraph.outputTensor(o).quant(), buf);
                error.add(ref[o], buf, ref[o].length);
                if (o == 0 && classes > 1 && ref[0].length == classes) {
                    tally.add(ref[0], buf, classes, labels[s]);
                }
            }
        }
        return new TrialFigures(
                reference.size(),
                tally.samples() == 0 ? Double.NaN : tally.agreement(),
                tally.labelled(),
                tally.floatTop1(),
                tally.quantizedTop1(),
                error.sqnrDb());
    }
}
