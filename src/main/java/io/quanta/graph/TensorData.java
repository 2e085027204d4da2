package io.quanta.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes and encodes constant tensor bytes (little-endian, as stored in .tflite files). */
public final class TensorData {
    private TensorData() {}

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        le(bytes).asFloatBuffer().get(out);
        return out;
    }

    public static int[] ints(byte[] bytes) {
        int[] out = new int[bytes.length / 4];
        le(bytes).asIntBuffer().get(out);
        return out;
    }

    public static long[] longs(byte[] bytes) {
        long[] out = new long[bytes.length / 8];
        le(bytes).asLongBuffer().get(out);
        return out;
    }

    public static short[] shorts(byte[] bytes) {
        short[] out = new short[bytes.length / 2];
        le(bytes).asShortBuffer().get(out);
        return out;
    }

    /** Float16 bit patterns to floats. */
    public static float[] halfFloats(byte[] bytes) {
        short[] h = shorts(bytes);
        float[] out = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            out[i] = Half.toFloat(h[i]);
        }
        return out;
    }

    public static byte[] of(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    public static byte[] of(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    public static byte[] of(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }

    public static byte[] of(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(values);
        return b.array();
    }

    /** Reads any numeric constant as floats (int types widen, float16 expands), ignoring quantization. */
    public static float[] asFloats(Tensor t) {
        byte[] d = t.data();
        return switch (t.type()) {
            case FLOAT32 -> floats(d);
            case FLOAT16 -> halfFloats(d);
            case INT32 -> {
                int[] v = ints(d);
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) f[i] = v[i];
                yield f;
            }
            case INT64 -> {
                long[] v = longs(d);
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) f[i] = v[i];
                yield f;
            }
            case INT8 -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = d[i];
                yield f;
            }
            case UINT8 -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = d[i] & 0xff;
                yield f;
            }
            default ->
                throw new IllegalArgumentException("cannot read " + t.type() + " tensor " + t.name() + " as floats");
        };
    }

    /** Reads an integer constant (int32, int64 or int8/uint8) as ints: shape operands, axes, indices. */
    public static int[] asInts(Tensor t) {
        byte[] d = t.data();
        return switch (t.type()) {
            case INT32 -> ints(d);
            case INT64 -> {
                long[] v = longs(d);
                int[] r = new int[v.length];
                for (int i = 0; i < v.length; i++) r[i] = Math.toIntExact(v[i]);
                yield r;
            }
            case INT8 -> {
                int[] r = new int[d.length];
                for (int i = 0; i < d.length; i++) r[i] = d[i];
                yield r;
            }
            case UINT8 -> {
                int[] r = new int[d.length];
                for (int i = 0; i < d.length; i++) r[i] = d[i] & 0xff;
                yield r;
            }
            default ->
                throw new IllegalArgumentException("cannot read " + t.type() + " tensor " + t.name() + " as ints");
        };
    }
}
