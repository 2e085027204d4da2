package io.quanta.bench;

import io.quanta.calibrate.Calibrator;
import io.quanta.data.ArrayDataset;
import io.quanta.data.Dataset;
import io.quanta.data.NdArray;
import io.quanta.graph.Model;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Calibration throughput, one thread: Quanta's calibrator (float inference plus recording every activation's
 * range and histogram) over a batch of samples, beside TFLite 2.21's float inference alone on the same
 * samples. Scores are samples per second; BenchMain prints the ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CalibrationBenchmark {
    /** Samples per benchmark call: enough that per-run setup of the statistics does not dominate. */
    static final int SAMPLES = 8;

    @Param({"tiny_vww_96_float", "tfls_mobilenet_v1_0.25_224_float"})
    public String model;

    @Param({"calibrate", "tflite"})
    public String engine;

    private Calibrator calibrator;
    private Dataset samples;
    private TfLiteRuntime tflite;
    private float[][] inputs;

    @Setup(Level.Trial)
    public void setUp() {
        Path file = SharedAssets.floatModel(model + ".tflite");
        Model m = ModelReader.read(file);
        int[] shape = m.mainGraph().inputTensor(0).shape();
        int n = io.quanta.graph.Shapes.size(shape);
        // Seeded values in the models' input range ([0, 1] for vww, [-1, 1] for mobilenet: both within [-1, 1]).
        Random rnd = new Random(42);
        inputs = new float[SAMPLES][n];
        float[] stacked = new float[SAMPLES * n];
        for (int s = 0; s < SAMPLES; s++) {
            for (int k = 0; k < n; k++) {
                inputs[s][k] = rnd.nextFloat() * 2f - 1f;
                stacked[s * n + k] = inputs[s][k];
            }
        }
        int[] batch = shape.clone();
        batch[0] = SAMPLES;
        samples = new ArrayDataset(List.of(NdArray.ofFloats(batch, stacked)), List.of("seeded random"));
        if (engine.equals("calibrate")) {
            calibrator = Calibrator.forFloatModel(m.mainGraph());
        } else {
            tflite = new TfLiteRuntime(file);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public Object samples() {
        if (calibrator != null) {
            return calibrator.run(samples);
        }
        for (float[] in : inputs) {
            tflite.setInput(0, in);
            tflite.invoke();
        }
        return tflite;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (tflite != null) {
            tflite.close();
        }
    }
}
