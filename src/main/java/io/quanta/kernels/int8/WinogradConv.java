package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatLoops;

/**
 * CONV_2D with a 3x3 filter, stride 1 and no dilation by Winograd's F(2x2, 3x3), exactly: each 2x2 block of outputs
 * (a tile) comes from its 4x4 input patch with 16 products per channel pair instead of 36.
 *
 * <p>Every transform is kept integral by scaling: the filter transform uses G' = 2 G (TFLite's G has halves), so
 * {@code U = G' g G'^T} is 4 times the textbook one; the input transform {@code V = B^T d B} runs on the raw int8
 * values, padded with the input zero point (so the zero point times the weight sums is folded into the bias, as in
 * {@link Conv2D}'s tiles); at each of the 16 positions the products {@code sum_ci U V} over input channels form a
 * matrix product [tiles x Cin] x [Cin x Cout]; the output transform {@code A^T M A} then gives 4 times the direct
 * convolution's int32 sum, divided by 4 exactly.
 *
 * <p>Bounds, for any int8 weights (-128 included) and inputs: a row of G' has absolute sum at most 3, so
 * {@code |U| <= 9 * 128 = 1152}; a row of B^T has two entries of magnitude 1, so {@code |V| <= 4 * 128 = 512}.
 * A product is at most 589 824 and a float sum of integers stays exact while every partial sum is at most 2^24, so
 * each position sums {@code 2^24 / (512 max|U_p|)} channels (28 at worst, more for the real weights, since the
 * bound is taken from them per position) in float lanes before the block is converted to int and added in int32
 * ({@link ExactGemm#toInts}). The output transform adds 9 sums of magnitude at most {@code Cin * 512 * max|U|},
 * which {@link #fitsInt} checks against int32.
 *
 * <p>Output sizes need not be even: the last tile of a row or column starts one pixel earlier, overlapping the one
 * before it (the same sums, written again).
 */
