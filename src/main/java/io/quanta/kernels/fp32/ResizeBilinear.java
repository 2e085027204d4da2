package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * RESIZE_BILINEAR on float. Output pixel y maps to source position y * scale, or (y + 0.5) * scale - 0.5
 * with half_pixel_centers; it blends the pixels at floor (clamped to >= 0) and ceil (clamped to the last
 * row) by the distance from the floor, in TFLite's order: top-left, top-right, bottom-left, bottom-right.
 */
final class ResizeBilinear implements Kernel {
    private final ResizeGeometry geometry;

    private ResizeBilinear(ResizeGeometry geometry) {
        this.geometry = geometry;
    }

    static Kernel create(OpContext ctx) {
        return new ResizeBilinear(new ResizeGeometry(ctx));
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int[] s = geometry.bindOutput(input, in[1], out[0]);
        int batches = s[0];
        int outH = s[1];
        int outW = s[2];
        int c = s[3];
        int inH = input.dim(1);
        int inW = input.dim(2);
        float scaleY = geometry.scale(inH, outH);
        float scaleX = geometry.scale(inW, outW);
        float[] src = input.f;
        float[] dst = out[0].f;
        boolean half = geometry.halfPixelCenters;
        for (int b = 0; b < batches; b++) {
            for (int y = 0; y < outH; y++) {
                float fy = half ? (y + 0.5f) * scaleY - 0.5f : y * scaleY;
                int y0 = Math.max((int) Math.floor(fy), 0);
                int y1 = Math.min((int) Math.ceil(fy), inH - 1);
                float dy = fy - y0;
                for (int x = 0; x < outW; x++) {
                    float fx = half ? (x + 0.5f) * scaleX - 0.5f : x * scaleX;
                    int x0 = Math.max((int) Math.floor(fx), 0);
                    int x1 = Math.min((int) Math.ceil(fx), inW - 1);
                    float dx = fx - x0;
                    float w00 = (1 - dy) * (1 - dx);
                    float w01 = (1 - dy) * dx;
                    float w10 = dy * (1 - dx);
                    float w11 = dy * dx;
                    int p00 = ((b * inH + y0) * inW + x0) * c;
                    int p01 = ((b * inH + y0) * inW + x1) * c;
                    int p10 = ((b * inH + y1) * inW + x0) * c;
                    int p11 = ((b * inH + y1) * inW + x1) * c;
                    int o = ((b * outH + y) * outW + x) * c;
                    for (int k = 0; k < c; k++) {
                        dst[o + k] = src[p00 + k] * w00 + src[p01 + k] * w01 + src[p10 + k] * w10 + src[p11 + k] * w11;
                    }
                }
            }
        }
    }
}
