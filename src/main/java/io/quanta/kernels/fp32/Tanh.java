package io.quanta.kernels.fp32;

/** TANH. */
final class Tanh extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) Math.tanh(x[k]);
        }
    }
}
