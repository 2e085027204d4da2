package io.quanta.kernels.fp32;

/** LOGISTIC: 1 / (1 + e^-x). */
final class Logistic extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) (1.0 / (1.0 + Math.exp(-x[k])));
        }
    }
}
