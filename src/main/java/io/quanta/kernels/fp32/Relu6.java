package io.quanta.kernels.fp32;

/** RELU6: x clamped to [0, 6]. */
final class Relu6 extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = Math.min(Math.max(x[k], 0f), 6f);
        }
    }
}
