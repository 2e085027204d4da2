package io.quanta.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Samples held in whole arrays whose first axis indexes the samples, one array per model input (what
 * .npy, .npz and IDX files hold): arrays on the heap, or .npy files mapped ({@link MappedNpy}), whose samples are
 * copied out one at a time. Every array must have the same number of samples.
 */
public final class ArrayDataset implements Dataset {
    /** One input's array: its shape and type, how to copy out one item (whole, or into a buffer), and all of it. */
    private record Items(
            int[] shape, NdArray.DType dtype, IntFunction<NdArray> item, ItemCopy copy, Supplier<NdArray> whole) {
        static Items of(NdArray a) {
            return new Items(
                    a.shape(),
                    a.dtype(),
                    i -> NdArrays.item(a, i),
                    (i, into) -> {
                        int len = itemSize(a.shape());
                        System.arraycopy(a.data(), Math.multiplyExact(i, len), into, 0, len);
                    },
                    () -> a);
        }

        static Items of(MappedNpy m) {
            return new Items(
                    m.shape(), m.dtype(), m::item, (i, into) -> m.read(i, 0, m.itemSize(), into, 0), m::readAll);
        }

        private static int itemSize(int[] shape) {
            return (int) NdArray.elementCount(Arrays.copyOfRange(shape, 1, shape.length));
        }
    }

    @FunctionalInterface
    private interface ItemCopy {
        void copy(int index, Object into);
    }

    private final List<Items> arrays;
    private final List<String> sources;

    /**
     * @param arrays  one array per input, first axis = samples
     * @param sources where each array came from (file, or file and entry), for messages
     */
    public ArrayDataset(List<NdArray> arrays, List<String> sources) {
        this(arrays.stream().map(Items::of).toArray(Items[]::new), sources);
    }

    /** Arrays on the heap ({@link NdArray}) or mapped ({@link MappedNpy}), one per input, first axis = samples. */
    public static ArrayDataset of(List<?> arrays, List<String> sources) {
        List<Items> items = new ArrayList<>();
        for (Object a : arrays) {
            items.add(a instanceof MappedNpy m ? Items.of(m) : Items.of((NdArray) a));
        }
        return new ArrayDataset(items.toArray(Items[]::new), sources);
    }

    private ArrayDataset(Items[] items, List<String> sources) {
        List<Items> arrays = List.of(items);
        if (arrays.isEmpty()) {
            throw new DatasetException("a dataset needs at least one input array");
        }
        if (arrays.size() != sources.size()) {
            throw new IllegalArgumentException("one source name per array");
        }
        int n = -1;
        for (int k = 0; k < arrays.size(); k++) {
            int[] shape = arrays.get(k).shape();
            if (shape.length == 0) {
                throw new DatasetException(
                        sources.get(k) + ": holds a scalar; expected an array whose first axis indexes samples");
            }
            if (shape[0] == 0) {
                throw new DatasetException(
                        sources.get(k) + ": is empty (shape " + Arrays.toString(shape) + ", no samples)");
            }
            if (n >= 0 && shape[0] != n) {
                throw new DatasetException(sources.get(k) + ": has " + shape[0] + " samples but " + sources.get(0)
                        + " has " + n + " (every input needs the same number of samples)");
            }
            n = shape[0];
        }
        this.arrays = List.copyOf(arrays);
        this.sources = List.copyOf(sources);
    }

    @Override
    public int size() {
        return arrays.get(0).shape()[0];
    }

    @Override
    public int inputCount() {
        return arrays.size();
    }

    @Override
    public List<NdArray> sample(int index) {
        List<NdArray> out = new ArrayList<>(arrays.size());
        for (Items a : arrays) {
            out.add(a.item().apply(index));
        }
        return out;
    }

    @Override
    public NdArray.Item directItem(int k) {
        Items a = arrays.get(k);
        return new NdArray.Item(a.dtype(), Arrays.copyOfRange(a.shape(), 1, a.shape().length));
    }

    @Override
    public void readInto(int index, int k, Object into) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("item " + index + " of " + size());
        }
        arrays.get(k).copy().copy(index, into);
    }

    /** The whole array of input {@code k} (all samples; a mapped file is read onto the heap). */
    public NdArray array(int k) {
        return arrays.get(k).whole().get();
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
