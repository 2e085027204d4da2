package io.quanta.kernels.int8;

import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * An int8 input as floats of its raw values, bordered with its zero point so that every window of a convolution
 * lies inside: with the input offset times the weight sums folded into the bias once, padding then contributes
 * nothing, and the kernels read each tap in place without bounds checks. Channels may be spread to a wider stride
 * (the extra lanes stay 0). Reallocated only when the shape grows.
 */
final class PaddedInput {
    private float[] values = new float[0];
    /** Rows and columns of the padded image (the window's padding on the top and left, the rest below/right). */
    int height;

    int width;

    /** Fills the buffer for the window's current binding; returns it. */
    float[] fill(SlidingWindow g, TensorValue input, int zeroPoint, int channelStride) {
        int c = g.channels;
        int cs = channelStride;
        int ph = Math.max(g.padTop + g.inH, (g.outH - 1) * g.strideH + (g.filterH - 1) * g.dilationH + 1);
        int pw = Math.max(g.padLeft + g.inW, (g.outW - 1) * g.strideW + (g.filterW - 1) * g.dilationW + 1);
        int size = g.batches * ph * pw * cs;
        if (values.length < size + DepthwiseTiles.SLACK) {
            values = new float[size + DepthwiseTiles.SLACK]; // see DepthwiseTiles.SLACK
        }
        height = ph;
        width = pw;
        float[] x = values;
        boolean bordered = ph != g.inH || pw != g.inW;
        if (cs != c) {
            Arrays.fill(x, 0, size, 0f);
            byte[] in = input.b;
            for (int b = 0; b < g.batches; b++) {
                for (int iy = 0; iy < ph; iy++) {
                    for (int ix = 0; ix < pw; ix++) {
                        int y = iy - g.padTop;
                        int xx = ix - g.padLeft;
                        boolean inside = y >= 0 && y < g.inH && xx >= 0 && xx < g.inW;
                        int dst = ((b * ph + iy) * pw + ix) * cs;
                        int src = ((b * g.inH + y) * g.inW + xx) * c;
                        for (int ci = 0; ci < c; ci++) {
                            x[dst + ci] = inside ? in[src + ci] : zeroPoint;
                        }
                    }
                }
            }
            return x;
        }
        int rowLen = g.inW * c;
        for (int b = 0; b < g.batches; b++) {
            if (!bordered) {
                Values.shiftedFloats(input.b, b * g.inH * rowLen, g.inH * rowLen, 0, x, b * ph * pw * c);
                continue;
            }
            // Only the border is filled: the whole buffer once more would double the writes of a large input.
            int image = b * ph * pw * c;
            int rowSize = pw * c;
            int left = g.padLeft * c;
            Arrays.fill(x, image, image + g.padTop * rowSize, zeroPoint);
            for (int iy = 0; iy < g.inH; iy++) {
                int row = image + (iy + g.padTop) * rowSize;
                Arrays.fill(x, row, row + left, zeroPoint);
                Values.shiftedFloats(input.b, (b * g.inH + iy) * rowLen, rowLen, 0, x, row + left);
                Arrays.fill(x, row + left + rowLen, row + rowSize, zeroPoint);
            }
            Arrays.fill(x, image + (g.padTop + g.inH) * rowSize, image + ph * rowSize, zeroPoint);
        }
        return x;
    }
}
