package io.quanta.data;

import java.util.List;

/** A view of some samples of another dataset, in a given order. */
final class SubsetDataset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    SubsetDataset(Dataset base, int[] indices) {
        for (int k : indices) {
            if (k < 0 || k >= base.size()) {
                throw new DatasetException(
                        base.describe() + ": sample index " + k + " out of range [0, " + base.size() + ")");
            }
        }
        this.base = base;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int inputCount() {
        return base.inputCount();
    }

    @Override
    public List<NdArray> sample(int index) {
        return base.sample(indices[index]);
    }

    @Override
    public NdArray.Item directItem(int k) {
        return base.directItem(k);
    }

    @Override
    public void readInto(int index, int k, Object into) {
        base.readInto(indices[index], k, into);
    }

    @Override
    public boolean imageFiles() {
        return base.imageFiles();
    }

    @Override
    public boolean hasLabels() {
        return base.hasLabels();
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public String sourceOf(int index) {
        return base.sourceOf(indices[index]);
    }

    @Override
    public Images.ImageInfo imageInfo(int index) {
        return base.imageInfo(indices[index]);
    }

    @Override
    public String reading() {
        return base.reading();
    }

    @Override
    public String describe() {
        return base.describe();
    }
}
