package io.quanta.kernels;

import io.quanta.graph.DataType;
import io.quanta.graph.GraphValidator;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.Shapes;
import java.util.Arrays;

/**
 * The run-time value of one tensor: its current shape and a primitive array holding the elements
 * row-major (NHWC for images). Exactly one array field is in use, chosen by the type: {@code f} for
 * float32, {@code i} for int32, {@code b} for int8/uint8/bool, {@code l} for int64, {@code s} for
 * int16/float16 bit patterns. Arrays may be longer than {@link #size()}: they are kept and reused across
 * invocations so that hot loops never allocate; always bound loops by {@code size()}.
 */
public final class TensorValue {
    public final DataType type;
    private int[] shape;
    private int size;
    public float[] f;
    public int[] i;
    public byte[] b;
    public long[] l;
    public short[] s;

    public TensorValue(DataType type, int[] shape) {
        this.type = type;
        this.shape = null; // so that resize allocates even for a scalar (shape [])
        resize(shape);
    }

    public static TensorValue ofFloats(int[] shape, float[] data) {
        TensorValue v = new TensorValue(DataType.FLOAT32, shape);
        System.arraycopy(data, 0, v.f, 0, v.size);
        return v;
    }

    public static TensorValue ofInts(int[] shape, int[] data) {
        TensorValue v = new TensorValue(DataType.INT32, shape);
        System.arraycopy(data, 0, v.i, 0, v.size);
        return v;
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

    /** Sets the shape, growing the backing array when needed (contents are then undefined). */
    public void resize(int[] newShape) {
        if (Arrays.equals(shape, newShape)) {
            return;
        }
        int n = Shapes.size(newShape);
        // Shapes sized at run time escape graph validation's memory check: one tensor may not pass the limit.
        if ((long) n * Math.max(1, type.byteSize()) > GraphValidator.memoryLimit()) {
            throw new ModelInvalidException("a " + type + Arrays.toString(newShape) + " tensor would need "
                    + GraphValidator.human((long) n * Math.max(1, type.byteSize())) + ", more than the "
                    + GraphValidator.human(GraphValidator.memoryLimit()) + " allowed (--max-memory)");
        }
        shape = newShape.clone();
        size = n;
        switch (type) {
            case FLOAT32 -> {
                if (f == null || f.length < n) f = new float[n];
            }
            case INT32, UINT32 -> {
                if (i == null || i.length < n) i = new int[n];
            }
            case INT8, UINT8, BOOL -> {
                if (b == null || b.length < n) b = new byte[n];
            }
            case INT64, UINT64 -> {
                if (l == null || l.length < n) l = new long[n];
            }
            case INT16, FLOAT16, UINT16 -> {
                if (s == null || s.length < n) s = new short[n];
            }
            default ->
                throw new UnsupportedOperationException("tensors of type " + type + " are not supported at run time");
        }
    }

    /** Copies shape and contents from another value of the same type. */
    public void copyFrom(TensorValue src) {
        if (src.type != type) {
            throw new IllegalArgumentException("cannot copy " + src.type + " into " + type);
        }
        resize(src.shape);
        switch (type) {
            case FLOAT32 -> System.arraycopy(src.f, 0, f, 0, size);
            case INT32, UINT32 -> System.arraycopy(src.i, 0, i, 0, size);
            case INT8, UINT8, BOOL -> System.arraycopy(src.b, 0, b, 0, size);
            case INT64, UINT64 -> System.arraycopy(src.l, 0, l, 0, size);
            default -> System.arraycopy(src.s, 0, s, 0, size);
        }
    }

    /** Zeroes the elements (variable tensors start at zero, as in TFLite). */
    public void clear() {
        switch (type) {
            case FLOAT32 -> Arrays.fill(f, 0, size, 0f);
            case INT32, UINT32 -> Arrays.fill(i, 0, size, 0);
            case INT8, UINT8, BOOL -> Arrays.fill(b, 0, size, (byte) 0);
            case INT64, UINT64 -> Arrays.fill(l, 0, size, 0L);
            default -> Arrays.fill(s, 0, size, (short) 0);
        }
    }

    /** Element k as a double, whatever the type (uint8 unsigned; no dequantization). For tests and reports. */
    public double getAsDouble(int k) {
        return switch (type) {
            case FLOAT32 -> f[k];
            case INT32 -> i[k];
            case UINT32 -> Integer.toUnsignedLong(i[k]);
            case INT8, BOOL -> b[k];
            case UINT8 -> b[k] & 0xff;
            case INT64, UINT64 -> l[k];
            case INT16 -> s[k];
            case UINT16 -> s[k] & 0xffff;
            case FLOAT16 -> io.quanta.graph.Half.toFloat(s[k]);
            default -> throw new UnsupportedOperationException(type.name());
        };
    }

    /** The elements as a fresh float array of exactly {@link #size()} (float32 only). */
    public float[] floats() {
        if (type != DataType.FLOAT32) {
            throw new IllegalStateException("not a float32 tensor: " + type);
        }
        return Arrays.copyOf(f, size);
    }

    @Override
    public String toString() {
        return "TensorValue[" + type + Arrays.toString(shape) + "]";
    }
}
