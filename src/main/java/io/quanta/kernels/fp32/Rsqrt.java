package io.quanta.kernels.fp32;

/** RSQRT: 1 / sqrt(x), the square root rounded to float first as TFLite does. */
final class Rsqrt extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = 1f / (float) Math.sqrt(x[k]);
        }
    }
}
