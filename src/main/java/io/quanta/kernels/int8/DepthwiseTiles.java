package io.quanta.kernels.int8;

import io.quanta.kernels.VectorSupport;

/**
 * The products of an int8 depthwise convolution (channel multiplier 1) over a zero-point-padded input ({@link
 * PaddedInput}), channels in SIMD lanes and a few pixels at a time ({@link VectorDepthwiseTiles}). Inputs are the
 * raw int8 values as floats and the weights int8, so each sum of at most {@link ConvTiles#maxDepth} taps is an exact
 * integer in a float; the input zero point times the weight sums is folded into the bias by the caller. Present only
 * with the Vector API; otherwise the kernel keeps its other paths, which give the same bytes.
 */
interface DepthwiseTiles {
    /**
     * For each of {@code pixels} output pixels p and channel c below {@link #channelStride} (those past the real
     * ones get 0): {@code sums[p * channelStride() + c] = sum_t x[base + p * step + offsets[t] + c] * w[t][c]}.
     */
    void row(float[] x, int base, int step, int pixels, int[] offsets, float[] sums);

    /**
     * The channel stride of the input and of {@code sums}: the channels rounded up to the vector width, or 8 when
     * two pixels of 8 channels share a vector.
     */
    int channelStride();

    /** As {@link ConvTiles#magic}: the sums start from {@link ExactGemm#MAGIC}. */
    boolean magic();

    /**
     * Floats that callers leave after the input and after the sums of a row: a row's last vector may read and
     * write that far past its last pixel.
     */
    int SLACK = 16;

    /**
     * Tiles for weights {@code w[t * channels + c]} of {@code taps} taps at horizontal stride {@code strideW}, or
     * null without the Vector API.
     */
    static DepthwiseTiles create(int[] w, int taps, int channels, int strideW) {
        if (!VectorSupport.enabled()) {
            return null;
        }
        try {
            return (DepthwiseTiles) Class.forName("io.quanta.kernels.int8.VectorDepthwiseTiles")
                    .getDeclaredMethod("createIfUsable", int[].class, int.class, int.class, int.class)
                    .invoke(null, w, taps, channels, strideW);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
