package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatLoops;

/**
 * DEPTHWISE_CONV_2D, int8 with per-channel weights (axis 3) and int32 bias: TFLite's
 * DepthwiseConvPerChannel. With a channel multiplier of 1 and the Vector API, each output row is a direct tiled
 * pass over the zero-point-padded raw input ({@link DepthwiseTiles}; the input offset times the weight sums folded
 * into the bias once). Without the Vector API (or {@code -Dquanta.scalar}), multiplier 1 widens the input plus
 * its offset to floats once per call and runs the float depthwise rows; both are exact since the few products per
 * output are integers far below 2^24, and the int32 sums take the bias and are requantized. Other multipliers
 * accumulate tap by tap in int across all output channels at once.
 */
final class DepthwiseConv2D implements Kernel {
    private final OpOptions.DepthwiseConv2D options;
    private final int kernelH;
    private final int kernelW;
    private final int outChannels;
    private final int depthMultiplier;
    private final int[] weights; // [kernelH][kernelW][outChannels]
    private final ConvQuant quant;
    private final int[] acc;
    private final int[] shifted; // one input pixel plus the input offset
    private final SlidingWindow window;
    private final int[] outShape = new int[4];
    private final FloatLoops loops; // null: the int loop
    private final float[] floatWeights;
    private float[] shiftedInput = new float[0];
    private float[] sums = new float[0];
    private int[] rowAcc = new int[0];
    /** Multiplier 1 with the Vector API: direct tiles over the padded input, the input offset in tileQuant's bias. */
    private final DepthwiseTiles tiles;

    private final ConvQuant tileQuant;
    private final PaddedInput padded = new PaddedInput();
    private int tapsForWidth = -1;
    private int[] tapOffsets = new int[0];

    static Kernel create(OpContext ctx) {
        return create(ctx, FloatLoops.best());
    }

    static Kernel create(OpContext ctx, FloatLoops loops) {
        return new DepthwiseConv2D(ctx, loops);
    }

    private DepthwiseConv2D(OpContext ctx, FloatLoops floatLoops) {
        options = ctx.options(OpOptions.DepthwiseConv2D.class);
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        ConvQuant.check(ctx);
        kernelH = filter.dim(1);
        kernelW = filter.dim(2);
        outChannels = filter.dim(3);
        int inChannels = input.dim(3);
        if (inChannels == 0 || outChannels % inChannels != 0) {
            throw ctx.fail("filter '" + filter.name() + "' has " + outChannels
                    + " channels, not a multiple of the input's " + inChannels);
        }
        depthMultiplier = outChannels / inChannels;
        weights = Weights.widen(filter.data());
        quant = ConvQuant.of(ctx, options.activation(), outChannels);
        acc = new int[outChannels];
        shifted = new int[outChannels];
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
        int maxAbsWeight = 1;
        for (int w : weights) {
            maxAbsWeight = Math.max(maxAbsWeight, Math.abs(w));
        }
        boolean exact = (long) kernelH * kernelW * maxAbsWeight * ExactGemm.maxAbsShifted(quant.inputOffset())
                < ExactGemm.EXACT;
        loops = depthMultiplier == 1 && exact ? floatLoops : null;
        int taps = kernelH * kernelW;
        tiles = depthMultiplier == 1 && floatLoops != FloatLoops.scalar() && taps <= ConvTiles.maxDepth(maxAbsWeight)
                ? DepthwiseTiles.create(weights, taps, outChannels, options.strideW())
                : null;
        if (tiles != null) {
            int[] folded = quant.bias().clone();
            for (int c = 0; c < outChannels; c++) {
                int sum = 0;
                for (int t = 0; t < taps; t++) {
                    sum += weights[t * outChannels + c];
                }
                folded[c] += quant.inputOffset() * sum;
            }
            tileQuant = quant.withBias(folded);
        } else {
            tileQuant = null;
        }
        floatWeights = new float[weights.length];
        for (int i = 0; i < weights.length; i++) {
            floatWeights[i] = weights[i];
        }
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        TensorValue output = out[0];
        int strideH = options.strideH();
        int strideW = options.strideW();
        int dilH = options.dilationH();
        int dilW = options.dilationW();
        SlidingWindow g = window;
        g.bind(input);
        Values.resizeNhwc(output, outShape, g.batches, g.outH, g.outW, outChannels);
        if (tiles != null) {
            invokeTiles(input, output.b);
            return;
        }
        if (loops != null) {
            invokeFloat(input, output);
            return;
        }
        int batches = g.batches;
        int inH = g.inH;
        int inW = g.inW;
        int inC = g.channels;
        int outH = g.outH;
        int outW = g.outW;
        int padH = g.padTop;
        int padW = g.padLeft;
        int[] bias = quant.bias();
        int inputOffset = quant.inputOffset();
        byte[] x = input.b;
        byte[] y = output.b;
        int[] a = acc;
        int[] s = shifted;
        int[] w = weights;
        int n = outChannels;
        int dm = depthMultiplier;
        int o = 0;
        for (int b = 0; b < batches; b++) {
            int batchBase = b * inH * inW * inC;
            for (int oy = 0; oy < outH; oy++) {
                int iy0 = oy * strideH - padH;
                for (int ox = 0; ox < outW; ox++) {
                    int ix0 = ox * strideW - padW;
                    System.arraycopy(bias, 0, a, 0, n);
                    for (int ky = 0; ky < kernelH; ky++) {
                        int iy = iy0 + ky * dilH;
                        if (iy < 0 || iy >= inH) {
                            continue;
                        }
                        for (int kx = 0; kx < kernelW; kx++) {
                            int ix = ix0 + kx * dilW;
                            if (ix < 0 || ix >= inW) {
                                continue;
                            }
                            int src = batchBase + (iy * inW + ix) * inC;
                            int wBase = (ky * kernelW + kx) * n;
                            if (dm == 1) {
                                for (int c = 0; c < n; c++) {
                                    a[c] += w[wBase + c] * (x[src + c] + inputOffset);
                                }
                            } else {
                                for (int c = 0; c < n; c++) {
                                    s[c] = x[src + c / dm] + inputOffset;
                                }
                                for (int c = 0; c < n; c++) {
                                    a[c] += w[wBase + c] * s[c];
                                }
                            }
                        }
                    }
                    o = quant.store(a, y, o, false);
                }
            }
        }
    }

