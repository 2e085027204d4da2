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
 */
final class Conv2D implements Kernel {
    private final int outChannels;
    private final ConvQuant quant;
    private final ExactGemm gemm;
    private final SlidingWindow window;
    private final FloatLoops loops;
    private final int[] outShape = new int[4];
    /** Inputs with at most this many channels are convolved directly: their im2col rows would be short copies. */
    static final int DIRECT_MAX_CHANNELS = 4;
    /** Output pixels an im2col pass gathers at least (whole rows), unless the image is smaller. */
    static final int MIN_PIXELS_PER_PASS = 64;

    private float[] shifted = new float[0];
    private float[] strip = new float[0];
    private float[] scratch = new float[0];
    private int[] acc = new int[0];

    static Kernel create(OpContext ctx) {
        return create(ctx, FloatLoops.best());
    }

    static Kernel create(OpContext ctx, FloatLoops loops) {
        return new Conv2D(ctx, loops);
    }

    private Conv2D(OpContext ctx, FloatLoops loops) {
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
        quant = ConvQuant.of(ctx, options.activation(), outChannels);
        gemm = new ExactGemm(
                Weights.widen(filter.data()),
                outChannels,
                kernelH * kernelW * inChannels,
                ExactGemm.maxAbsShifted(quant.inputOffset()),
                loops);
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
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        TensorValue output = out[0];
        SlidingWindow g = window;
        g.bind(input);
        Values.resizeNhwc(output, outShape, g.batches, g.outH, g.outW, outChannels);
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

    private void ensure(int size) {
        if (acc.length < size) {
            acc = new int[size];
            scratch = new float[size];
        }
    }
}
