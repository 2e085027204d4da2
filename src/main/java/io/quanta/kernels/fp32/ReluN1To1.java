package io.quanta.kernels.fp32;

/** RELU_N1_TO_1: x clamped to [-1, 1]. */
final class ReluN1To1 extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = Math.min(Math.max(x[k], -1f), 1f);
        }
    }
}
