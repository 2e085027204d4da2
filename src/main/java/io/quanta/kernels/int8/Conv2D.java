package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatLoops;

/**
 * CONV_2D, int8 activations, int8 weights per channel (or per tensor), int32 bias: TFLite's ConvPerChannel,
 * rounding as its ruy path does on x86. The input plus the input offset (so padding, which TFLite fills with
 * the zero point, is a plain zero) is widened to floats once per call; a 1x1 stride-1 convolution is then one
 * exact matrix product ({@link ExactGemm}) over all pixels, an input of few channels (an image's first layer)
 * is convolved directly row by row, and any other one is a product per output row of its im2col strip. The int32
 * sums take the bias and are requantized per channel.
 *
 * <p>With the Vector API, a depth short enough for exact float sums of raw int8 products goes instead through
 * {@link ConvTiles}, whatever the filter shape: the raw input (not shifted) is copied once into a float buffer
 * padded with the input zero point ({@link PaddedInput}), and each output row (or chunk of pixels of a 1x1
 * convolution) is a direct register-blocked convolution over it. Since a padded value is the zero
 * point, {@code sum (x + inputOffset) * w} is {@code sum x * w} plus {@code inputOffset * sum w}, the latter folded
 * into the bias once here.
 */
final class Conv2D implements Kernel {
    private final int outChannels;
    private final ConvQuant quant;
    private final ExactGemm gemm;
    private final ConvTiles tiles;
    private final SlidingWindow window;
    private final FloatLoops loops;
    /** A 3x3 stride-1 convolution with enough channels goes through Winograd's F(2x2, 3x3) instead. */
    private final WinogradConv winograd;

    private final int[] outShape = new int[4];
    /** Inputs with at most this many channels are convolved directly: their im2col rows would be short copies. */
    static final int DIRECT_MAX_CHANNELS = 4;
    /** Output pixels an im2col pass gathers at least (whole rows), unless the image is smaller. */
    static final int MIN_PIXELS_PER_PASS = 64;

    private float[] shifted = new float[0];
    private float[] strip = new float[0];
    private float[] scratch = new float[0];
    private int[] acc = new int[0];
    private final PaddedInput padded = new PaddedInput();
    private int tapsForWidth = -1;
    private int[] tapOffsets = new int[0];
    /** Output pixels of a 1x1 convolution per {@link ConvTiles#row} call: sums that stay in the L1 cache. */
    static final int POINTWISE_CHUNK = 128;

    static Kernel create(OpContext ctx) {
        return create(ctx, FloatLoops.best());
    }

    static Kernel create(OpContext ctx, FloatLoops loops) {
        return new Conv2D(ctx, loops, false);
    }

    /** With {@code anyWinograd}, Winograd wherever it is exact, not only where it pays (to test it on any shape). */
    static Kernel create(OpContext ctx, FloatLoops loops, boolean anyWinograd) {
        return new Conv2D(ctx, loops, anyWinograd);
    }

