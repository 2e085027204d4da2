package io.quanta.quantize.recipes;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-layer equalization (Nagel et al. 2019, "Data-Free Quantization through Weight Equalization and Bias
 * Correction", section 4.1). For two consecutive layers y = W2 f(W1 x + b1) + b2 with a positive-homogeneous f
 * (f(s x) = s f(x) for s > 0: identity or ReLU), dividing output channel i of layer 1 (weights and bias) by s_i and
 * multiplying input channel i of layer 2 by s_i leaves the function unchanged. With r1_i the range (max |w|) of
 * output channel i of W1 and r2_i that of input channel i of W2, s_i = sqrt(r1_i r2_i) / r2_i makes both ranges
 * sqrt(r1_i r2_i), so that per-tensor scales waste less of the int8 grid on channels with small weights. Chains
 * (conv, depthwise, conv, ...) are swept pair by pair until the scales stop moving.
 *
 * <p>ReLU6 is not positive-homogeneous (s relu6(x / s) clips at 6 s, not 6), so a pair joined by a fused ReLU6 is
 * skipped and reported, never equalized: replacing ReLU6 by ReLU, as AIMET does, would change the float function.
 * Between the two layers only ops that commute with a positive per-channel scale may sit: RELU, MAX_POOL_2D,
 * AVERAGE_POOL_2D (no fused clamp but ReLU) and RESHAPE/SQUEEZE that keep the channel (last) dimension. Every
 * intermediate tensor must feed only the next op and not be a model output, and the weights and bias must be float32
 * constants used by that op alone.
 */
public final class Equalization {
    private Equalization() {}

    /** Sweeps stop when every scale of a sweep is within this factor of 1, or after {@link #MAX_SWEEPS}. */
    static final double CONVERGED = 1e-3;

    static final int MAX_SWEEPS = 1000;

    /**
     * A channel whose range is below this fraction of its layer's largest is dead (left at scale 1): balancing it
     * would take a scale of sqrt(1/DEAD) or more and push the live side's values towards float underflow.
     */
    static final double DEAD = 1e-6;

    /** Two layers equalized together: op indices, and how many channels they share. */
    public record Pair(int first, String firstType, int second, String secondType, int channels) {
        public String describe() {
            return "#" + first + " " + firstType + " -> #" + second + " " + secondType + " (" + channels + " channels)";
        }
    }

    /**
     * The equalized model and what was done.
     *
     * @param pairs       the pairs equalized
     * @param sweeps      sweeps over the pairs until the scales converged
     * @param skipped     consecutive layers not equalized, with the reason, e.g. "#0 CONV_2D -> #1 DEPTHWISE_CONV_2D:
     *                    fused RELU6 is not positive-homogeneous"
     * @param minScale    smallest overall channel scale applied (the product over sweeps)
     * @param maxScale    largest overall channel scale applied
     */
    public record Result(
            Model model, List<Pair> pairs, int sweeps, List<String> skipped, double minScale, double maxScale) {}

    /** A model with no pair to equalize: the flag would be a silent no-op, so it is refused. */
    public static final class NothingToEqualizeException extends IllegalArgumentException {
        NothingToEqualizeException(String message) {
            super(message);
        }
    }

    /** The main subgraph of {@code model} equalized; the input model is not modified. */
    public static Result equalize(Model model) {
        Model out = model.copy();
        Subgraph g = out.mainGraph();
        List<String> skipped = new ArrayList<>();
        List<Pair> pairs = findPairs(g, skipped);
        if (pairs.isEmpty()) {
            throw new NothingToEqualizeException("equalize: no equalizable pair of consecutive CONV_2D, "
                    + "DEPTHWISE_CONV_2D or FULLY_CONNECTED layers in the model"
                    + (skipped.isEmpty() ? "" : " (" + summarize(skipped) + ")"));
        }
        Map<Integer, float[]> weights = new LinkedHashMap<>();
        Map<Integer, float[]> biases = new LinkedHashMap<>();
        for (Pair p : pairs) {
            for (int op : new int[] {p.first(), p.second()}) {
                Operator o = g.operators().get(op);
                weights.computeIfAbsent(
                        op, k -> TensorData.floats(g.tensor(o.input(1)).data()));
                if (o.input(2) >= 0) {
                    biases.computeIfAbsent(
                            op, k -> TensorData.floats(g.tensor(o.input(2)).data()));
                }
            }
        }
        double[][] total = new double[pairs.size()][];
        for (int k = 0; k < pairs.size(); k++) {
            total[k] = new double[pairs.get(k).channels()];
            java.util.Arrays.fill(total[k], 1.0);
        }
        int sweeps = 0;
        boolean moved = true;
        while (moved && sweeps < MAX_SWEEPS) {
            moved = false;
            sweeps++;
            for (int k = 0; k < pairs.size(); k++) {
                Pair p = pairs.get(k);
                Layer a = Layer.of(g, g.operators().get(p.first()));
                Layer b = Layer.of(g, g.operators().get(p.second()));
                float[] w1 = weights.get(p.first());
                float[] w2 = weights.get(p.second());
                double[] r1 = a.outputRanges(w1);
                double[] r2 = b.inputRanges(w2);
                double[] s = scales(r1, r2);
                for (int c = 0; c < s.length; c++) {
                    if (Math.abs(s[c] - 1) > CONVERGED) moved = true;
                    total[k][c] *= s[c];
                }
                a.scaleOutputs(w1, biases.get(p.first()), s);
                b.scaleInputs(w2, s);
            }
        }
        for (Map.Entry<Integer, float[]> e : weights.entrySet()) {
            Operator o = g.operators().get(e.getKey());
            g.tensor(o.input(1)).data(TensorData.of(e.getValue()));
        }
        for (Map.Entry<Integer, float[]> e : biases.entrySet()) {
            Operator o = g.operators().get(e.getKey());
            g.tensor(o.input(2)).data(TensorData.of(e.getValue()));
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] t : total) {
            for (double v : t) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new Result(out, pairs, sweeps, skipped, lo, hi);
    }

    /**
     * s_i = sqrt(r1_i r2_i) / r2_i, so that both ranges become sqrt(r1_i r2_i); 1 for a channel that is dead on
     * either side (nothing to balance).
     */
    static double[] scales(double[] r1, double[] r2) {
        double dead1 = DEAD * max(r1);
        double dead2 = DEAD * max(r2);
        double[] s = new double[r1.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = r1[c] > dead1 && r2[c] > dead2 ? Math.sqrt(r1[c] * r2[c]) / r2[c] : 1.0;
        }
        return s;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    /** The pairs of {@code g}, in op order; what stops other consecutive layers goes into {@code skipped}. */
    static List<Pair> findPairs(Subgraph g, List<String> skipped) {
        List<Operator> ops = g.operators();
        int n = g.tensors().size();
        int[] consumers = new int[n];
        int[] consumer = new int[n];
        java.util.Arrays.fill(consumer, -1);
        for (int i = 0; i < ops.size(); i++) {
            for (int t : ops.get(i).inputs()) {
                if (t >= 0) {
                    consumers[t]++;
                    consumer[t] = i;
                }
            }
        }
        boolean[] graphOutput = new boolean[n];
        for (int t : g.outputs()) graphOutput[t] = true;
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operator first = ops.get(i);
            if (Layer.of(g, first) == null) continue;
            int t = first.output(0);
            int next = -1;
            String blocked = null;
            while (true) {
                if (graphOutput[t] || consumers[t] != 1) break; // the value is seen elsewhere: its scale must stay
                int j = consumer[t];
                Operator op = ops.get(j);
                if (Layer.of(g, op) != null && op.input(0) == t) {
                    next = j;
                    break;
                }
                String why = passThroughProblem(g, op, t);
                if (why != null) {
                    blocked = why;
                    next = Layer.of(g, op) != null ? j : -1;
                    break;
                }
                t = op.output(0);
            }
            if (next < 0) continue;
            Operator second = ops.get(next);
            String what = "#" + i + " " + first.displayName() + " -> #" + next + " " + second.displayName();
            Activation act = Layer.activationOf(first);
            if (act != Activation.NONE && act != Activation.RELU) {
                skipped.add(what + ": fused " + act + " is not positive-homogeneous");
                continue;
            }
            if (blocked != null) {
                skipped.add(what + ": " + blocked);
                continue;
            }
            String problem = pairProblem(g, first, second, consumers);
            if (problem != null) {
                skipped.add(what + ": " + problem);
                continue;
            }
            pairs.add(new Pair(
                    i,
                    first.displayName(),
                    next,
                    second.displayName(),
                    Layer.of(g, first).outChannels()));
        }
        return pairs;
    }

    /** Why the value cannot be scaled per channel through {@code op}, or null when it can. */
    private static String passThroughProblem(Subgraph g, Operator op, int t) {
        if (op.input(0) != t) return op.displayName() + " takes it as a second operand";
        int[] in = g.tensor(t).shape();
        int[] out = g.tensor(op.output(0)).shape();
        return switch (op.type()) {
            case RELU -> null;
            case MAX_POOL_2D, AVERAGE_POOL_2D -> {
                Activation a = op.options(OpOptions.Pool2D.class).activation();
                yield a == Activation.NONE || a == Activation.RELU
                        ? null
                        : op.displayName() + " has fused " + a + ", not positive-homogeneous";
            }
            case RESHAPE, SQUEEZE ->
                in.length > 0 && out.length > 0 && in[in.length - 1] == out[out.length - 1]
                        ? null
                        : op.displayName() + " moves the channel dimension";
            default -> op.displayName() + " does not commute with a per-channel scale";
        };
    }

    /** Why the two layers cannot be equalized (shared or non-float constants, channel mismatch), or null. */
    private static String pairProblem(Subgraph g, Operator first, Operator second, int[] consumers) {
        for (Operator op : new Operator[] {first, second}) {
            for (int k = 1; k <= 2; k++) {
                int t = op.input(k);
                if (t < 0) continue;
                Tensor c = g.tensor(t);
                if (!c.isConstant() || c.type() != DataType.FLOAT32) {
                    return (k == 1 ? "weights" : "bias") + " of " + op.displayName() + " are not a float32 constant";
                }
                if (consumers[t] != 1) {
                    return (k == 1 ? "weights" : "bias") + " '" + c.name() + "' are shared with another op";
                }
            }
        }
        Layer a = Layer.of(g, first);
        Layer b = Layer.of(g, second);
        if (a.outChannels() != b.inChannels()) {
            return first.displayName() + " gives " + a.outChannels() + " channels but " + second.displayName()
                    + " takes " + b.inChannels();
        }
        return null;
    }

    private static String summarize(List<String> skipped) {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (String s : skipped) {
            reasons.merge(s.substring(s.indexOf(": ") + 2), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        reasons.forEach((why, count) -> parts.add(count + " pair(s) skipped: " + why));
        return String.join("; ", parts);
    }

    /**
     * The weight layout of one affine layer: CONV_2D [O,H,W,I], DEPTHWISE_CONV_2D [1,H,W,I*M] (output channel
     * c = i*M + m reads input channel i), FULLY_CONNECTED [O,I].
     */
    record Layer(OpType type, int[] shape, int inputChannels) {

        /** The layer of an op with float32 constant weights of the expected rank, or null for any other op. */
        static Layer of(Subgraph g, Operator op) {
            if (op.type() != OpType.CONV_2D
                    && op.type() != OpType.DEPTHWISE_CONV_2D
                    && op.type() != OpType.FULLY_CONNECTED) {
                return null;
            }
            int w = op.input(1);
            if (w < 0
                    || op.input(0) < 0
                    || !g.tensor(w).isConstant()
                    || g.tensor(w).type() != DataType.FLOAT32) {
                return null;
            }
            int[] shape = g.tensor(w).shape();
            if (shape.length != (op.type() == OpType.FULLY_CONNECTED ? 2 : 4)) return null;
            if (op.options() instanceof OpOptions.FullyConnected fc && fc.weightsFormat() != 0) return null;
            int[] in = g.tensor(op.input(0)).shape();
            int inputChannels = in.length == 0 ? -1 : in[in.length - 1];
            if (op.type() == OpType.DEPTHWISE_CONV_2D && (inputChannels <= 0 || shape[3] % inputChannels != 0)) {
                return null;
            }
            if (op.type() == OpType.CONV_2D && shape[3] != inputChannels) return null; // grouped convolution
            return new Layer(op.type(), shape, inputChannels);
        }

        static Activation activationOf(Operator op) {
            if (op.options() instanceof OpOptions.Conv2D c) return c.activation();
            if (op.options() instanceof OpOptions.DepthwiseConv2D d) return d.activation();
            if (op.options() instanceof OpOptions.FullyConnected f) return f.activation();
            return Activation.NONE;
        }

        int outChannels() {
            return type == OpType.DEPTHWISE_CONV_2D ? shape[3] : shape[0];
        }

        int inChannels() {
            return switch (type) {
                case DEPTHWISE_CONV_2D -> inputChannels;
                case CONV_2D -> shape[3];
                default -> shape[1];
            };
        }

        private int last() {
            return shape[shape.length - 1];
        }

        /** The output channel weight k belongs to. */
        int outChannelOf(int k) {
            return type == OpType.DEPTHWISE_CONV_2D ? k % last() : k / (int) (sizeOf() / shape[0]);
        }

        /** The input channel weight k reads. */
        int inChannelOf(int k) {
            return type == OpType.DEPTHWISE_CONV_2D ? (k % last()) / (last() / inputChannels) : k % last();
        }

        private long sizeOf() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        double[] outputRanges(float[] w) {
            double[] r = new double[outChannels()];
            for (int k = 0; k < w.length; k++) {
                int c = outChannelOf(k);
                r[c] = Math.max(r[c], Math.abs(w[k]));
            }
            return r;
        }

        double[] inputRanges(float[] w) {
            double[] r = new double[inChannels()];
            for (int k = 0; k < w.length; k++) {
                int c = inChannelOf(k);
                r[c] = Math.max(r[c], Math.abs(w[k]));
            }
            return r;
        }

        /** Output channel c divided by s[c], bias included. */
        void scaleOutputs(float[] w, float[] bias, double[] s) {
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (w[k] / s[outChannelOf(k)]);
            }
            if (bias != null) {
                for (int c = 0; c < bias.length; c++) {
                    bias[c] = (float) (bias[c] / s[c]);
                }
            }
        }

        /** Input channel c multiplied by s[c]. */
        void scaleInputs(float[] w, double[] s) {
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (w[k] * s[inChannelOf(k)]);
            }
        }
    }
}
