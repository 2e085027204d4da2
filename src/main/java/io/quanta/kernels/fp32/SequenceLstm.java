package io.quanta.kernels.fp32;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM in float, following TFLite's 24-input layout: input; input-to-gate weights
 * (input, forget, cell, output); recurrent-to-gate weights (same order); optional peepholes (input, forget,
 * output); gate biases; optional projection weights and bias; output-state and cell-state variables;
 * optional layer-norm weights. A missing input gate means CIFG (input gate = 1 - forget gate). The states
 * live in the variable tensors, so they carry over between invocations until the interpreter resets them.
 *
 * <p>Per step, each gate is bias + W x + R h (+ peephole * c), or with layer norm
 * normalize(W x + R h + p c) * ln + bias, then sigmoid (the cell gate uses the fused activation);
 * c = f c + i g, clipped; the output gate's peephole sees the new c; h = o * act(c), projected and clipped.
 */
final class SequenceLstm implements Kernel {
    static final int INPUT = 0, OUTPUT_STATE = 18, CELL_STATE = 19;
    private static final int INPUT_GATE = 0, FORGET_GATE = 1, CELL_GATE = 2, OUTPUT_GATE = 3;

    private final OpContext ctx;
    private final int nInput, nCell, nOutput;
    private final boolean cifg, timeMajor;
    private final float cellClip, projClip;
    private final Activation activation;
    private final float[][] inputWeights = new float[4][];
    private final float[][] recurrentWeights = new float[4][];
    private final float[][] peephole = new float[4][];
    private final float[][] bias = new float[4][];
    private final float[][] layerNorm = new float[4][];
    private final float[] projection, projectionBias;
    private float[][] gates = new float[4][0];
    private float[] hidden = new float[0];

    private SequenceLstm(OpContext ctx) {
        this.ctx = ctx;
        OpOptions.SequenceLstm o = ctx.options(OpOptions.SequenceLstm.class);
        if (o.diagonalRecurrentTensors()) {
            throw ctx.fail("diagonal recurrent weights are not supported");
        }
        activation = o.activation() == null ? Activation.NONE : o.activation();
        if (activation == Activation.SIGN_BIT) {
            throw ctx.fail("fused activation " + activation + " is not supported");
        }
        cellClip = o.cellClip();
        projClip = o.projClip();
        timeMajor = o.timeMajor();
        Tensor input = ctx.input(INPUT);
        if (input.type() != DataType.FLOAT32 || ctx.output(0).type() != DataType.FLOAT32) {
            throw ctx.fail("only float32 input and output are supported, found " + OpChecks.describe(input));
        }
        if (input.rank() != 3) {
            throw ctx.fail("input " + OpChecks.describe(input) + " must have rank 3");
        }
        nInput = input.dim(2);
        Tensor forgetWeights = ctx.input(2);
        Tensor forgetRecurrent = ctx.input(6);
        nCell = forgetWeights.dim(0);
        nOutput = forgetRecurrent.dim(1);
        cifg = !ctx.hasInput(1);
        for (int g = 0; g < 4; g++) {
            if (g == INPUT_GATE && cifg) {
                continue;
            }
            inputWeights[g] = weights(1 + g, nCell, nInput);
            recurrentWeights[g] = weights(5 + g, nCell, nOutput);
            bias[g] = weights(12 + g, nCell);
            if (g != CELL_GATE) {
                int peep = g == OUTPUT_GATE ? 11 : 9 + g;
                peephole[g] = ctx.hasInput(peep) ? weights(peep, nCell) : null;
            }
            int ln = 20 + g;
            layerNorm[g] = ctx.inputCount() > ln && ctx.hasInput(ln) ? weights(ln, nCell) : null;
        }
        boolean hasProjection = ctx.hasInput(16);
        projection = hasProjection ? weights(16, nOutput, nCell) : null;
        projectionBias = hasProjection && ctx.hasInput(17) ? weights(17, nOutput) : null;
        if (!hasProjection && nOutput != nCell) {
            throw ctx.fail("without projection the output size " + nOutput + " must equal the cell size " + nCell);
        }
        for (int s : new int[] {OUTPUT_STATE, CELL_STATE}) {
            if (ctx.input(s).type() != DataType.FLOAT32) {
                throw ctx.fail("state " + OpChecks.describe(ctx.input(s)) + " must be float32");
            }
        }
    }

    static Kernel create(OpContext ctx) {
        return new SequenceLstm(ctx);
    }

