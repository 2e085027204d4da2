package io.quanta.data;

/**
 * Which samples may be resized (bilinear) and colour-converted to the model input's height, width and channels.
 * A unit dimension added or dropped ([28, 28] for [1, 28, 28, 1]) is never a resize.
 */
public enum Resize {
    /**
     * Image files are resized: they come at any size, as documented. Arrays (.npy, .npz, IDX) must already have the
     * input's shape: an array of other images is far more often the wrong dataset than a wish to resize it.
     */
    IMAGES,
    /** Arrays too ({@code --resize}, {@code preprocessing.resize: true}). */
    ALL,
    /** Nothing ({@code --no-resize}, {@code preprocessing.resize: false}): another height or width is refused. */
    OFF;

    /** Whether a sample of this kind may change height and width (or, for arrays, channels). */
    public boolean allows(boolean imageFiles) {
        return this == ALL || (this == IMAGES && imageFiles);
    }
}
