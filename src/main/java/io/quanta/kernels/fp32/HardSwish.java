package io.quanta.kernels.fp32;

/** HARD_SWISH: x * relu6(x + 3) / 6. */
final class HardSwish extends ElementwiseUnary {
    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            float v = x[k];
            o[k] = v * Math.min(6f, Math.max(0f, v + 3f)) / 6f;
        }
    }
}