    /** Multiplier 1: one float depthwise row at a time, then bias and requantization of that row. */
    private void invokeFloat(TensorValue input, TensorValue output) {
        SlidingWindow g = window;
        shiftedInput = Values.shiftedFloats(input, quant.inputOffset(), shiftedInput);
        int rowSize = g.outW * outChannels;
        int size = g.batches * g.outH * rowSize;
        if (sums.length < size) {
            sums = new float[size];
        }
        if (rowAcc.length < rowSize) {
            rowAcc = new int[rowSize];
        }
        byte[] y = output.b;
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outH; oy++) {
                loops.depthwiseRow(
                        g,
                        shiftedInput,
                        floatWeights,
                        null,
                        b,
                        oy,
                        sums,
                        Float.NEGATIVE_INFINITY,
                        Float.POSITIVE_INFINITY);
                int o = (b * g.outH + oy) * rowSize;
                ExactGemm.toInts(sums, o, rowSize, rowAcc, 0, false);
                quant.storeRows(rowAcc, g.outW, y, o, false);
            }
        }
    }

    /**
     * Multiplier 1 with the Vector API: the input padded with its zero point, then each output row in tiles, its
     * float sums to int and requantized.
     */
    private void invokeTiles(TensorValue input, byte[] y) {
        SlidingWindow g = window;
        int n = outChannels;
        int cs = tiles.channelStride();
        float[] x = padded.fill(g, input, -quant.inputOffset(), cs);
        int pw = padded.width;
        if (pw != tapsForWidth) {
            tapsForWidth = pw;
            tapOffsets = new int[kernelH * kernelW];
            for (int ky = 0, t = 0; ky < kernelH; ky++) {
                for (int kx = 0; kx < kernelW; kx++) {
                    tapOffsets[t++] = (ky * g.dilationH * pw + kx * g.dilationW) * cs;
                }
            }
        }
        int ow = g.outW;
        if (sums.length < ow * cs + DepthwiseTiles.SLACK) {
            sums = new float[ow * cs + DepthwiseTiles.SLACK];
        }
        if (rowAcc.length < ow * n) {
            rowAcc = new int[ow * n];
        }
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outH; oy++) {
                int base = ((b * padded.height + oy * g.strideH) * pw) * cs;
                tiles.row(x, base, g.strideW * cs, ow, tapOffsets, sums);
                tileQuant.storeTileRows(sums, ow, cs, tiles.magic(), rowAcc, y, ((b * g.outH + oy) * ow) * n, false);
            }
        }
    }
}