    private Conv2D(OpContext ctx, FloatLoops loops, boolean anyWinograd) {
        OpOptions.Conv2D options = ctx.options(OpOptions.Conv2D.class);
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        ConvQuant.check(ctx);
        outChannels = filter.dim(0);
        int kernelH = filter.dim(1);
        int kernelW = filter.dim(2);
        int inChannels = filter.dim(3);
        if (input.dim(3) != inChannels) {
            throw ctx.fail("input has " + input.dim(3) + " channels but filter '" + filter.name() + "' expects "
                    + inChannels + " (grouped convolution is not supported)");
        }
        ConvQuant q = ConvQuant.of(ctx, options.activation(), outChannels);
        int[] w = Weights.widen(filter.data());
        int depth = kernelH * kernelW * inChannels;
        int maxAbsWeight = 0;
        for (int v : w) {
            maxAbsWeight = Math.max(maxAbsWeight, Math.abs(v));
        }
        // Every shape, 1x1 and few-channel ones included: the tiles keep their vectors unboxed whatever else ran
        // in the JVM (see VectorConvTiles), which the float loops of the other paths do not yet.
        tiles = loops != FloatLoops.scalar() && depth <= ConvTiles.maxDepth(maxAbsWeight)
                ? ConvTiles.createForInt8(w, outChannels, depth)
                : null;
        if (tiles != null) {
            quant = q.withInputOffsetFolded(w, depth);
            gemm = null;
        } else {
            quant = q;
            gemm = new ExactGemm(w, outChannels, depth, ExactGemm.maxAbsShifted(q.inputOffset()), loops);
        }
        this.loops = loops;
        window = new SlidingWindow(
                ctx,
                options.padding(),
                kernelH,
                kernelW,
                options.strideH(),
                options.strideW(),
                options.dilationH(),
                options.dilationW(),
                inChannels);
        winograd = WinogradConv.applies(options, kernelH, kernelW, inChannels, maxAbsWeight)
                        && (anyWinograd || WinogradConv.pays(inChannels, outChannels, input.dim(1) * input.dim(2)))
                ? new WinogradConv(window, w, outChannels, q, loops)
                : null;
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        TensorValue output = out[0];
        SlidingWindow g = window;
        g.bind(input);
        Values.resizeNhwc(output, outShape, g.batches, g.outH, g.outW, outChannels);
        if (winograd != null && winograd.invoke(input, output.b)) {
            return;
        }
        if (tiles != null) {
            invokeTiles(input, output.b);
            return;
        }
        shifted = Values.shiftedFloats(input, quant.inputOffset(), shifted);
        int depth = gemm.depth();
        int n = outChannels;
        byte[] y = output.b;
        if (g.isPointwise()) {
            int pixels = g.batches * g.outH * g.outW;
            ensure(pixels * n);
            gemm.multiply(shifted, 0, depth, pixels, scratch, acc, 0);
            quant.storeRows(acc, pixels, y, 0, true);
            return;
        }
        int ow = g.outW;
        float[] direct = g.channels <= DIRECT_MAX_CHANNELS ? gemm.singleBlock() : null;
        if (direct != null) {
            int size = g.batches * g.outH * ow * n;
            if (strip.length < size) {
                strip = new float[size];
            }
            ensure(ow * n);
            for (int b = 0; b < g.batches; b++) {
                for (int oy = 0; oy < g.outH; oy++) {
                    loops.convRow(
                            g,
                            shifted,
                            direct,
                            null,
                            n,
                            b,
                            oy,
                            strip,
                            Float.NEGATIVE_INFINITY,
                            Float.POSITIVE_INFINITY);
                    int o = ((b * g.outH + oy) * ow) * n;
                    ExactGemm.toInts(strip, o, ow * n, acc, 0, false);
                    quant.storeRows(acc, ow, y, o, true);
                }
            }
            return;
        }
        // Several output rows per product when rows are short, so the GEMM's 4-row tiles stay busy.
        int rowsPerPass = Math.max(1, Math.min(g.outH, MIN_PIXELS_PER_PASS / ow));
        ensure(rowsPerPass * ow * n);
        if (strip.length < rowsPerPass * ow * depth) {
            strip = new float[rowsPerPass * ow * depth];
        }
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outH; oy += rowsPerPass) {
                int rows = Math.min(rowsPerPass, g.outH - oy);
                for (int r = 0; r < rows; r++) {
                    g.im2colRow(shifted, b, oy + r, strip, r * ow * depth);
                }
                gemm.multiply(strip, 0, depth, rows * ow, scratch, acc, 0);
                quant.storeRows(acc, rows * ow, y, ((b * g.outH + oy) * ow) * n, true);
            }
        }
    }

    /** The direct path: the zero-point-padded float input, then each output row (or pointwise chunk) in tiles. */
    private void invokeTiles(TensorValue input, byte[] y) {
        SlidingWindow g = window;
        int c = g.channels;
        int n = outChannels;
        int np = tiles.paddedChannels();
        float[] x = padInput(input);
        if (g.isPointwise()) {
            int pixels = g.batches * g.outH * g.outW;
            int chunk = Math.min(pixels, POINTWISE_CHUNK);
            ensureTiles(chunk, np);
            for (int p = 0; p < pixels; p += chunk) {
                int count = Math.min(chunk, pixels - p);
                tiles.rows(x, p * c, 0, 1, c, count, null, scratch);
                storeTileRows(count, n, np, y, p * n);
            }
            return;
        }
        int ow = g.outW;
        int pixels = g.outH * ow;
        ensureTiles(pixels, np);
        for (int b = 0; b < g.batches; b++) {
            int rowStep = g.strideH * padded.width * c;
            tiles.rows(
                    x, b * padded.height * padded.width * c, rowStep, g.outH, g.strideW * c, ow, tapOffsets, scratch);
            storeTileRows(pixels, n, np, y, b * pixels * n);
        }
    }

    /** Requantizes {@code pixels} rows of float sums (stride np) into y at o. */
    private void storeTileRows(int pixels, int n, int np, byte[] y, int o) {
        quant.storeTileRows(scratch, pixels, np, tiles.magic(), acc, y, o, true);
    }

    /** The zero-point-padded input ({@link PaddedInput}) and the tap offsets for its row width. */
    private float[] padInput(TensorValue input) {
        SlidingWindow g = window;
        int c = g.channels;
        float[] x = padded.fill(g, input, -quant.inputOffset(), c);
        if (padded.width != tapsForWidth) {
            tapsForWidth = padded.width;
            tapOffsets = new int[g.filterH * g.filterW * c];
            int t = 0;
            for (int ky = 0; ky < g.filterH; ky++) {
                for (int kx = 0; kx < g.filterW; kx++) {
                    for (int ci = 0; ci < c; ci++) {
                        tapOffsets[t++] = (ky * g.dilationH * padded.width + kx * g.dilationW) * c + ci;
                    }
                }
            }
        }
        return x;
    }

    private void ensureTiles(int pixels, int np) {
        if (scratch.length < pixels * np) {
            scratch = new float[pixels * np];
        }
        if (acc.length < pixels * np) {
            acc = new int[pixels * np];
        }
    }

    private void ensure(int size) {
        if (acc.length < size) {
            acc = new int[size];
            scratch = new float[size];
        }
    }
}
