package io.quanta.kernels.fp32;

/** RELU: max(0, x). */
final class Relu extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = Math.max(0f, x[k]);
        }
    }
}
