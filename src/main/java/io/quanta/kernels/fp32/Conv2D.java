package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.hybrid.HybridConv2D;

/**
 * CONV_2D on float: NHWC input, filter [out][kh][kw][in], optional bias. The filter is transposed once to
 * [kh][kw][in][out] and packed ({@link FloatLoops#pack}) so that one output row is an im2col row strip times
 * that matrix ({@link FloatLoops#gemmPacked});
 * a 1x1 stride-1 convolution multiplies the input directly, and an input of few channels (an image's first
 * layer) is convolved directly, since its im2col rows would be short and copying them costs more than
 * they save. Int8 filters run the hybrid kernel.
 */
final class Conv2D implements Kernel {
    private final SlidingWindow window;
    private final float[] packed;
    private final int outChannels;
    private final int depth;
    private final boolean hasBias;
    private final float lo;
    private final float hi;
    private final FloatLoops loops;
    private final ShapeMemo shape = new ShapeMemo();
    private float[] strip = new float[0];

    /** Inputs with at most this many channels are convolved directly rather than through im2col. */
    static final int DIRECT_MAX_CHANNELS = 4;

    private Conv2D(
            SlidingWindow window,
            float[] packed,
            int outChannels,
            boolean hasBias,
            float lo,
            float hi,
            FloatLoops loops) {
        this.window = window;
        this.loops = loops;
        this.packed = packed;
        this.outChannels = outChannels;
        this.depth = window.filterH * window.filterW * window.channels;
        this.hasBias = hasBias;
        this.lo = lo;
        this.hi = hi;
    }

    static Kernel create(OpContext ctx) {
        return create(ctx, FloatLoops.fastest());
    }

    static Kernel create(OpContext ctx, FloatLoops loops) {
        OpOptions.Conv2D o = ctx.options(OpOptions.Conv2D.class);
        Tensor filter = ctx.input(1);
        if (filter.type() == DataType.INT8) {
            return HybridConv2D.create(ctx);
        }
        SlidingWindow window =
                SlidingWindow.forFilter(ctx, o.padding(), o.strideH(), o.strideW(), o.dilationH(), o.dilationW());
        int outChannels = filter.dim(0);
        int depth = window.filterH * window.filterW * window.channels;
        float[] depthMajor = new float[outChannels * depth];
        FloatGemm.transpose(ctx.constFloats(1), 0, outChannels, depth, depthMajor, 0);
        float[] packed = loops.pack(depthMajor, depth, outChannels);
        SlidingWindow.checkBias(ctx, outChannels);
        float[] range = FloatActivation.range(ctx, o.activation());
        return new Conv2D(window, packed, outChannels, ctx.hasInput(2), range[0], range[1], loops);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        window.bind(input);
        int oh = window.outH;
        int ow = window.outW;
        TensorValue output = out[0];
        output.resize(shape.of(window.batches, oh, ow, outChannels));
        float[] bias = hasBias ? in[2].f : null;
        if (window.isPointwise()) {
            loops.gemmPacked(
                    input.f, 0, depth, window.batches * oh * ow, depth, packed, bias, outChannels, output.f, 0, lo, hi);
            return;
        }
        if (window.channels <= DIRECT_MAX_CHANNELS) {
            for (int b = 0; b < window.batches; b++) {
                for (int y = 0; y < oh; y++) {
                    loops.convRow(window, input.f, packed, bias, outChannels, b, y, output.f, lo, hi);
                }
            }
            return;
        }
        if (strip.length < ow * depth) {
            strip = new float[ow * depth];
        }
        for (int b = 0; b < window.batches; b++) {
            for (int y = 0; y < oh; y++) {
                window.im2colRow(input.f, b, y, strip);
                loops.gemmPacked(
                        strip,
                        0,
                        depth,
                        ow,
                        depth,
                        packed,
                        bias,
                        outChannels,
                        output.f,
                        ((b * oh + y) * ow) * outChannels,
                        lo,
                        hi);
            }
        }
    }
}
