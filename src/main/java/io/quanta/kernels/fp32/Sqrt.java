package io.quanta.kernels.fp32;

/** SQRT. */
final class Sqrt extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) Math.sqrt(x[k]);
        }
    }
}
