package io.quanta.kernels.fp32;

import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * RESIZE_NEAREST_NEIGHBOR on any type (float and int8 alike: it only moves stored values, and TFLite copies
 * quantized ones as they are): output pixel y copies source row min(floor((y + offset) * scale), in - 1),
 * offset 0.5 with half_pixel_centers; align_corners rounds (half away from zero) instead of flooring.
 * Half-pixel results are also clamped at 0, as in TFLite's GetNearestNeighbor.
 */
final class ResizeNearestNeighbor implements Kernel {
    private final ResizeGeometry geometry;

    private ResizeNearestNeighbor(ResizeGeometry geometry) {
        this.geometry = geometry;
    }

    static Kernel create(OpContext ctx) {
        OpChecks.sameType(ctx, 0, 0);
        return new ResizeNearestNeighbor(new ResizeGeometry(ctx));
    }

    private int source(int i, float scale, int in) {
        float offset = geometry.halfPixelCenters ? 0.5f : 0f;
        float pos = (i + offset) * scale;
        int s = Math.min(
                geometry.alignCorners ? (int) FixedPoint.roundHalfAwayFromZero(pos) : (int) Math.floor(pos), in - 1);
        return geometry.halfPixelCenters ? Math.max(0, s) : s;
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int[] s = geometry.bindOutput(input, in[1], out[0]);
        int outH = s[1];
        int outW = s[2];
        int c = s[3];
        int inH = input.dim(1);
        int inW = input.dim(2);
        float scaleY = geometry.scale(inH, outH);
        float scaleX = geometry.scale(inW, outW);
        for (int b = 0; b < s[0]; b++) {
            for (int y = 0; y < outH; y++) {
                int sy = source(y, scaleY, inH);
                for (int x = 0; x < outW; x++) {
                    int sx = source(x, scaleX, inW);
                    Elements.copy(input, ((b * inH + sy) * inW + sx) * c, out[0], ((b * outH + y) * outW + x) * c, c);
                }
            }
        }
    }
}
