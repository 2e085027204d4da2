package io.quanta.data;

import java.util.List;

/** A dataset with labels attached from a separate source (an IDX label file, a text file, a CSV). */
final class LabeledDataset implements Dataset {
    private final Dataset base;
    private final Labels labels;

    LabeledDataset(Dataset base, Labels labels) {
        if (labels.size() != base.size()) {
            throw new DatasetException(labels.source() + ": has " + labels.size() + " labels but " + base.describe()
                    + " has " + base.size() + " samples");
        }
        this.base = base;
        this.labels = labels;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public int inputCount() {
        return base.inputCount();
    }

    @Override
    public List<NdArray> sample(int index) {
        return base.sample(index);
    }

    @Override
    public NdArray.Item directItem(int k) {
        return base.directItem(k);
    }

    @Override
    public void readInto(int index, int k, Object into) {
        base.readInto(index, k, into);
    }

    @Override
    public boolean imageFiles() {
        return base.imageFiles();
    }

    @Override
    public boolean hasLabels() {
        return true;
    }

    @Override
    public int label(int index) {
        return labels.get(index);
    }

    @Override
    public String sourceOf(int index) {
        return base.sourceOf(index);
    }

    @Override
    public Images.ImageInfo imageInfo(int index) {
        return base.imageInfo(index);
    }

    @Override
    public String reading() {
        return base.reading();
    }

    @Override
    public String describe() {
        return base.describe() + " with labels " + labels.source();
    }
}
