package io.quanta.kernels.int8;

import io.quanta.kernels.TensorValue;

/** Small run-time helpers on values that avoid allocating in steady state. */
final class Values {
    private Values() {}

    /** Gives {@code to} the shape of {@code from}, allocating only when the shape actually changes. */
    static void sameShape(TensorValue from, TensorValue to) {
        if (to.rank() == from.rank()) {
            boolean equal = true;
            for (int d = 0; d < from.rank() && equal; d++) {
                equal = to.dim(d) == from.dim(d);
            }
            if (equal) {
                return;
            }
        }
        to.resize(from.shape());
    }

    /** Resizes {@code to} to the NHWC shape given, reusing the kernel's own {@code shape} array. */
    static void resizeNhwc(TensorValue to, int[] shape, int batches, int height, int width, int channels) {
        shape[0] = batches;
        shape[1] = height;
        shape[2] = width;
        shape[3] = channels;
        to.resize(shape);
    }

    /**
     * The int8 value's elements plus {@code offset} as floats (the input offset applied once, so that padding is
     * zero), in {@code buffer} when it is large enough; returns the array used.
     */
    static float[] shiftedFloats(TensorValue v, int offset, float[] buffer) {
        int n = v.size();
        float[] f = buffer.length >= n ? buffer : new float[n];
        shiftedFloats(v.b, 0, n, offset, f, 0);
        return f;
    }

    /** {@code f[fOff + k] = x[xOff + k] + offset} for k below n. */
    static void shiftedFloats(byte[] x, int xOff, int n, int offset, float[] f, int fOff) {
        int k = VectorConvert.USABLE ? VectorConvert.shiftedFloats(x, xOff, n, offset, f, fOff) : 0;
        for (; k < n; k++) {
            f[fOff + k] = x[xOff + k] + offset;
        }
    }
}
