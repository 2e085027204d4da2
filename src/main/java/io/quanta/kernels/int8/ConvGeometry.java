package io.quanta.kernels.int8;

import io.quanta.graph.Padding;
import io.quanta.kernels.TensorValue;

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
     * The sizes of a window op's NHWC input last seen, its output size and leading padding; one per kernel,
     * updated on every invocation without allocating.
     */
    static final class Window {
        private final int[] outShape = new int[4];
        int batches;
        int inH;
        int inW;
        int inC;
        int outH;
        int outW;
        int padH;
        int padW;

        /** Reads the input's sizes, works out output size and padding, and resizes the output (NHWC). */
        void update(TensorValue input, TensorValue output, int outChannels, Padding padding, int filterH, int filterW,
                int strideH, int strideW, int dilationH, int dilationW) {
            batches = input.dim(0);
            inH = input.dim(1);
            inW = input.dim(2);
            inC = input.dim(3);
            outH = outSize(padding, inH, filterH, strideH, dilationH);
            outW = outSize(padding, inW, filterW, strideW, dilationW);
            padH = padBefore(inH, outH, filterH, strideH, dilationH);
            padW = padBefore(inW, outW, filterW, strideW, dilationW);
            Values.resizeNhwc(output, outShape, batches, outH, outW, outChannels);
        }
    }
}
