package io.quanta.kernels.fp32;

import io.quanta.graph.Padding;

/**
 * Output size and leading padding of a sliding window (convolution, pooling), as TFLite computes them:
 * SAME gives ceil(in / stride) outputs and puts the odd extra padding pixel at the end, VALID keeps the
 * window inside the input. Only the leading padding matters to a kernel: trailing taps fall outside.
 */
final class ConvGeometry {
    private ConvGeometry() {}

    static int effectiveFilter(int filter, int dilation) {
        return (filter - 1) * dilation + 1;
    }

    static int outputSize(Padding padding, int in, int filter, int stride, int dilation) {
        int eff = effectiveFilter(filter, dilation);
        return padding == Padding.SAME ? (in + stride - 1) / stride : (in + stride - eff) / stride;
    }

    /** Padding before the first input element: half the total, rounded down (the extra pixel goes last). */
    static int padBefore(int in, int filter, int stride, int dilation, int out) {
        int total = (out - 1) * stride + effectiveFilter(filter, dilation) - in;
        return Math.max(total, 0) / 2;
    }
}
