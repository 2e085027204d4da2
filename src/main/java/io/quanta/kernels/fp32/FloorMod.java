package io.quanta.kernels.fp32;

import io.quanta.graph.ModelInvalidException;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/**
 * FLOOR_MOD: the remainder with the sign of the divisor (Python's %), from the truncated remainder (C's
 * fmod / %, which Java's % matches) shifted by the divisor when the signs disagree.
 */
final class FloorMod {
    private FloorMod() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseBinary.create(ctx, FloorMod::floatRow, FloorMod::intRow);
    }

    private static void floatRow(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            float y = b[bi + k * sb];
            float r = a[ai + k * sa] % y;
            o[oi + k] = r != 0f && (y < 0f) != (r < 0f) ? r + y : r;
        }
    }

    private static void intRow(int[] a, int ai, int sa, int[] b, int bi, int sb, int[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            int y = b[bi + k * sb];
            if (y == 0) {
                // The divisor is data of the model (often computed at run time): its fault, typed as such.
                throw new ModelInvalidException("FLOOR_MOD: integer division by zero");
            }
            int r = a[ai + k * sa] % y;
            o[oi + k] = r != 0 && (y < 0) != (r < 0) ? r + y : r;
        }
    }
}
