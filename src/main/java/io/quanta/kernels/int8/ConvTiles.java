package io.quanta.kernels.int8;

import io.quanta.kernels.VectorSupport;

/**
 * The products of an int8 convolution as a direct, register-blocked convolution over a padded input
 * ({@link VectorConvTiles}): no im2col strip, each filter tap read in place. Inputs are the raw int8 values as
 * floats, so a product is at most 128 x 128 in magnitude and a sum of up to {@link #maxDepth} of them stays an exact
 * integer in a float; the input zero point times the weight sums is folded into the bias once (see {@link
 * Conv2D}). Present only when the Vector API is usable with float vectors of 256 bits or more; otherwise the
 * convolution keeps its im2col path, which gives the same bytes.
 */
interface ConvTiles {
    /**
     * For each of {@code rows} rows r and {@code pixels} pixels p of it, and every channel c (those past the real
     * ones get 0): {@code sums[(r * pixels + p) * paddedChannels() + c] = sum_k x[xBase + r * rowStep + p * step +
     * offsets[k]] * w[c][k]}, exact as long as the depth is at most {@link #maxDepth} of the weights. Null offsets
     * mean {@code offsets[k] = k} (a 1x1 convolution): the inputs are then read at indices C2 can bounds-check once
     * per loop rather than once per read.
     */
    void rows(float[] x, int xBase, int rowStep, int rows, int step, int pixels, int[] offsets, float[] sums);

    /** The output channels rounded up to the vector width: the row stride of {@code sums}. */
    int paddedChannels();

    /**
     * Whether the sums start from {@link ExactGemm#MAGIC} rather than 0 (the weights keep every partial sum below
     * {@link ExactGemm#MAGIC_BOUND}): each float's bits are then {@link ExactGemm#MAGIC_BITS} plus its int value.
     */
    boolean magic();

    /**
     * The longest depth whose float sums stay exact for these weights (|w| at most {@code maxAbsWeight}) and any
     * int8 input: every partial sum is an integer of magnitude at most 2^24.
     */
    static int maxDepth(int maxAbsWeight) {
        return ExactGemm.EXACT / (128 * Math.max(1, maxAbsWeight));
    }

    /**
     * Direct tiles for weights {@code w[j * depth + k]} (sums from 0, whatever the inputs), or null without the
     * Vector API or 256-bit vectors.
     */
    static ConvTiles create(int[] w, int n, int depth) {
        return create(w, n, depth, false);
    }

    /**
     * {@link #create} for int8 inputs (magnitudes at most 128): the sums start from {@link ExactGemm#MAGIC} when
     * the weights keep them below {@link ExactGemm#MAGIC_BOUND} (see {@link #magic}).
     */
    static ConvTiles createForInt8(int[] w, int n, int depth) {
        return create(w, n, depth, true);
    }

    private static ConvTiles create(int[] w, int n, int depth, boolean int8Inputs) {
        if (!VectorSupport.enabled()) {
            return null;
        }
        try {
            return (ConvTiles) Class.forName("io.quanta.kernels.int8.VectorConvTiles")
                    .getDeclaredMethod("createIfUsable", int[].class, int.class, int.class, boolean.class)
                    .invoke(null, w, n, depth, int8Inputs);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
