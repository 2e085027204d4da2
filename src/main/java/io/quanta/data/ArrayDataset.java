package io.quanta.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples held in whole arrays whose first axis indexes the samples, one array per model input (what
 * .npy, .npz and IDX files hold). Every array must have the same number of samples.
 */
public final class ArrayDataset implements Dataset {
    private final List<NdArray> arrays;
    private final List<String> sources;

    /**
     * @param arrays  one array per input, first axis = samples
     * @param sources where each array came from (file, or file and entry), for messages
     */
    public ArrayDataset(List<NdArray> arrays, List<String> sources) {
        if (arrays.isEmpty()) {
            throw new DatasetException("a dataset needs at least one input array");
        }
        if (arrays.size() != sources.size()) {
            throw new IllegalArgumentException("one source name per array");
        }
        int n = -1;
        for (int k = 0; k < arrays.size(); k++) {
            NdArray a = arrays.get(k);
            if (a.rank() == 0) {
                throw new DatasetException(
                        sources.get(k) + ": holds a scalar; expected an array whose first axis indexes samples");
            }
            if (NdArrays.count(a) == 0) {
                throw new DatasetException(
                        sources.get(k) + ": is empty (shape " + Arrays.toString(a.shape()) + ", no samples)");
            }
            if (n >= 0 && NdArrays.count(a) != n) {
                throw new DatasetException(sources.get(k) + ": has " + NdArrays.count(a) + " samples but "
                        + sources.get(0) + " has " + n + " (every input needs the same number of samples)");
            }
            n = NdArrays.count(a);
        }
        this.arrays = List.copyOf(arrays);
        this.sources = List.copyOf(sources);
    }

    @Override
    public int size() {
        return NdArrays.count(arrays.get(0));
    }

    @Override
    public int inputCount() {
        return arrays.size();
    }

    @Override
    public List<NdArray> sample(int index) {
        List<NdArray> out = new ArrayList<>(arrays.size());
        for (NdArray a : arrays) {
            out.add(NdArrays.item(a, index));
        }
        return out;
    }

    /** The whole array of input {@code k} (all samples). */
    public NdArray array(int k) {
        return arrays.get(k);
    }

    @Override
    public String sourceOf(int index) {
        return describe() + " sample " + index;
    }

    @Override
    public String describe() {
        return String.join(", ", sources);
    }
}
