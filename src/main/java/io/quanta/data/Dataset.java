package io.quanta.data;

import java.util.List;

/**
 * Samples for calibration or evaluation. Sample i holds one array per model input, in input order; a
 * dataset read from files gives each sample its stored shape and type, and {@link ModelInputAdapter}
 * turns it into exactly what a model's inputs expect. Labels, when present, are class indices.
 */
public interface Dataset {
    /** Number of samples. */
    int size();

    /** Number of arrays per sample. */
    int inputCount();

    /** Sample {@code index} (0-based): one array per input. Callers may keep and mutate the arrays. */
    List<NdArray> sample(int index);

    /**
     * Input {@code k}'s array as every sample holds it, when all share one type and shape and {@link #readInto} can
     * copy it straight into a caller's buffer: its type and shape (those of {@code sample(i).get(k)}); null when
     * samples must be read with {@link #sample}. Calibration and evaluation feed a model's inputs this way without an
     * array per sample in between.
     */
    default NdArray.Item directItem(int k) {
        return null;
    }

    /**
     * Copies input {@code k} of sample {@code index} into {@code into} (a float[], double[], int[], long[] or byte[] as
     * {@link #directItem} says, with room for it), as {@code sample(index).get(k)} would hold it. Only when
     * {@link #directItem}{@code (k)} is not null.
     */
    default void readInto(int index, int k, Object into) {
        throw new UnsupportedOperationException(describe() + ": samples are read whole");
    }

    /**
     * Whether the samples are decoded image files, each at its own size (resized by default, see {@link Resize}),
     * rather than arrays stored at one shape.
     */
    default boolean imageFiles() {
        return false;
    }

    default boolean hasLabels() {
        return false;
    }

    /** The class label of sample {@code index}; fails when {@link #hasLabels()} is false. */
    default int label(int index) {
        throw new DatasetException(describe() + ": has no labels");
    }

    /** Where sample {@code index} comes from, for error messages (file and item). */
    default String sourceOf(int index) {
        return describe() + " item " + index;
    }

    /**
     * For decoded image files ({@link #imageFiles()}): sample {@code index}'s image as {@link Images#decode} gives
     * it, read from its header alone; null for other datasets.
     */
    default Images.ImageInfo imageInfo(int index) {
        return null;
    }

    /**
     * What reading the files does to the samples before {@link ModelInputAdapter} (WAV: resampling, mixing to
     * mono, windows and padding), in words; null when the samples are the files' values as stored.
     */
    default String reading() {
        return null;
    }

    /** The files this dataset reads, for messages. */
    String describe();

    /** This dataset with labels attached; their count must equal {@link #size()}. */
    default Dataset withLabels(Labels labels) {
        return new LabeledDataset(this, labels);
    }

    /** The samples at {@code indices}, in that order (see {@link Sampling}). */
    default Dataset select(int[] indices) {
        return new SubsetDataset(this, indices);
    }
}
