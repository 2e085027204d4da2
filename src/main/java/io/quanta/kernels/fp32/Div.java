package io.quanta.kernels.fp32;

/** DIV on float: a / b. */
final class Div extends ElementwiseBinary {
    @Override
    void floatRow(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            o[oi + k] = a[ai + k * sa] / b[bi + k * sb];
        }
    }
}
