package io.quanta.kernels.fp32;

/** MAXIMUM: the larger of a and b. */
final class Maximum extends ElementwiseBinary {
    @Override
    void floatRow(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            o[oi + k] = Math.max(a[ai + k * sa], b[bi + k * sb]);
        }
    }

    @Override
    void intRow(int[] a, int ai, int sa, int[] b, int bi, int sb, int[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            o[oi + k] = Math.max(a[ai + k * sa], b[bi + k * sb]);
        }
    }

    @Override
    boolean supportsInt32() {
        return true;
    }
}
