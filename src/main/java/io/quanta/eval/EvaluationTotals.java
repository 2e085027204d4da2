package io.quanta.eval;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What evaluating some samples gathered, before it becomes an {@link EvaluationResult}: per output its
 * {@link OutputError}, per compared tensor its {@link LayerError} and whether it could be compared, the
 * {@link ClassificationTally}, and the number of class scores the first sample showed. Parts of one evaluation
 * (blocks of samples, or shards run apart) {@link #merge} into the whole; merged in sample order, the result is the
 * same whichever way the fixed blocks of samples were split among threads or shards (sums merge exactly, see
 * {@link ErrorSums}). Serializes losslessly to JSON ({@link #toJson}), so shards in other pods can be merged.
 */
public final class EvaluationTotals {
    final OutputError[] outputs;
    final LayerError[] layers;
    final boolean[] comparable;
    final ClassificationTally tally;
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
        this.tally = new ClassificationTally();
    }

    private EvaluationTotals(OutputError[] outputs, LayerError[] layers, boolean[] comparable, ClassificationTally t) {
        this.outputs = outputs;
        this.layers = layers;
        this.comparable = comparable;
        this.tally = t;
    }

    /**
     * Adds the totals of the samples that come after these ones. A tensor is comparable only if it was in both;
     * the class count stays that of the first sample, and a part whose outputs had another size (possible only
     * with dynamic shapes) adds no classification counts.
     */
    public EvaluationTotals merge(EvaluationTotals later) {
        if (later.outputs.length != outputs.length || later.layers.length != layers.length) {
            throw new IllegalArgumentException("cannot merge evaluation totals of different model pairs: "
                    + outputs.length + " outputs and " + layers.length + " compared tensors against "
                    + later.outputs.length + " and " + later.layers.length);
        }
        for (int p = 0; p < layers.length; p++) {
            if (Double.compare(layers[p].scale(), later.layers[p].scale()) != 0) {
                throw new IllegalArgumentException("cannot merge evaluation totals of different quantized models: "
                        + "compared tensor " + p + " has scale " + layers[p].scale() + " and "
                        + later.layers[p].scale());
            }
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

    // ---------------------------------------------------------------- JSON

    /** Bumped when the JSON layout changes. */
    public static final int FORMAT_VERSION = 1;

    record Json(
            int formatVersion,
            int samples,
            int classes,
            ClassificationTally.State tally,
            List<ErrorSums.State> outputs,
            List<LayerJson> layers) {}

    record LayerJson(String scale, boolean comparable, ErrorSums.State sums) {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Lossless JSON: counts as integers, doubles as hex, sums as exact decimals. */
    public String toJson() {
        List<ErrorSums.State> outs = new ArrayList<>();
        for (OutputError o : outputs) {
            outs.add(o.sums.state());
        }
        List<LayerJson> ls = new ArrayList<>();
        for (int p = 0; p < layers.length; p++) {
            ls.add(new LayerJson(Double.toHexString(layers[p].scale()), comparable[p], layers[p].sums.state()));
        }
        try {
            return MAPPER.writeValueAsString(new Json(FORMAT_VERSION, samples, classes, tally.state(), outs, ls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The totals {@link #toJson} wrote; an IllegalArgumentException saying what is wrong otherwise. */
    public static EvaluationTotals fromJson(String json) {
        Json j;
        try {
            j = MAPPER.readValue(json, Json.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not evaluation tallies JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        if (j == null) {
            throw new IllegalArgumentException("not evaluation tallies JSON (empty)");
        }
        if (j.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "evaluation tallies format " + j.formatVersion() + ", this version reads " + FORMAT_VERSION);
        }
        if (j.tally() == null || j.outputs() == null || j.layers() == null || j.samples() < 0) {
            throw new IllegalArgumentException("evaluation tallies lack samples, tally, outputs or layers");
        }
        OutputError[] outs = new OutputError[j.outputs().size()];
        for (int o = 0; o < outs.length; o++) {
            outs[o] = new OutputError(ErrorSums.of(required(j.outputs().get(o))));
        }
        LayerError[] ls = new LayerError[j.layers().size()];
        boolean[] comparable = new boolean[ls.length];
        for (int p = 0; p < ls.length; p++) {
            LayerJson l = j.layers().get(p);
            if (l == null) {
                throw new IllegalArgumentException("evaluation tallies: layer " + p + " is empty");
            }
            ls[p] = new LayerError(ErrorSums.parseDouble(l.scale()), ErrorSums.of(required(l.sums())));
            comparable[p] = l.comparable();
        }
        EvaluationTotals t = new EvaluationTotals(outs, ls, comparable, ClassificationTally.of(j.tally()));
        t.samples = j.samples();
        t.classes = j.classes();
        return t;
    }

    private static ErrorSums.State required(ErrorSums.State s) {
        if (s == null) {
            throw new IllegalArgumentException("evaluation tallies: an error sum is empty");
        }
        return s;
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "unreadable";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Equal when the JSON is: every count, flag, extreme and exact sum. */
    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationTotals t && t.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }
}
