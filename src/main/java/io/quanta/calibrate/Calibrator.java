package io.quanta.calibrate;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.graph.DataType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleBlocks;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs a float model over samples and records, for every float32 tensor it computes (and every float32
 * model input and variable state tensor), the statistics quantization needs: {@link CalibrationStats}. Each sample
 * starts from fresh recurrent state (variable tensors reset), so results do not depend on sample order.
 *
 * <p>With several threads ({@link #withThreads}) each worker thread runs its own interpreter into its own
 * statistics, and these are merged at the end. Ranges merge as min/max and histograms as sums of counts on a
 * canonical grid ({@link Histogram}), so the result is the same, bit for bit, for any number of threads.
 */
public final class Calibrator {
    private final Subgraph graph;
    private final KernelRegistry registry;
    private final int bins;
    private final int threads;
    /**
     * Interpreters no worker is using: the first made at once (so that an unsupported op fails in the constructor),
     * and every worker's given back after a run, so that later runs do not prepare the model again.
     */
    private final Queue<Interpreter> idle = new ConcurrentLinkedQueue<>();

    public Calibrator(Subgraph graph, KernelRegistry registry, int bins) {
        this(graph, registry, bins, 1, new Interpreter(graph, registry));
    }

    public Calibrator(Subgraph graph, KernelRegistry registry) {
        this(graph, registry, Histogram.DEFAULT_BINS);
    }

    private Calibrator(Subgraph graph, KernelRegistry registry, int bins, int threads, Interpreter first) {
        this.graph = graph;
        this.registry = registry;
        this.bins = bins;
        this.threads = threads;
        if (first != null) {
            idle.add(first);
        }
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

    /** This calibrator on {@code threads} worker threads (0: every processor the JVM sees). */
    public Calibrator withThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all processors) or more, got " + threads);
        }
        return new Calibrator(graph, registry, bins, threads, idle.poll());
    }

    /**
     * Runs every sample of {@code samples} (already shaped for the model's inputs, see
     * io.quanta.data.ModelInputAdapter) and returns the statistics.
     */
    public CalibrationStats run(Dataset samples, CalibrationProgress progress) {
        if (samples.inputCount() != graph.inputs().length) {
            throw new DatasetException(samples.describe() + ": gives " + samples.inputCount()
                    + " array(s) per sample but the model has " + graph.inputs().length + " input(s)");
        }
        List<Recorder> workers = new ArrayList<>();
        try {
            SampleBlocks.<Recorder, Void>run(
                    samples.size(),
                    threads,
                    () -> {
                        Recorder r = new Recorder(interpreter(), new CalibrationStats(bins));
                        synchronized (workers) {
                            workers.add(r);
                        }
                        return r;
                    },
                    (r, from, to, done) -> {
                        for (int s = from; s < to; s++) {
                            r.calibrate(samples, s);
                            done.run();
                        }
                        return null;
                    },
                    (a, b) -> null,
                    progress::samplesDone);
        } finally {
            workers.forEach(r -> idle.add(r.interpreter));
        }
        // Exact whatever the order (see Histogram), so the workers' order, which varies, does not matter. The first
        // worker's statistics are the result (they are fresh for this run): copying them cost as much as a merge.
        if (workers.isEmpty()) {
            return new CalibrationStats(bins);
        }
        CalibrationStats stats = workers.get(0).stats;
        for (Recorder r : workers.subList(1, workers.size())) {
            stats.mergeIn(r.stats);
        }
        return stats;
    }

    public CalibrationStats run(Dataset samples) {
        return run(samples, CalibrationProgress.NONE);
    }

    private Interpreter interpreter() {
        Interpreter i = idle.poll();
        return i != null ? i : new Interpreter(graph, registry);
    }

    /** One worker: its interpreter, recording the float outputs of each op into its statistics as it runs. */
    private final class Recorder implements Interpreter.OpObserver {
        private final Interpreter interpreter;
        private final CalibrationStats stats;

        Recorder(Interpreter interpreter, CalibrationStats stats) {
            this.interpreter = interpreter;
            this.stats = stats;
        }

        void calibrate(Dataset samples, int s) {
            interpreter.resetVariables();
            SampleFeeder.feed(interpreter, samples, s);
            for (int k = 0; k < interpreter.inputCount(); k++) {
                record(graph.inputs()[k], interpreter.input(k));
            }
            interpreter.invoke(this);
            stats.addSample();
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
