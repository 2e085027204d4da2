package io.quanta.calibrate;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.NdArray;
import io.quanta.graph.DataType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import java.util.List;

/**
 * Runs a float model over samples and records, for every float32 tensor it computes (and every float32
 * model input and variable state tensor), the statistics quantization needs: {@link CalibrationStats}. Each sample starts from fresh
 * recurrent state (variable tensors reset), so results do not depend on sample order.
 */
public final class Calibrator {
    private final Subgraph graph;
    private final Interpreter interpreter;
    private final int bins;

    public Calibrator(Subgraph graph, KernelRegistry registry, int bins) {
        this.graph = graph;
        this.interpreter = new Interpreter(graph, registry);
        this.bins = bins;
    }

    public Calibrator(Subgraph graph, KernelRegistry registry) {
        this(graph, registry, Histogram.DEFAULT_BINS);
    }

    /** A calibrator running the float kernel set. */
    public static Calibrator forFloatModel(Subgraph graph) {
        return new Calibrator(graph, FloatKernels.registry());
    }

    /** A calibrator running the float kernel set that records what {@code method} needs: histograms or the range. */
    public static Calibrator forFloatModel(Subgraph graph, CalibrationMethod method) {
        return new Calibrator(
                graph,
                FloatKernels.registry(),
                method.needsHistogram() ? Histogram.DEFAULT_BINS : Histogram.RANGE_ONLY);
    }

    /**
     * Runs every sample of {@code samples} (already shaped for the model's inputs, see
     * io.quanta.data.ModelInputAdapter) and returns the statistics.
     */
    public CalibrationStats run(Dataset samples, CalibrationProgress progress) {
        CalibrationStats stats = new CalibrationStats(bins);
        int total = samples.size();
        if (samples.inputCount() != interpreter.inputCount()) {
            throw new DatasetException(samples.describe() + ": gives " + samples.inputCount()
                    + " array(s) per sample but the model has " + interpreter.inputCount() + " input(s)");
        }
        Recorder recorder = new Recorder(stats);
        for (int s = 0; s < total; s++) {
            List<NdArray> sample = samples.sample(s);
            interpreter.resetVariables();
            for (int k = 0; k < sample.size(); k++) {
                SampleFeeder.feed(interpreter, k, sample.get(k), samples.sourceOf(s));
            }
            for (int k = 0; k < interpreter.inputCount(); k++) {
                recorder.record(graph.inputs()[k], interpreter.input(k));
            }
            interpreter.invoke(recorder);
            stats.addSample();
            progress.samplesDone(s + 1, total);
        }
        return stats;
    }

    public CalibrationStats run(Dataset samples) {
        return run(samples, CalibrationProgress.NONE);
    }

    /** Records float outputs of each op as it runs. */
    private final class Recorder implements Interpreter.OpObserver {
        private final CalibrationStats stats;

        Recorder(CalibrationStats stats) {
            this.stats = stats;
        }

        @Override
        public void afterOp(int opIndex, Operator op, TensorValue[] outputs) {
            for (int k = 0; k < outputs.length; k++) {
                int t = op.output(k);
                if (t >= 0 && outputs[k] != null) {
                    record(t, outputs[k]);
                }
            }
            // Recurrent state (LSTM output and cell state) is updated in place: record its value after the op,
            // which the int8 LSTM needs for the state tensors' scales.
            for (int t : op.inputs()) {
                if (t >= 0 && graph.tensor(t).isVariable()) {
                    record(t, interpreter.value(t));
                }
            }
        }

        void record(int tensorIndex, TensorValue v) {
            if (v.type == DataType.FLOAT32) {
                stats.tensor(tensorIndex, graph.tensor(tensorIndex).name()).add(v.f, v.size());
            }
        }
    }
}
