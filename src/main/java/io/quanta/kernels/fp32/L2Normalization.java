package io.quanta.kernels.fp32;

import io.quanta.graph.Activation;
import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** L2_NORMALIZATION over the last axis: x / max(sqrt(sum x^2), 1e-6), TFLite's epsilon for float. */
final class L2Normalization {
    private static final float EPSILON = 1e-6f;

    private L2Normalization() {}

    static Kernel create(OpContext ctx) {
        if (ctx.op().options() instanceof OpOptions.L2Norm o && o.activation() != Activation.NONE) {
            throw ctx.fail("fused activation " + o.activation() + " is not supported");
        }
        return LastAxisKernel.create(ctx, L2Normalization::row);
    }

    private static void row(float[] x, float[] o, int off, int n) {
        float squares = 0f;
        for (int k = off; k < off + n; k++) {
            squares += x[k] * x[k];
        }
        float norm = Math.max((float) Math.sqrt(squares), EPSILON);
        for (int k = off; k < off + n; k++) {
            o[k] = x[k] / norm;
        }
    }
}
