package io.quanta.kernels.hybrid;

import io.quanta.graph.OpOptions;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;

/**
 * CONV_2D with float activations and int8 filter (dynamic-range quantization), computed as TFLite's hybrid
 * kernel does. Per-channel filter scales (not all equal): each batch image is quantized asymmetrically,
 * the window pads with the zero point, and out = float(acc - rowSum * zp) * (channelScale * inputScale) +
 * bias. A single scale: symmetric quantization, zero padding, out = float(acc) * (inputScale *
 * filterScale) + bias. Integer accumulation is exact, so only those final float steps can round.
 */
public final class HybridConv2D implements Kernel {
    private final SlidingWindow window;
    private final int[] packed;
    private final int[] rowSums;
    private final float[] channelScales;
    private final float filterScale;
    private final int outChannels;
    private final int depth;
    private final boolean hasBias;
    private final float lo;
    private final float hi;
    private final ShapeMemo shape = new ShapeMemo();
    private final int[] zeroPoint = new int[1];
    private final int[] acc;
    private int[] quantized = new int[0];
    private int[] strip = new int[0];

    private HybridConv2D(
            SlidingWindow window,
            byte[] filter,
            QuantParams quant,
            int outChannels,
            boolean hasBias,
            float lo,
            float hi) {
        this.window = window;
        this.depth = window.filterH * window.filterW * window.channels;
        this.outChannels = outChannels;
        this.packed = HybridQuantizer.packTransposed(filter, outChannels, depth);
        this.rowSums = HybridQuantizer.rowSums(filter, outChannels, depth);
        this.channelScales = HybridQuantizer.perChannelScales(quant.scale());
        this.filterScale = quant.scale(0);
        this.hasBias = hasBias;
        this.lo = lo;
        this.hi = hi;
        this.acc = new int[outChannels];
    }

    public static Kernel create(OpContext ctx) {
        OpOptions.Conv2D o = ctx.options(OpOptions.Conv2D.class);
        Tensor filter = ctx.input(1);
        if (!filter.isConstant() || !filter.isQuantized()) {
            throw ctx.fail("int8 filter '" + filter.name() + "' must be a constant with quantization scales");
        }
        if (o.dilationH() != 1 || o.dilationW() != 1) {
            // TFLite's hybrid convolution silently ignores dilation; refuse rather than guess.
            throw ctx.fail("hybrid (int8 filter) convolution with dilation is not supported");
        }
        SlidingWindow window = SlidingWindow.forFilter(ctx, o.padding(), o.strideH(), o.strideW(), 1, 1);
        int outChannels = filter.dim(0);
        QuantParams q = filter.quant();
        if (q.isPerChannel() && (q.scale().length != outChannels || q.quantizedDimension() != 0)) {
            throw ctx.fail("filter '" + filter.name() + "' has " + q.scale().length + " scales on axis "
                    + q.quantizedDimension() + ", expected " + outChannels + " on axis 0");
        }
        SlidingWindow.checkBias(ctx, outChannels);
        float[] range = FloatActivation.range(ctx, o.activation());
        return new HybridConv2D(window, filter.data(), q, outChannels, ctx.hasInput(2), range[0], range[1]);
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
        int imageSize = window.inH * window.inW * window.channels;
        if (quantized.length < imageSize * window.batches) {
            quantized = new int[imageSize * window.batches];
        }
        if (strip.length < ow * depth) {
            strip = new int[ow * depth];
        }
        float[] o = output.f;
        for (int b = 0; b < window.batches; b++) {
            float inputScale;
            int zero;
            if (channelScales != null) {
                inputScale = HybridQuantizer.asymmetric(
                        input.f, b * imageSize, imageSize, quantized, b * imageSize, zeroPoint);
                zero = zeroPoint[0];
            } else {
                inputScale = HybridQuantizer.symmetric(input.f, b * imageSize, imageSize, quantized, b * imageSize)
                        * filterScale;
                zero = 0;
            }
            for (int y = 0; y < oh; y++) {
                window.im2colRow(quantized, b, y, zero, strip);
                for (int x = 0; x < ow; x++) {
                    accumulate(strip, x * depth);
                    int base = ((b * oh + y) * ow + x) * outChannels;
                    for (int c = 0; c < outChannels; c++) {
                        float v = channelScales != null
                                ? (float) (acc[c] - rowSums[c] * zero) * (channelScales[c] * inputScale)
                                : (float) acc[c] * inputScale;
                        if (bias != null) {
                            v += bias[c];
                        }
                        o[base + c] = Math.min(Math.max(v, lo), hi);
                    }
                }
            }
        }
    }

    private void accumulate(int[] row, int off) {
        int n = outChannels;
        java.util.Arrays.fill(acc, 0, n, 0);
        for (int k = 0; k < depth; k++) {
            int v = row[off + k];
            int wk = k * n;
            for (int c = 0; c < n; c++) {
                acc[c] += v * packed[wk + c];
            }
        }
    }
}
