package io.quanta.data;

import java.util.Arrays;

/**
 * A dense n-dimensional array as stored in a .npy file: element type, shape, and the elements row-major in
 * one primitive array ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]} or {@code byte[]} for
 * the one-byte types, matching how run-time tensor values hold them).
 */
public final class NdArray {
    /** The element types this project reads and writes, with their NumPy type code and size. */
    public enum DType {
        FLOAT32("f4", 4),
        FLOAT64("f8", 8),
        INT32("i4", 4),
        INT64("i8", 8),
        UINT8("u1", 1),
        INT8("i1", 1),
        BOOL("b1", 1);

        private final String code;
        private final int byteSize;

        DType(String code, int byteSize) {
            this.code = code;
            this.byteSize = byteSize;
        }

        /** The NumPy type code without byte order, e.g. {@code f4}. */
        public String code() {
            return code;
        }

        public int byteSize() {
            return byteSize;
        }

        /** The descr string NumPy writes for this type: little-endian, or '|' where order does not apply. */
        public String descr() {
            return (byteSize == 1 ? "|" : "<") + code;
        }

        /** The lower-case NumPy name, e.g. {@code float32}; for messages. */
        public String numpyName() {
            return this == BOOL ? "bool" : name().toLowerCase();
        }

        public static DType ofCode(String code) {
            for (DType t : values()) {
                if (t.code.equals(code)) {
                    return t;
                }
            }
            return null;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final Object data;
    private final int size;

    private NdArray(DType dtype, int[] shape, Object data, int length) {
        long n = elementCount(shape);
        if (n != length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + n + " elements but the data has " + length);
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        this.size = length;
    }

    /** An array's element type and shape, without its values. */
    public record Item(DType dtype, int[] shape) {
        public long size() {
            return elementCount(shape);
        }
    }

    public static NdArray ofFloats(int[] shape, float[] data) {
        return new NdArray(DType.FLOAT32, shape, data, data.length);
    }

    public static NdArray ofDoubles(int[] shape, double[] data) {
        return new NdArray(DType.FLOAT64, shape, data, data.length);
    }

    public static NdArray ofInts(int[] shape, int[] data) {
        return new NdArray(DType.INT32, shape, data, data.length);
    }

    public static NdArray ofLongs(int[] shape, long[] data) {
        return new NdArray(DType.INT64, shape, data, data.length);
    }

    /** A one-byte array: {@link DType#UINT8}, {@link DType#INT8} or {@link DType#BOOL}. */
    public static NdArray ofBytes(DType dtype, int[] shape, byte[] data) {
        if (dtype.byteSize() != 1) {
            throw new IllegalArgumentException(dtype + " is not a one-byte type");
        }
        return new NdArray(dtype, shape, data, data.length);
    }

    /** A zero-filled array of the given type and shape. */
    public static NdArray zeros(DType dtype, int[] shape) {
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements");
        }
        int len = (int) n;
        return switch (dtype) {
            case FLOAT32 -> ofFloats(shape, new float[len]);
            case FLOAT64 -> ofDoubles(shape, new double[len]);
            case INT32 -> ofInts(shape, new int[len]);
            case INT64 -> ofLongs(shape, new long[len]);
            case UINT8, INT8, BOOL -> ofBytes(dtype, shape, new byte[len]);
        };
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

    public int dim(int d) {
        return shape[d];
    }

    public int size() {
        return size;
    }

    public float[] floats() {
        return (float[]) as(DType.FLOAT32);
    }

    public double[] doubles() {
        return (double[]) as(DType.FLOAT64);
    }

    public int[] ints() {
        return (int[]) as(DType.INT32);
    }

    public long[] longs() {
        return (long[]) as(DType.INT64);
    }

    /** The elements of a one-byte array (uint8, int8 or bool). Not copied. */
    public byte[] bytes() {
        if (dtype.byteSize() != 1) {
            throw new IllegalStateException("not a one-byte array: " + dtype.numpyName());
        }
        return (byte[]) data;
    }

    /** The backing primitive array itself (not copied). */
    public Object data() {
        return data;
    }

    private Object as(DType wanted) {
        if (dtype != wanted) {
            throw new IllegalStateException("array holds " + dtype.numpyName() + ", not " + wanted.numpyName());
        }
        return data;
    }

    /** Product of the dimensions (1 for a scalar); no overflow for any shape a file can declare. */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NdArray a) || a.dtype != dtype || !Arrays.equals(a.shape, shape)) {
            return false;
        }
        return switch (dtype) {
            case FLOAT32 -> Arrays.equals((float[]) data, (float[]) a.data);
            case FLOAT64 -> Arrays.equals((double[]) data, (double[]) a.data);
            case INT32 -> Arrays.equals((int[]) data, (int[]) a.data);
            case INT64 -> Arrays.equals((long[]) data, (long[]) a.data);
            case UINT8, INT8, BOOL -> Arrays.equals((byte[]) data, (byte[]) a.data);
        };
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NdArray[" + dtype.numpyName() + " " + Arrays.toString(shape) + "]";
    }
}
