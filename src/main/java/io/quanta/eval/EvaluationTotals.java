package io.quanta.eval;

/**
 * What evaluating some samples gathered, before it becomes an {@link EvaluationResult}: per output its
 * {@link OutputError}, per compared tensor its {@link LayerError} and whether it could be compared, the
 * {@link ClassificationTally}, and the number of class scores the first sample showed. Parts of one evaluation
 * (blocks of samples, or shards run apart) {@link #merge} into the whole; merged in sample order, the floating-point
 * sums come out the same whichever way the samples were split among threads.
 */
public final class EvaluationTotals {
    final OutputError[] outputs;
    final LayerError[] layers;
    final boolean[] comparable;
    final ClassificationTally tally = new ClassificationTally();
    int samples;
    /** Class scores per sample as the first sample showed them (-1: output 0 holds no class scores). */
    int classes = -1;

    /** Empty totals for a model with {@code outputs} outputs and these compared tensors' scales. */
    public EvaluationTotals(int outputs, double[] layerScales) {
        this.outputs = new OutputError[outputs];
        for (int o = 0; o < outputs; o++) {
            this.outputs[o] = new OutputError();
        }
        this.layers = new LayerError[layerScales.length];
        this.comparable = new boolean[layerScales.length];
        for (int p = 0; p < layerScales.length; p++) {
            layers[p] = new LayerError(layerScales[p]);
            comparable[p] = true;
        }
    }

    /**
     * Adds the totals of the samples that come after these ones. A tensor is comparable only if it was in both;
     * the class count stays that of the first sample, and a part whose outputs had another size (possible only
     * with dynamic shapes) adds no classification counts.
     */
    public EvaluationTotals merge(EvaluationTotals later) {
        if (later.outputs.length != outputs.length || later.layers.length != layers.length) {
            throw new IllegalArgumentException("cannot merge evaluation totals of different model pairs");
        }
        if (later.samples == 0) {
            return this;
        }
        if (samples == 0) {
            classes = later.classes;
        }
        for (int o = 0; o < outputs.length; o++) {
            outputs[o].merge(later.outputs[o]);
        }
        for (int p = 0; p < layers.length; p++) {
            comparable[p] &= later.comparable[p];
            layers[p].merge(later.layers[p]);
        }
        if (later.classes == classes) {
            tally.merge(later.tally);
        }
        samples += later.samples;
        return this;
    }

    public int samples() {
        return samples;
    }
}