    /** A constant float weight tensor of the expected shape (rows x cols, or a vector). */
    private float[] weights(int index, int... shape) {
        Tensor t = ctx.input(index);
        if (t.type() != DataType.FLOAT32 && t.type() != DataType.FLOAT16) {
            throw ctx.fail("input " + index + " " + OpChecks.describe(t)
                    + " must be float (hybrid int8 weights are not supported)");
        }
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw ctx.fail("input " + index + " " + OpChecks.describe(t) + " should have shape "
                    + java.util.Arrays.toString(shape));
        }
        return ctx.constFloats(index);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue x = in[INPUT];
        int steps = timeMajor ? x.dim(0) : x.dim(1);
        int batch = timeMajor ? x.dim(1) : x.dim(0);
        if (x.dim(2) != nInput) {
            throw OpChecks.runtime(ctx, "input has " + x.dim(2) + " features, the weights expect " + nInput);
        }
        TensorValue h = in[OUTPUT_STATE];
        TensorValue c = in[CELL_STATE];
        if (h.size() != batch * nOutput || c.size() != batch * nCell) {
            throw OpChecks.runtime(ctx, "states " + h + " and " + c + " do not fit batch " + batch);
        }
        out[0].resize(timeMajor ? new int[] {steps, batch, nOutput} : new int[] {batch, steps, nOutput});
        if (hidden.length < nCell) {
            hidden = new float[nCell];
            gates = new float[4][nCell];
        }
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = timeMajor ? t * batch + b : b * steps + t;
                step(x.f, row * nInput, h.f, b * nOutput, c.f, b * nCell);
                System.arraycopy(h.f, b * nOutput, out[0].f, row * nOutput, nOutput);
            }
        }
    }

    /** One time step of one batch entry: updates cell state c and output state h in place. */
    private void step(float[] x, int xOff, float[] h, int hOff, float[] c, int cOff) {
        for (int g = 0; g < 4; g++) {
            if (g == OUTPUT_GATE || (g == INPUT_GATE && cifg)) {
                continue; // the output gate needs the new cell state
            }
            gate(g, x, xOff, h, hOff, c, cOff);
        }
        float[] i = gates[INPUT_GATE];
        float[] f = gates[FORGET_GATE];
        float[] g = gates[CELL_GATE];
        for (int k = 0; k < nCell; k++) {
            float inputGate = cifg ? 1f - f[k] : i[k];
            float cell = f[k] * c[cOff + k] + g[k] * inputGate;
            c[cOff + k] = cellClip > 0 ? clip(cell, cellClip) : cell;
        }
        gate(OUTPUT_GATE, x, xOff, h, hOff, c, cOff);
        float[] o = gates[OUTPUT_GATE];
        for (int k = 0; k < nCell; k++) {
            hidden[k] = o[k] * activate(c[cOff + k]);
        }
        if (projection == null) {
            System.arraycopy(hidden, 0, h, hOff, nOutput);
            return;
        }
        for (int r = 0; r < nOutput; r++) {
            float v = (projectionBias == null ? 0f : projectionBias[r]) + dot(projection, r * nCell, hidden, 0, nCell);
            h[hOff + r] = projClip > 0 ? clip(v, projClip) : v;
        }
    }

    private void gate(int gate, float[] x, int xOff, float[] h, int hOff, float[] c, int cOff) {
        float[] out = gates[gate];
        float[] ln = layerNorm[gate];
        float[] p = peephole[gate];
        for (int k = 0; k < nCell; k++) {
            float v = ln == null ? bias[gate][k] : 0f;
            v += dot(inputWeights[gate], k * nInput, x, xOff, nInput);
            v += dot(recurrentWeights[gate], k * nOutput, h, hOff, nOutput);
            if (p != null) {
                v += p[k] * c[cOff + k];
            }
            out[k] = v;
        }
        if (ln != null) {
            normalize(out, nCell);
            for (int k = 0; k < nCell; k++) {
                out[k] = out[k] * ln[k] + bias[gate][k];
            }
        }
        for (int k = 0; k < nCell; k++) {
            out[k] = gate == CELL_GATE ? activate(out[k]) : sigmoid(out[k]);
        }
    }

    /** Zero mean, unit variance over the first n values (epsilon 1e-8, as TFLite's layer-norm LSTM). */
    private static void normalize(float[] v, int n) {
        float sum = 0f;
        for (int k = 0; k < n; k++) {
            sum += v[k];
        }
        float mean = sum / n;
        float squares = 0f;
        for (int k = 0; k < n; k++) {
            float d = v[k] - mean;
            squares += d * d;
        }
        float inv = 1f / (float) Math.sqrt(squares / n + 1e-8f);
        for (int k = 0; k < n; k++) {
            v[k] = (v[k] - mean) * inv;
        }
    }

    private static float dot(float[] w, int wOff, float[] v, int vOff, int n) {
        float acc = 0f;
        for (int k = 0; k < n; k++) {
            acc += w[wOff + k] * v[vOff + k];
        }
        return acc;
    }

    private float activate(float v) {
        return switch (activation) {
            case TANH -> (float) Math.tanh(v);
            case NONE -> v;
            default -> Math.min(Math.max(v, activation.floatMin()), activation.floatMax());
        };
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    private static float clip(float v, float limit) {
        return Math.min(Math.max(v, -limit), limit);
    }
}
