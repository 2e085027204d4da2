package io.quanta.quantize.recipes;

import io.quanta.data.Dataset;
import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import io.quanta.quantize.QuantizationResult;
import io.quanta.quantize.TensorReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Empirical bias correction (Nagel et al. 2019 section 4.2; NNCF's and AIMET's empirical variant): int8 weights
 * shift the expected output of a layer, E[W~x] - E[Wx], by a per-channel amount that a bias change cancels. For each
 * int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, in execution order, the float and the int8 model run over
 * the calibration samples; the mean of (float output - int8 output, dequantized) per output channel is added to
 * the int32 bias, rounded in the bias scale and saturated to int32. The layers are corrected sequentially: each is
 * measured with the corrections of the layers before it already in place, so that it also absorbs the shift they
 * leave (one pass over the samples per layer, each pass running only the ops up to that layer).
 *
 * <p>The fused activation hides the pre-activation error where it clamps, so the mean is taken over the elements
 * that neither model clamps (float output strictly inside the activation's range, int8 output strictly inside its
 * clamp and the int8 range): there the output is the pre-activation value, and a bias shift moves every element
 * alike. A channel without such elements keeps its bias.
 */
public final class BiasCorrection {
    private BiasCorrection() {}

    /**
     * One corrected layer.
     *
     * @param op                 op index in the quantized model
     * @param meanAbsErrorBefore mean over channels of |mean output error| before this layer's correction (with the
     *                           earlier layers corrected), in real units
     * @param meanAbsErrorAfter  the same once every layer is corrected
     * @param saturated          channels whose corrected bias hit the int32 limits
     */
    public record Layer(
            int op,
            String opType,
            String output,
            int channels,
            double meanAbsErrorBefore,
            double meanAbsErrorAfter,
            int saturated) {}

    /**
     * The corrected model and the record.
     *
     * @param skipped layers left alone, with the reason
     */
    public record Result(QuantizationResult result, List<Layer> layers, int samples, List<String> skipped) {
        /** Mean over layers of {@link Layer#meanAbsErrorBefore()}. */
        public double meanAbsErrorBefore() {
            return layers.stream()
                    .mapToDouble(Layer::meanAbsErrorBefore)
                    .average()
                    .orElse(0);
        }

        /** Mean over layers of {@link Layer#meanAbsErrorAfter()}. */
        public double meanAbsErrorAfter() {
            return layers.stream()
                    .mapToDouble(Layer::meanAbsErrorAfter)
                    .average()
                    .orElse(0);
        }
    }

    /** A layer to correct: its op, output and bias in the quantized graph, and the float tensor it carries. */
    private record Target(int op, int floatOp, int floatTensor, int output, int bias, Activation activation) {}

    /**
     * Corrects the biases of {@code quantized} (which is not modified). {@code floatSamples} and {@code quantSamples}
     * are the same samples prepared for each model's inputs.
     */
    public static Result correct(
            Subgraph floatGraph,
            KernelRegistry floatKernels,
            QuantizationResult quantized,
            KernelRegistry quantKernels,
            Dataset floatSamples,
            Dataset quantSamples) {
        if (floatSamples.size() != quantSamples.size() || floatSamples.size() == 0) {
            throw new IllegalArgumentException("bias correction needs the same non-empty samples for both models, got "
                    + floatSamples.size() + " and " + quantSamples.size());
        }
        Model model = quantized.model().copy();
        Subgraph qg = model.mainGraph();
        List<String> skipped = new ArrayList<>();
        List<Target> targets = targets(floatGraph, qg, quantized.tensors(), skipped);
        Interpreter floatRun = new Interpreter(floatGraph, floatKernels);
        double[] before = new double[targets.size()];
        int[] saturated = new int[targets.size()];
        for (int k = 0; k < targets.size(); k++) {
            Target t = targets.get(k);
            // The interpreter decodes (and kernels may pre-pack) constants once: a new one sees the biases so far.
            Interpreter quantRun = new Interpreter(qg, quantKernels);
            Accumulator acc = new Accumulator(qg, t);
            for (int s = 0; s < floatSamples.size(); s++) {
                run(floatRun, floatSamples, s, t.floatOp());
                run(quantRun, quantSamples, s, t.op());
                acc.add(floatRun.value(t.floatTensor()), quantRun.value(t.output()));
            }
            double[] error = acc.meanError();
            before[k] = meanAbs(error);
            saturated[k] = applyCorrection(qg.tensor(t.bias()), error);
        }
        // One more pass to measure what is left, every layer at once.
        Interpreter quantRun = new Interpreter(qg, quantKernels);
        List<Accumulator> after = new ArrayList<>();
        for (Target t : targets) after.add(new Accumulator(qg, t));
        for (int s = 0; s < floatSamples.size(); s++) {
            run(floatRun, floatSamples, s, floatGraph.operators().size() - 1);
            run(quantRun, quantSamples, s, qg.operators().size() - 1);
            for (int k = 0; k < targets.size(); k++) {
                Target t = targets.get(k);
                after.get(k).add(floatRun.value(t.floatTensor()), quantRun.value(t.output()));
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
            Target t = targets.get(k);
            Tensor out = qg.tensor(t.output());
            layers.add(new Layer(
                    t.op(),
                    qg.operators().get(t.op()).displayName(),
                    out.name(),
                    out.dim(out.rank() - 1),
                    before[k],
                    meanAbs(after.get(k).meanError()),
                    saturated[k]));
        }
        QuantizationResult corrected =
                new QuantizationResult(model, quantized.options(), quantized.tensors(), quantized.ops());
        return new Result(corrected, layers, floatSamples.size(), skipped);
    }

    private static void run(Interpreter run, Dataset samples, int s, int lastOp) {
        run.resetVariables();
        SampleFeeder.feed(run, samples.sample(s), samples.sourceOf(s));
        run.invokeThrough(lastOp);
    }

    /** The int8 affine layers with an int32 bias of their own, in execution order. */
    private static List<Target> targets(
            Subgraph floatGraph, Subgraph qg, List<TensorReport> reports, List<String> skipped) {
        int[] source = new int[qg.tensors().size()];
        java.util.Arrays.fill(source, -1);
        for (TensorReport r : reports) source[r.index()] = r.sourceIndex();
        int[] floatProducer = new int[floatGraph.tensors().size()];
        java.util.Arrays.fill(floatProducer, -1);
        for (int i = 0; i < floatGraph.operators().size(); i++) {
            for (int o : floatGraph.operators().get(i).outputs()) {
                if (o >= 0) floatProducer[o] = i;
            }
        }
        int[] users = new int[qg.tensors().size()];
        for (Operator op : qg.operators()) {
            for (int t : op.inputs()) {
                if (t >= 0) users[t]++;
            }
        }
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < qg.operators().size(); i++) {
            Operator op = qg.operators().get(i);
            if (op.type() != OpType.CONV_2D
                    && op.type() != OpType.DEPTHWISE_CONV_2D
                    && op.type() != OpType.FULLY_CONNECTED) {
                continue;
            }
            int w = op.input(1);
            int out = op.output(0);
            if (w < 0 || qg.tensor(w).type() != DataType.INT8 || qg.tensor(out).type() != DataType.INT8) {
                continue; // a float op
            }
            String what =
                    "#" + i + " " + op.displayName() + " '" + qg.tensor(out).name() + "'";
            int b = op.input(2);
            if (b < 0 || qg.tensor(b).type() != DataType.INT32 || !qg.tensor(b).isConstant()) {
                skipped.add(what + ": no int32 bias");
                continue;
            }
            if (users[b] != 1) {
                skipped.add(what + ": its bias is shared with another op");
                continue;
            }
            QuantParams oq = qg.tensor(out).quant();
            int src = source[out];
            if (oq == null || oq.isPerChannel() || src < 0 || floatProducer[src] < 0) {
                skipped.add(what + ": no float tensor to compare with");
                continue;
            }
            targets.add(new Target(i, floatProducer[src], src, out, b, Equalization.Layer.activationOf(op)));
        }
        return targets;
    }

