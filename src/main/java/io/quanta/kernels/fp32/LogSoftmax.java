package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** LOG_SOFTMAX over the last axis: (x - max) - log(sum of e^(x - max)). */
final class LogSoftmax {
    private LogSoftmax() {}

    static Kernel create(OpContext ctx) {
        return LastAxisKernel.create(ctx, LogSoftmax::row);
    }

    private static void row(float[] x, float[] o, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = off; k < off + n; k++) {
            max = Math.max(max, x[k]);
        }
        float sum = 0f;
        for (int k = off; k < off + n; k++) {
            sum += (float) Math.exp(x[k] - max);
        }
        float logSum = (float) Math.log(sum);
        for (int k = off; k < off + n; k++) {
            o[k] = (x[k] - max) - logSum;
        }
    }
}
