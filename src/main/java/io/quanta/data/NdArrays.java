package io.quanta.data;

import io.quanta.data.NdArray.DType;
import io.quanta.graph.DataType;
import java.util.Arrays;

/** Element access, slicing and type mapping for {@link NdArray}s as datasets use them. */
public final class NdArrays {
    private NdArrays() {}

    /** The tensor type of an array type. */
    public static DataType dataType(DType t) {
        return switch (t) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT64 -> DataType.FLOAT64;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case UINT8 -> DataType.UINT8;
            case INT8 -> DataType.INT8;
            case BOOL -> DataType.BOOL;
        };
    }

    /** The array type holding a tensor type; fails for types datasets do not provide (int16, float16, ...). */
    public static DType dtype(DataType t) {
        return switch (t) {
            case FLOAT32 -> DType.FLOAT32;
            case FLOAT64 -> DType.FLOAT64;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case UINT8 -> DType.UINT8;
            case INT8 -> DType.INT8;
            case BOOL -> DType.BOOL;
            default ->
                throw new IllegalArgumentException(
                        "datasets do not provide " + t.name().toLowerCase() + " arrays");
        };
    }

    public static NdArray zeros(DataType t, int[] shape) {
        return NdArray.zeros(dtype(t), shape);
    }

    public static boolean isInteger(NdArray a) {
        return a.dtype() != DType.FLOAT32 && a.dtype() != DType.FLOAT64;
    }

    /** Element k as a double (uint8 unsigned). */
    public static double get(NdArray a, int k) {
        return switch (a.dtype()) {
            case FLOAT32 -> ((float[]) a.data())[k];
            case FLOAT64 -> ((double[]) a.data())[k];
            case INT32 -> ((int[]) a.data())[k];
            case INT64 -> ((long[]) a.data())[k];
            case UINT8 -> ((byte[]) a.data())[k] & 0xff;
            case INT8, BOOL -> ((byte[]) a.data())[k];
        };
    }

    /** Sets element k; for integer types the caller has rounded and range-checked the value. */
    public static void set(NdArray a, int k, double v) {
        switch (a.dtype()) {
            case FLOAT32 -> ((float[]) a.data())[k] = (float) v;
            case FLOAT64 -> ((double[]) a.data())[k] = v;
            case INT32 -> ((int[]) a.data())[k] = (int) v;
            case INT64 -> ((long[]) a.data())[k] = (long) v;
            case UINT8, INT8, BOOL -> ((byte[]) a.data())[k] = (byte) (long) v;
        }
    }

    /** Items along the first axis (the samples of a dataset array). */
    public static int count(NdArray a) {
        if (a.rank() == 0) {
            throw new IllegalStateException("a scalar has no sample axis");
        }
        return a.dim(0);
    }

    /** Item {@code index} along the first axis, copied, with that axis dropped. */
    public static NdArray item(NdArray a, int index) {
        int n = count(a);
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("item " + index + " of " + n);
        }
        int[] itemShape = Arrays.copyOfRange(a.shape(), 1, a.rank());
        int len = (int) NdArray.elementCount(itemShape);
        int from = index * len;
        return switch (a.dtype()) {
            case FLOAT32 -> NdArray.ofFloats(itemShape, Arrays.copyOfRange(a.floats(), from, from + len));
            case FLOAT64 -> NdArray.ofDoubles(itemShape, Arrays.copyOfRange(a.doubles(), from, from + len));
            case INT32 -> NdArray.ofInts(itemShape, Arrays.copyOfRange(a.ints(), from, from + len));
            case INT64 -> NdArray.ofLongs(itemShape, Arrays.copyOfRange(a.longs(), from, from + len));
            case UINT8, INT8, BOOL ->
                NdArray.ofBytes(a.dtype(), itemShape, Arrays.copyOfRange(a.bytes(), from, from + len));
        };
    }

    /** The same elements with another shape of equal element count (storage shared). */
    public static NdArray reshape(NdArray a, int[] shape) {
        if (NdArray.elementCount(shape) != a.size()) {
            throw new IllegalArgumentException("cannot reshape " + a + " to " + Arrays.toString(shape));
        }
        return switch (a.dtype()) {
            case FLOAT32 -> NdArray.ofFloats(shape, a.floats());
            case FLOAT64 -> NdArray.ofDoubles(shape, a.doubles());
            case INT32 -> NdArray.ofInts(shape, a.ints());
            case INT64 -> NdArray.ofLongs(shape, a.longs());
            case UINT8, INT8, BOOL -> NdArray.ofBytes(a.dtype(), shape, a.bytes());
        };
    }

    /** "uint8[28, 28]": type and shape, for messages. */
    public static String describe(NdArray a) {
        return a.dtype().numpyName() + Arrays.toString(a.shape());
    }
}
