package io.quanta.data;

import io.quanta.graph.DataType;
import io.quanta.graph.Shapes;
import java.util.Arrays;

/**
 * A dense row-major array read from a dataset: its element type, shape, and exactly one primitive array
 * holding the elements, laid out like a run-time tensor value ({@code f} float32, {@code i} int32,
 * {@code b} int8/uint8/bool, {@code l} int64, {@code s} int16). Arrays are exactly {@link #size()} long.
 */
public final class NdArray {
    public final DataType type;
    private final int[] shape;
    public final float[] f;
    public final int[] i;
    public final byte[] b;
    public final long[] l;
    public final short[] s;

    private NdArray(DataType type, int[] shape, float[] f, int[] i, byte[] b, long[] l, short[] s) {
        this.type = type;
        this.shape = shape.clone();
        this.f = f;
        this.i = i;
        this.b = b;
        this.l = l;
        this.s = s;
        int n = Shapes.size(shape);
        int have = f != null ? f.length : i != null ? i.length : b != null ? b.length : l != null ? l.length : s.length;
        if (have != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + have);
        }
    }

    /** A zero-filled array. Supported types: float32, int32, int8, uint8, bool, int64, int16. */
    public static NdArray zeros(DataType type, int[] shape) {
        int n = Shapes.size(shape);
        return switch (type) {
            case FLOAT32 -> new NdArray(type, shape, new float[n], null, null, null, null);
            case INT32 -> new NdArray(type, shape, null, new int[n], null, null, null);
            case INT8, UINT8, BOOL -> new NdArray(type, shape, null, null, new byte[n], null, null);
            case INT64 -> new NdArray(type, shape, null, null, null, new long[n], null);
            case INT16 -> new NdArray(type, shape, null, null, null, null, new short[n]);
            default -> throw new IllegalArgumentException("arrays of type " + type + " are not supported");
        };
    }

    public static NdArray ofFloats(int[] shape, float[] data) {
        return new NdArray(DataType.FLOAT32, shape, data, null, null, null, null);
    }

    public static NdArray ofInts(int[] shape, int[] data) {
        return new NdArray(DataType.INT32, shape, null, data, null, null, null);
    }

    /** Bytes as int8, uint8 or bool. */
    public static NdArray ofBytes(DataType type, int[] shape, byte[] data) {
        if (type != DataType.INT8 && type != DataType.UINT8 && type != DataType.BOOL) {
            throw new IllegalArgumentException("byte storage holds int8, uint8 or bool, not " + type);
        }
        return new NdArray(type, shape, null, null, data, null, null);
    }

    public static NdArray ofLongs(int[] shape, long[] data) {
        return new NdArray(DataType.INT64, shape, null, null, null, data, null);
    }

    public static NdArray ofShorts(int[] shape, short[] data) {
        return new NdArray(DataType.INT16, shape, null, null, null, null, data);
    }

    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int d) { return shape[d]; }
    public int size() { return Shapes.size(shape); }

    /** Element k as a double (uint8 read unsigned). */
    public double get(int k) {
        return switch (type) {
            case FLOAT32 -> f[k];
            case INT32 -> i[k];
            case UINT8 -> b[k] & 0xff;
            case INT8, BOOL -> b[k];
            case INT64 -> l[k];
            case INT16 -> s[k];
            default -> throw new IllegalStateException(type.name());
        };
    }

    /** Sets element k from a double that the caller has already rounded and range-checked for integer types. */
    public void set(int k, double v) {
        switch (type) {
            case FLOAT32 -> f[k] = (float) v;
            case INT32 -> i[k] = (int) v;
            case INT8, UINT8, BOOL -> b[k] = (byte) (long) v;
            case INT64 -> l[k] = (long) v;
            case INT16 -> s[k] = (short) v;
            default -> throw new IllegalStateException(type.name());
        }
    }

    /** The same elements viewed with another shape of equal element count (storage shared). */
    public NdArray reshape(int[] newShape) {
        if (Shapes.elementCount(newShape) != size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new NdArray(type, newShape, f, i, b, l, s);
    }

    /** Number of items along the first axis (the samples of a dataset array). */
    public int count() {
        if (shape.length == 0) {
            throw new IllegalStateException("a scalar has no sample axis");
        }
        return shape[0];
    }

    /** Item {@code index} along the first axis, copied, with that axis dropped. */
    public NdArray item(int index) {
        int n = count();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("item " + index + " of " + n);
        }
        int[] itemShape = Arrays.copyOfRange(shape, 1, shape.length);
        int len = Shapes.size(itemShape);
        int from = index * len;
        return switch (type) {
            case FLOAT32 -> new NdArray(type, itemShape, Arrays.copyOfRange(f, from, from + len), null, null, null, null);
            case INT32 -> new NdArray(type, itemShape, null, Arrays.copyOfRange(i, from, from + len), null, null, null);
            case INT8, UINT8, BOOL -> new NdArray(type, itemShape, null, null, Arrays.copyOfRange(b, from, from + len), null, null);
            case INT64 -> new NdArray(type, itemShape, null, null, null, Arrays.copyOfRange(l, from, from + len), null);
            default -> new NdArray(type, itemShape, null, null, null, null, Arrays.copyOfRange(s, from, from + len));
        };
    }

    /** True for element types stored as integers. */
    public boolean isInteger() {
        return type != DataType.FLOAT32;
    }

    @Override
    public String toString() {
        return type.name().toLowerCase() + Arrays.toString(shape);
    }
}
