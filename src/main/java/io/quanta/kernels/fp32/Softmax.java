package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** SOFTMAX over the last axis: e^((x - max) * beta), each times 1 / (their sum). */
final class Softmax {
    private Softmax() {}

    static Kernel create(OpContext ctx) {
        float beta = ctx.options(OpOptions.Softmax.class).beta();
        return LastAxisKernel.create(ctx, (x, o, off, n) -> row(x, o, off, n, beta));
    }

    private static void row(float[] x, float[] o, int off, int n, float beta) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = off; k < off + n; k++) {
            max = Math.max(max, x[k]);
        }
        float sum = 0f;
        for (int k = off; k < off + n; k++) {
            float e = (float) Math.exp((x[k] - max) * beta);
            o[k] = e;
            sum += e;
        }
        float scale = 1f / sum;
        for (int k = off; k < off + n; k++) {
            o[k] *= scale;
        }
    }
}