final class WinogradConv {
    /** Twice TFLite's G, so that U is integral. */
    private static final int[][] G = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};
    /** Transformed positions per tile (4x4). */
    static final int POSITIONS = 16;
    /** The largest magnitude of a transformed input, {@code B^T d B}, for int8 d. */
    static final int MAX_ABS_V = 4 * 128;
    /** Transformed inputs per chunk of tiles (floats): the chunk's V and sums stay in the L1/L2 caches. */
    private static final int CHUNK_FLOATS = 16 * 1024;

    /**
     * The fewest tiles a chunk multiplies: the direct tiles' register block ({@link VectorConvTiles}); fewer rows go
     * pixel by pixel there, at a quarter of the speed, so recomputing a few tiles is cheaper.
     */
    private static final int MIN_ROWS = 8;

    private final SlidingWindow window;
    private final ConvQuant quant;
    private final int inChannels;
    private final int outChannels;
    private final PositionGemm[] gemms = new PositionGemm[POSITIONS];
    private final WinogradTransforms transforms;
    private final PaddedInput padded = new PaddedInput();
    private final int chunk;
    private final int stride;

    private float[] v = new float[0];
    private float[] scratch = new float[0];
    private int[] sums = new int[0];
    private int[] acc = new int[0];
    /** Per tile of the bound shape: its patch's offset in the padded input and its output offset. */
    private int[] inOffsets = new int[0];

    private int[] outOffsets = new int[0];
    private int layoutKey = -1;

    /**
     * Whether Winograd computes this convolution exactly: a 3x3 filter, stride 1, no dilation, and output-transform
     * sums that fit in int32 for weights of magnitude at most {@code maxAbsWeight}.
     */
    static boolean applies(OpOptions.Conv2D o, int filterH, int filterW, int inChannels, int maxAbsWeight) {
        return filterH == 3
                && filterW == 3
                && o.strideH() == 1
                && o.strideW() == 1
                && o.dilationH() == 1
                && o.dilationW() == 1
                && fitsInt(inChannels, 9 * Math.max(1, maxAbsWeight));
    }

    /**
     * Whether Winograd is faster than the direct kernels for an input of {@code pixels} pixels per image (measured,
     * one thread, one JVM): its transforms cost per channel what its products save per channel pair, so it wins from
     * 32 input channels on (0.55-0.7x the time from 32 to 256 channels on 8x8 to 32x32 maps), breaks even at 16 and
     * loses below; on maps of a few tiles, the tiles recomputed to fill a register block and the longer exact blocks of
     * many channels cost more than they save (2x2 at 64 channels, 4x4 at 128). {@code -Dquanta.winograd=false} turns
     * it off, to compare or time the direct kernels.
     */
    static boolean pays(int inChannels, int outChannels, int pixels) {
        return !"false".equals(System.getProperty("quanta.winograd"))
                && inChannels >= 32
                && outChannels >= 16
                && pixels >= 16 * Math.max(1, inChannels / 64);
    }

    /** Whether the output transform's sums (9 position sums of Cin products of |V| and |U|) fit in int32. */
    static boolean fitsInt(int inChannels, int maxAbsU) {
        return 9L * inChannels * MAX_ABS_V * maxAbsU < Integer.MAX_VALUE;
    }

    /**
     * Winograd for weights {@code w[c][ky][kx][ci]} and the window (bound at each call by the caller), with the
     * unfolded requantization {@code q}; the SIMD products and transforms unless {@code loops} is the scalar one.
     */
    WinogradConv(SlidingWindow g, int[] w, int outChannels, ConvQuant q, FloatLoops loops) {
        window = g;
        inChannels = g.channels;
        this.outChannels = outChannels;
        quant = q.withInputOffsetFolded(w, 9 * inChannels);
        int[][] u = filterTransform(w, outChannels, inChannels);
        boolean simd = loops != FloatLoops.scalar();
        int s = -1;
        for (int p = 0; p < POSITIONS; p++) {
            gemms[p] = PositionGemm.create(u[p], outChannels, inChannels, loops, simd);
            s = gemms[p].stride();
        }
        stride = s;
        transforms = WinogradTransforms.create(simd);
        chunk = Math.max(MIN_ROWS, CHUNK_FLOATS / (POSITIONS * inChannels));
    }

    /**
     * {@code U = G' g G'^T} per output channel c and input channel ci, as {@code u[p][c * inChannels + ci]} for
     * position p = 4 * row + column.
     */
    static int[][] filterTransform(int[] w, int outChannels, int inChannels) {
        int[][] u = new int[POSITIONS][outChannels * inChannels];
        int[] gw = new int[9];
        for (int c = 0; c < outChannels; c++) {
            for (int ci = 0; ci < inChannels; ci++) {
                for (int k = 0; k < 9; k++) {
                    gw[k] = w[(c * 9 + k) * inChannels + ci];
                }
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        int sum = 0;
                        for (int a = 0; a < 3; a++) {
                            for (int b = 0; b < 3; b++) {
                                sum += G[i][a] * gw[a * 3 + b] * G[j][b];
                            }
                        }
                        u[i * 4 + j][c * inChannels + ci] = sum;
                    }
                }
            }
        }
        return u;
    }

    /**
     * Convolves the input into y (already sized), the window being bound to it; false, having done nothing, when
     * the output is narrower or shorter than a tile.
     */
    boolean invoke(TensorValue input, byte[] y) {
        SlidingWindow g = window;
        if (g.outH < 2 || g.outW < 2) {
            return false;
        }
        int c = inChannels;
        int n = outChannels;
        float[] x = padded.fill(g, input, -quant.inputOffset(), c);
        int tiles = layout(g);
        int pixels = g.outH * g.outW;
        ensure(pixels * n);
        for (int b = 0; b < g.batches; b++) {
            int xBase = b * padded.height * padded.width * c;
            for (int t0 = 0; t0 < tiles; t0 += chunk) {
                int count = Math.min(chunk, tiles - t0);
                if (count < MIN_ROWS) { // a short last chunk: start it earlier, recomputing a few tiles
                    t0 = tiles - MIN_ROWS;
                    count = MIN_ROWS;
                }
                transforms.input(x, xBase, padded.width * c, c, inOffsets, t0, count, v);
                for (int p = 0; p < POSITIONS; p++) {
                    gemms[p].multiply(v, p * plane(count * c), count, scratch, sums, p * plane(count * stride));
                }
                transforms.output(sums, stride, count, n, outOffsets, t0, g.outW * n, acc);
            }
            quant.storeRows(acc, pixels, y, b * pixels * n, true);
        }
        return true;
    }

    /**
     * The distance between two positions' planes of {@code size} values in the chunk's buffers: a cache line more
     * than the plane, so that the 16 planes a transform reads or writes together do not all map to the same L1 set
     * (sizes are often multiples of 4 KiB, which made the transforms 3-4 times slower).
     */
    static int plane(int size) {
        return size + 16;
    }

    /** The tiles' offsets for the bound shape (recomputed when it changes); returns the number of tiles. */
    private int layout(SlidingWindow g) {
        int tilesH = (g.outH + 1) / 2;
        int tilesW = (g.outW + 1) / 2;
        // At least MIN_ROWS entries: copies of the last tile (the same sums, written again) fill a small image's.
        int tiles = Math.max(MIN_ROWS, tilesH * tilesW);
        int key = (g.outH * 65536 + g.outW) * 31 + padded.width;
        if (key != layoutKey) {
            layoutKey = key;
            inOffsets = new int[tiles];
            outOffsets = new int[tiles];
            for (int t = 0; t < tiles; t++) {
                int real = Math.min(t, tilesH * tilesW - 1);
                int oy = Math.min(2 * (real / tilesW), g.outH - 2);
                int ox = Math.min(2 * (real % tilesW), g.outW - 2);
                inOffsets[t] = (oy * padded.width + ox) * inChannels;
                outOffsets[t] = (oy * g.outW + ox) * outChannels;
            }
        }
        return tiles;
    }

    private void ensure(int accSize) {
        if (acc.length < accSize) {
            acc = new int[accSize];
        }
        if (v.length < POSITIONS * plane(chunk * inChannels)) {
            v = new float[POSITIONS * plane(chunk * inChannels)];
            scratch = new float[chunk * stride];
            sums = new int[POSITIONS * plane(chunk * stride)];
        }
    }

    /**
     * One position's exact products: {@code sums[off + i * stride() + c] = sum_k v[vOff + i * Cin + k] * U[c][k]}
     * for the chunk's tiles i and output channels c.
     */
    private interface PositionGemm {
        void multiply(float[] v, int vOff, int rows, float[] scratch, int[] sums, int off);

        int stride();

        /**
         * Direct tiles ({@link ConvTiles}) over blocks of input channels short enough for exact float sums, or
         * else the exact matrix product on the float loops ({@link ExactGemm}).
         */
        static PositionGemm create(int[] u, int n, int depth, FloatLoops loops, boolean simd) {
            int maxAbsU = 1;
            for (int x : u) {
                maxAbsU = Math.max(maxAbsU, Math.abs(x));
            }
            int block = Math.max(1, ExactGemm.EXACT / (MAX_ABS_V * maxAbsU));
            int blocks = (depth + block - 1) / block;
            block = (depth + blocks - 1) / blocks; // even blocks
            ConvTiles[] tiles = new ConvTiles[blocks];
            for (int b = 0; simd && b < blocks; b++) {
                int k0 = b * block;
                int k1 = Math.min(depth, k0 + block);
                int[] part = new int[n * (k1 - k0)];
                for (int c = 0; c < n; c++) {
                    System.arraycopy(u, c * depth + k0, part, c * (k1 - k0), k1 - k0);
                }
                tiles[b] = ConvTiles.create(part, n, k1 - k0);
                if (tiles[b] == null) {
                    simd = false;
                }
            }
            if (!simd) {
                ExactGemm gemm = new ExactGemm(u, n, depth, MAX_ABS_V, loops);
                return new PositionGemm() {
                    @Override
                    public void multiply(float[] v, int vOff, int rows, float[] scratch, int[] sums, int off) {
                        gemm.multiply(v, vOff, depth, rows, scratch, sums, off);
                    }

                    @Override
                    public int stride() {
                        return n;
                    }
                };
            }
            int[] identity = new int[block];
            for (int k = 0; k < block; k++) {
                identity[k] = k;
            }
            int np = tiles[0].paddedChannels();
            int step = block;
            return new PositionGemm() {
                @Override
                public void multiply(float[] v, int vOff, int rows, float[] scratch, int[] sums, int off) {
                    for (int b = 0; b < tiles.length; b++) {
                        tiles[b].rows(v, vOff + b * step, 0, 1, depth, rows, identity, scratch);
                        ExactGemm.toInts(scratch, 0, rows * np, sums, off, b > 0);
                    }
                }

                @Override
                public int stride() {
                    return np;
                }
            };
        }
    }
}
