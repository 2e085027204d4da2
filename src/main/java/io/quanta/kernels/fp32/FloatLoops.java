package io.quanta.kernels.fp32;

import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.VectorSupport;

/**
 * The hot inner loops of the float convolutions and matrix products, in three implementations chosen once at
 * class-init time: {@link WideFloatLoops} (512-bit vectors, for the float kernels on AVX-512 hardware, see
 * {@link #fastest()}), {@link VectorFloatLoops} (256-bit vectors) when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} and has vectors of at least 8 floats, else
 * {@link ScalarFloatLoops} (plain Java). All compute the same sums; only the float summation order, hence
 * the last bits, may differ. Kernels take their implementation at creation so tests can run each;
 * {@code -Dquanta.scalar=true} forces the scalar one (to compare or time it), {@code -Dquanta.narrow=true} the
 * 256-bit one. The int8 convolutions and matrix products run on these loops too, with integer operands small
 * enough that every float sum is exact.
 */
public interface FloatLoops {
    /**
     * {@code out[outOff + r*n + j] = clamp(bias[j] + sum_k a[aOff + r*lda + k] * w[wOff + k*n + j], lo, hi)}
     * for r &lt; rows, j &lt; n: weights packed depth-major [depth][n]; bias may be null.
     */
    void gemm(
            float[] a,
            int aOff,
            int lda,
            int rows,
            int depth,
            float[] w,
            int wOff,
            float[] bias,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi);

    /** Packs constant depth-major [depth][n] weights once into the layout {@link #gemmPacked} reads. */
    float[] pack(float[] depthMajor, int depth, int n);

    /** {@link #gemm} with weights from {@link #pack}. */
    void gemmPacked(
            float[] a,
            int aOff,
            int lda,
            int rows,
            int depth,
            float[] packed,
            float[] bias,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi);

    /**
     * A constant depthwise filter [kh * kw][channels] and its constant bias (null when the bias is missing or not
     * constant) prepared once for {@link #depthwiseRow}: the same filter values, possibly followed by another
     * layout of them and of the bias that an implementation reads faster; {@link #depthwiseRow} must then be
     * given the same bias. Filters that were not prepared are accepted too.
     */
    default float[] prepareDepthwise(float[] filter, float[] bias, int taps, int channels) {
        return filter;
    }

    /**
     * Batch b of a depthwise convolution with channel multiplier 1, as {@link #depthwiseRow} for every output row
     * (an implementation may take the rows together).
     */
    default void depthwise(
            SlidingWindow win, float[] in, float[] filter, float[] bias, int b, float[] out, float lo, float hi) {
        for (int y = 0; y < win.outH; y++) {
            depthwiseRow(win, in, filter, bias, b, y, out, lo, hi);
        }
    }

    /**
     * One output row (batch b, row y) of a depthwise convolution with channel multiplier 1: filter
     * [kh][kw][channels], NHWC input and output, bias may be null.
     */
    void depthwiseRow(
            SlidingWindow win, float[] in, float[] filter, float[] bias, int b, int y, float[] out, float lo, float hi);

    /**
     * One output row (batch b, row y) of a convolution computed directly from the input (no im2col): filter
     * [kh][kw][channels][n] packed by {@link #pack}, n output channels, bias may be null.
     */
    void convRow(
            SlidingWindow win,
            float[] in,
            float[] packed,
            float[] bias,
            int n,
            int b,
            int y,
            float[] out,
            float lo,
            float hi);

    /** The implementation every kernel uses unless told otherwise. */
    static FloatLoops best() {
        return Selection.BEST;
    }

    /**
     * The implementation of the float kernels: {@link WideFloatLoops} (512-bit vectors) where the hardware runs
     * them natively, else {@link #best()}. The int8 kernels stay on {@link #best()}: they use 256-bit float
     * vectors elsewhere too, and C2 boxes vectors once two float vector shapes run in one process.
     */
    static FloatLoops fastest() {
        return Selection.FASTEST;
    }

    /** The plain-Java implementation (the fallback, and the second path tests compare). */
    static FloatLoops scalar() {
        return Selection.SCALAR;
    }

    /** Chooses once; the vector class is loaded only when its module is in the boot layer. */
    final class Selection {
        static final FloatLoops SCALAR = new ScalarFloatLoops();
        static final FloatLoops BEST = select("io.quanta.kernels.fp32.VectorFloatLoops");
        static final FloatLoops FASTEST = BEST == SCALAR ? SCALAR : selectWide();

        private Selection() {}

        private static FloatLoops selectWide() {
            FloatLoops wide = select("io.quanta.kernels.fp32.WideFloatLoops");
            return wide == SCALAR || Boolean.getBoolean("quanta.narrow") ? BEST : wide;
        }

        private static FloatLoops select(String className) {
            if (!VectorSupport.enabled()) {
                return SCALAR;
            }
            try {
                Object loops = Class.forName(className)
                        .getDeclaredMethod("createIfUsable")
                        .invoke(null);
                return loops != null ? (FloatLoops) loops : SCALAR;
            } catch (ReflectiveOperationException | LinkageError e) {
                return SCALAR;
            }
        }
    }
}
