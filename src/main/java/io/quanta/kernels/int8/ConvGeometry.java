package io.quanta.kernels.int8;

import io.quanta.graph.Padding;

/** Output sizes and leading padding of a 2-D window op (conv, depthwise conv, pooling), as TFLite computes them. */
final class ConvGeometry {
    private ConvGeometry() {}

    static int effectiveSize(int filter, int dilation) {
        return (filter - 1) * dilation + 1;
    }

    static int outSize(Padding padding, int in, int filter, int stride, int dilation) {
        int effective = effectiveSize(filter, dilation);
        return padding == Padding.SAME ? (in + stride - 1) / stride : (in + stride - effective) / stride;
    }

    /** Padding before the first element: half the total, rounded down, never negative. */
    static int padBefore(int in, int out, int filter, int stride, int dilation) {
        int total = (out - 1) * stride + effectiveSize(filter, dilation) - in;
        return Math.max(total / 2, 0);
    }

    /**
     * Output size and leading padding of a window op for the input last seen; one per kernel, updated on
     * every invocation without allocating.
     */
    static final class Window {
        int outH;
        int outW;
        int padH;
        int padW;

        void update(Padding padding, int inH, int inW, int filterH, int filterW, int strideH, int strideW,
                int dilationH, int dilationW) {
            outH = outSize(padding, inH, filterH, strideH, dilationH);
            outW = outSize(padding, inW, filterW, strideW, dilationW);
            padH = padBefore(inH, outH, filterH, strideH, dilationH);
            padW = padBefore(inW, outW, filterW, strideW, dilationW);
        }
    }
}
