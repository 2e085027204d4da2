package io.quanta.kernels.fp32;

/** EXP. */
final class Exp extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) Math.exp(x[k]);
        }
    }
}
