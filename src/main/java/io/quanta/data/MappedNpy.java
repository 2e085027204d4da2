package io.quanta.data;

import io.quanta.data.NdArray.DType;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A .npy file mapped into memory ({@link Npy#map}), read one item along the first axis at a time: the file is never
 * copied whole onto the heap; the operating system pages it in as items are read and may drop the pages again
 * (they are clean, file-backed). Reading is safe from several threads at once.
 */
public final class MappedNpy {
    private final String source;
    private final DType dtype;
    private final int[] shape;
    private final ByteBuffer data;
    private final int itemSize;

    MappedNpy(String source, DType dtype, int[] shape, ByteBuffer data) {
        this.source = source;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        this.itemSize = shape.length == 0 ? 1 : (int) NdArray.elementCount(Arrays.copyOfRange(shape, 1, shape.length));
    }

    public String source() {
        return source;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Items along the first axis (a scalar holds one). */
    public int items() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Elements per item. */
    public int itemSize() {
        return itemSize;
    }

    /**
     * Copies elements {@code [index·itemSize + from, … + length)} into {@code into} (a float[], double[], int[],
     * long[] or byte[] as the type holds) at {@code at}. Absolute reads: threads may share this object.
     */
    public void read(int index, int from, int length, Object into, int at) {
        int start = Math.addExact(Math.multiplyExact(index, itemSize), from);
        switch (dtype) {
            case FLOAT32 -> data.asFloatBuffer().get(start, (float[]) into, at, length);
            case FLOAT64 -> data.asDoubleBuffer().get(start, (double[]) into, at, length);
            case INT32 -> data.asIntBuffer().get(start, (int[]) into, at, length);
            case INT64 -> data.asLongBuffer().get(start, (long[]) into, at, length);
            case UINT8, INT8, BOOL -> data.get(start, (byte[]) into, at, length);
        }
    }

    /** Item {@code index}, copied, with the first axis dropped. */
    public NdArray item(int index) {
        if (shape.length == 0 || index < 0 || index >= shape[0]) {
            throw new IndexOutOfBoundsException("item " + index + " of " + items());
        }
        NdArray a = NdArray.zeros(dtype, Arrays.copyOfRange(shape, 1, shape.length));
        read(index, 0, itemSize, a.data(), 0);
        return a;
    }

    /** The whole array, copied onto the heap. */
    public NdArray readAll() {
        NdArray a = NdArray.zeros(dtype, shape);
        read(0, 0, a.size(), a.data(), 0);
        return a;
    }
}
