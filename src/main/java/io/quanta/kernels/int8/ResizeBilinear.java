package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * RESIZE_BILINEAR on int8 NHWC (input and output share quantization), TFLite's integer path: positions in
 * 1/1024 steps and a 20-bit weighted sum rounded half away from zero.
 */
final class ResizeBilinear implements Kernel {
    private final boolean alignCorners;
    private final boolean halfPixelCenters;
    private final int[] outShape = new int[4];

    static Kernel create(OpContext ctx) {
        return new ResizeBilinear(ctx);
    }

    private ResizeBilinear(OpContext ctx) {
        Quant.requireInt8InputAndOutput(ctx);
        Quant.requireNhwcInput(ctx);
        OpOptions.Resize options = ctx.options(OpOptions.Resize.class);
        alignCorners = options.alignCorners();
        halfPixelCenters = options.halfPixelCenters();
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int batches = input.dim(0);
        int inH = input.dim(1);
        int inW = input.dim(2);
        int depth = input.dim(3);
        int[] size = in[1].i;
        int outH = size[0];
        int outW = size[1];
        Values.resizeNhwc(out[0], outShape, batches, outH, outW, depth);
        bilinear(input.b, out[0].b, batches, inH, inW, depth, outH, outW);
    }

    private int scale10(int in, int out) {
        if (alignCorners && out > 1) {
            return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
        }
        return ((1 << 10) * in + out / 2) / out;
    }

    private int scaled(int value, int scale10) {
        return halfPixelCenters ? value * scale10 + scale10 / 2 - (1 << 9) : value * scale10;
    }

    private void bilinear(byte[] x, byte[] y, int batches, int inH, int inW, int depth, int outH, int outW) {
        int hScale = scale10(inH, outH);
        int wScale = scale10(inW, outW);
        int o = 0;
        for (int b = 0; b < batches; b++) {
            for (int oy = 0; oy < outH; oy++) {
                int inY = scaled(oy, hScale);
                int y0 = Math.max(inY / (1 << 10), 0);
                int y1 = Math.min((inY + (1 << 10) - 1) / (1 << 10), inH - 1);
                long dy = inY - (1 << 10) * y0;
                for (int ox = 0; ox < outW; ox++) {
                    int inX = scaled(ox, wScale);
                    int x0 = Math.max(inX / (1 << 10), 0);
                    int x1 = Math.min((inX + (1 << 10) - 1) / (1 << 10), inW - 1);
                    long dx = inX - (1 << 10) * x0;
                    int p00 = ((b * inH + y0) * inW + x0) * depth;
                    int p10 = ((b * inH + y1) * inW + x0) * depth;
                    int p01 = ((b * inH + y0) * inW + x1) * depth;
                    int p11 = ((b * inH + y1) * inW + x1) * depth;
                    for (int c = 0; c < depth; c++) {
                        long sum = x[p00 + c] * ((1 << 10) - dy) * ((1 << 10) - dx)
                                + x[p10 + c] * dy * ((1 << 10) - dx)
                                + x[p01 + c] * ((1 << 10) - dy) * dx
                                + x[p11 + c] * dy * dx;
                        long round = sum > 0 ? (1 << 19) : -(1 << 19);
                        y[o++] = (byte) ((sum + round) / (1 << 20));
                    }
                }
            }
        }
    }
}
