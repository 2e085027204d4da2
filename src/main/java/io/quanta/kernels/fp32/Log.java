package io.quanta.kernels.fp32;

/** LOG (natural). */
final class Log extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) Math.log(x[k]);
        }
    }
}