    /** Adds round(error / bias scale) to each channel's int32 bias; returns how many channels saturated. */
    static int applyCorrection(Tensor bias, double[] error) {
        int[] q = TensorData.ints(bias.data());
        QuantParams bq = bias.quant();
        int saturated = 0;
        for (int c = 0; c < q.length && c < error.length; c++) {
            long v = q[c] + Math.round(error[c] / bq.scale(c));
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                saturated++;
                v = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
            }
            q[c] = (int) v;
        }
        bias.data(TensorData.of(q));
        return saturated;
    }

    private static double meanAbs(double[] v) {
        double sum = 0;
        for (double x : v) sum += Math.abs(x);
        return v.length == 0 ? 0 : sum / v.length;
    }

    /**
     * Sums (float - int8) per channel (the last dimension) over the elements neither model clamps.
     */
    static final class Accumulator {
        private final double[] sum;
        private final long[] count;
        private final float scale;
        private final int zeroPoint;
        private final float floatLo;
        private final float floatHi;
        private final int quantLo;
        private final int quantHi;

        private Accumulator(Subgraph qg, Target t) {
            this(
                    qg.tensor(t.output()).dim(qg.tensor(t.output()).rank() - 1),
                    qg.tensor(t.output()).quant(),
                    t.activation());
        }

        Accumulator(int channels, QuantParams out, Activation activation) {
            sum = new double[channels];
            count = new long[channels];
            scale = out.scale(0);
            zeroPoint = (int) out.zeroPoint(0);
            boolean clamps = activation == Activation.RELU
                    || activation == Activation.RELU6
                    || activation == Activation.RELU_N1_TO_1;
            floatLo = clamps ? activation.floatMin() : Float.NEGATIVE_INFINITY;
            floatHi = clamps ? activation.floatMax() : Float.POSITIVE_INFINITY;
            quantLo = Double.isInfinite(floatLo) ? -128 : (int) Math.max(-128, zeroPoint + Math.round(floatLo / scale));
            quantHi = Double.isInfinite(floatHi) ? 127 : (int) Math.min(127, zeroPoint + Math.round(floatHi / scale));
        }

        void add(TensorValue f, TensorValue q) {
            int n = q.size();
            int channels = sum.length;
            for (int k = 0; k < n; k++) {
                float x = f.f[k];
                int v = q.b[k];
                if (x <= floatLo || x >= floatHi || v <= quantLo || v >= quantHi) continue;
                int c = k % channels;
                sum[c] += x - scale * (double) (v - zeroPoint);
                count[c]++;
            }
        }

        double[] meanError() {
            double[] e = new double[sum.length];
            for (int c = 0; c < e.length; c++) {
                e[c] = count[c] == 0 ? 0 : sum[c] / count[c];
            }
            return e;
        }
    }
}
