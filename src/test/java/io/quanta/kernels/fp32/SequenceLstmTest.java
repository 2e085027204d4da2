package io.quanta.kernels.fp32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.interp.Interpreter;
import io.quanta.testing.TestGraph;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceLstmTest {
    static final int IN = 3, CELL = 4, BATCH = 2, STEPS = 5;

    /** Random LSTM parameters; each optional group on or off. */
    static final class Params {
        final int out;
        final boolean cifg, peephole, layerNorm, projection;
        final float cellClip, projClip;
        final float[][][] w = new float[4][][]; // gate -> [cell][in]
        final float[][][] r = new float[4][][]; // gate -> [cell][out]
        final float[][] bias = new float[4][], peep = new float[4][], ln = new float[4][];
        float[][] proj;
        float[] projBias;

        Params(
                long seed,
                boolean cifg,
                boolean peephole,
                boolean layerNorm,
                boolean projection,
                float cellClip,
                float projClip) {
            Random rnd = new Random(seed);
            this.cifg = cifg;
            this.peephole = peephole;
            this.layerNorm = layerNorm;
            this.projection = projection;
            this.cellClip = cellClip;
            this.projClip = projClip;
            this.out = projection ? 3 : CELL;
            for (int g = 0; g < 4; g++) {
                w[g] = matrix(rnd, CELL, IN);
                r[g] = matrix(rnd, CELL, out);
                bias[g] = matrix(rnd, 1, CELL)[0];
                peep[g] = matrix(rnd, 1, CELL)[0];
                ln[g] = matrix(rnd, 1, CELL)[0];
            }
            proj = matrix(rnd, out, CELL);
            projBias = matrix(rnd, 1, out)[0];
        }

        static float[][] matrix(Random rnd, int rows, int cols) {
            float[][] m = new float[rows][cols];
            for (float[] row : m) {
                for (int c = 0; c < cols; c++) {
                    row[c] = (float) (rnd.nextGaussian() * 0.6);
                }
            }
            return m;
        }
    }

    static float[] flat(float[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
        }
        return f;
    }

    /** The TFLite 24-input layout, by hand. */
    static TestGraph graph(Params p, boolean timeMajor) {
        TestGraph g = new TestGraph();
        int x = g.input(DataType.FLOAT32, timeMajor ? new int[] {STEPS, BATCH, IN} : new int[] {BATCH, STEPS, IN});
        int[] in = new int[24];
        java.util.Arrays.fill(in, -1);
        in[0] = x;
        for (int gate = 0; gate < 4; gate++) {
            if (gate == 0 && p.cifg) {
                continue;
            }
            in[1 + gate] = g.constFloats(new int[] {CELL, IN}, flat(p.w[gate]));
            in[5 + gate] = g.constFloats(new int[] {CELL, p.out}, flat(p.r[gate]));
            in[12 + gate] = g.constFloats(new int[] {CELL}, p.bias[gate]);
            if (p.layerNorm) {
                in[20 + gate] = g.constFloats(new int[] {CELL}, p.ln[gate]);
            }
        }
        if (p.peephole) {
            if (!p.cifg) {
                in[9] = g.constFloats(new int[] {CELL}, p.peep[0]);
            }
            in[10] = g.constFloats(new int[] {CELL}, p.peep[1]);
            in[11] = g.constFloats(new int[] {CELL}, p.peep[3]);
        }
        if (p.projection) {
            in[16] = g.constFloats(new int[] {p.out, CELL}, flat(p.proj));
            in[17] = g.constFloats(new int[] {p.out}, p.projBias);
        }
        in[18] = g.temp(DataType.FLOAT32, BATCH, p.out);
        in[19] = g.temp(DataType.FLOAT32, BATCH, CELL);
        g.tensors.get(in[18]).variable(true);
        g.tensors.get(in[19]).variable(true);
        int y = g.output(
                DataType.FLOAT32, timeMajor ? new int[] {STEPS, BATCH, p.out} : new int[] {BATCH, STEPS, p.out});
        g.op(
                OpType.UNIDIRECTIONAL_SEQUENCE_LSTM,
                new OpOptions.SequenceLstm(Activation.TANH, p.cellClip, p.projClip, timeMajor, false, false),
                in,
                y);
        return g;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    static double clip(double v, float limit) {
        return limit > 0 ? Math.max(-limit, Math.min(limit, v)) : v;
    }

    /** A straightforward double-precision LSTM over one sequence [STEPS][IN] starting from zero state. */
    static double[][] reference(Params p, double[][] seq, double[] h, double[] c) {
        double[][] outs = new double[seq.length][];
        for (int t = 0; t < seq.length; t++) {
            double[][] gate = new double[4][CELL];
            for (int gi : new int[] {0, 1, 2}) {
                if (gi == 0 && p.cifg) {
                    continue;
                }
                gate[gi] = preActivation(p, gi, seq[t], h, c);
            }
            double[] cNew = new double[CELL];
            for (int k = 0; k < CELL; k++) {
                double f = sigmoid(gate[1][k]);
                double i = p.cifg ? 1 - f : sigmoid(gate[0][k]);
                cNew[k] = clip(f * c[k] + i * Math.tanh(gate[2][k]), p.cellClip);
            }
            System.arraycopy(cNew, 0, c, 0, CELL);
            double[] o = preActivation(p, 3, seq[t], h, c);
            double[] hidden = new double[CELL];
            for (int k = 0; k < CELL; k++) {
                hidden[k] = sigmoid(o[k]) * Math.tanh(c[k]);
            }
            double[] hNew = new double[p.out];
            for (int j = 0; j < p.out; j++) {
                if (p.projection) {
                    double v = p.projBias[j];
                    for (int k = 0; k < CELL; k++) {
                        v += p.proj[j][k] * hidden[k];
                    }
                    hNew[j] = clip(v, p.projClip);
                } else {
                    hNew[j] = hidden[j];
                }
            }
            System.arraycopy(hNew, 0, h, 0, p.out);
            outs[t] = hNew;
        }
        return outs;
    }

    static double[] preActivation(Params p, int g, double[] x, double[] h, double[] c) {
        double[] v = new double[CELL];
        for (int k = 0; k < CELL; k++) {
            double s = 0;
            for (int j = 0; j < IN; j++) {
                s += p.w[g][k][j] * x[j];
            }
            for (int j = 0; j < p.out; j++) {
                s += p.r[g][k][j] * h[j];
            }
            if (p.peephole && g != 2) {
                s += p.peep[g][k] * c[k];
            }
            v[k] = s;
        }
        if (p.layerNorm) {
            double mean = 0;
            for (double e : v) {
                mean += e / CELL;
            }
            double var = 0;
            for (double e : v) {
                var += (e - mean) * (e - mean) / CELL;
            }
            for (int k = 0; k < CELL; k++) {
                v[k] = (v[k] - mean) / Math.sqrt(var + 1e-8) * p.ln[g][k];
            }
        }
        for (int k = 0; k < CELL; k++) {
            v[k] += p.bias[g][k];
        }
        return v;
    }

    /** Runs our kernel twice (state carries over), then once more after a reset, against the reference. */
    static void check(Params p, boolean timeMajor) {
        Random rnd = new Random(99);
        double[][][] seq = new double[BATCH][STEPS][IN];
        for (double[][] s : seq) {
            for (double[] v : s) {
                for (int j = 0; j < IN; j++) {
                    v[j] = rnd.nextGaussian();
                }
            }
        }
        Interpreter it = graph(p, timeMajor).interpreter();
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int j = 0; j < IN; j++) {
                    int row = timeMajor ? t * BATCH + b : b * STEPS + t;
                    it.input(0).f[row * IN + j] = (float) seq[b][t][j];
                }
            }
        }
        double[][] h = new double[BATCH][p.out];
        double[][] c = new double[BATCH][CELL];
        for (int round = 0; round < 3; round++) {
            if (round == 2) {
                it.resetVariables();
                h = new double[BATCH][p.out];
                c = new double[BATCH][CELL];
            }
            it.invoke();
            for (int b = 0; b < BATCH; b++) {
                double[][] expected = reference(p, seq[b], h[b], c[b]);
                for (int t = 0; t < STEPS; t++) {
                    for (int j = 0; j < p.out; j++) {
                        int row = timeMajor ? t * BATCH + b : b * STEPS + t;
                        assertEquals(
                                expected[t][j],
                                it.output(0).f[row * p.out + j],
                                2e-5,
                                "round " + round + " batch " + b + " step " + t + " unit " + j);
                    }
                }
            }
        }
        assertArrayEquals(
                timeMajor ? new int[] {STEPS, BATCH, p.out} : new int[] {BATCH, STEPS, p.out},
                it.output(0).shape());
    }

    @Test
    void plainLstmTimeMajorCarriesStateAcrossInvocations() {
        check(new Params(1, false, false, false, false, 0, 0), true);
    }

    @Test
    void batchMajorWithPeepholesAndCellClip() {
        check(new Params(2, false, true, false, false, 0.8f, 0), false);
    }

    @Test
    void cifgWithProjectionAndClip() {
        check(new Params(3, true, true, false, true, 0, 0.5f), true);
    }

    @Test
    void layerNormLstm() {
        check(new Params(4, false, true, true, true, 1.5f, 0), false);
    }

    @Test
    void hybridInt8WeightsAreRefusedWithTheOpAndTensorNamed() {
        TestGraph g = graph(new Params(5, false, false, false, false, 0, 0), true);
        io.quanta.graph.Tensor w = g.tensors.get(1);
        w.type(DataType.INT8).data(new byte[CELL * IN]).quant(io.quanta.graph.QuantParams.perTensor(0.1f, 0));
        io.quanta.kernels.UnsupportedOpException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.quanta.kernels.UnsupportedOpException.class, g::interpreter);
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().contains("UNIDIRECTIONAL_SEQUENCE_LSTM (node 0)")
                        && e.getMessage().contains("hybrid"),
                e.getMessage());
    }
}
