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

    /** The channels rounded up to the vector width: the channel stride of the input and of {@code sums}. */
    int channelStride();

    /** Tiles for weights {@code w[t * channels + c]} of {@code taps} taps, or null without the Vector API. */
    static DepthwiseTiles create(int[] w, int taps, int channels) {
        if (!VectorSupport.enabled()) {
            return null;
        }
        try {
            return (DepthwiseTiles) Class.forName("io.quanta.kernels.int8.VectorDepthwiseTiles")
                    .getDeclaredMethod("createIfUsable", int[].class, int.class, int.class)
                    .invoke(null, w, taps, channels);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
