package io.quanta.bench;

import io.quanta.graph.Model;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One float inference, one thread: Quanta's interpreter beside TFLite 2.21's default kernels (C API) and
 * its XNNPACK path (C++ API), on the same seeded input. Run with scripts/bench.sh, which prints ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FloatInferenceBenchmark {
    @Param({"tiny_vww_96_float", "tfls_mobilenet_v1_0.25_224_float"})
    public String model;

    @Param({"quanta", "tflite", "xnnpack"})
    public String engine;

    private Interpreter quanta;
    private TfLiteRuntime tflite;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path file = SharedAssets.floatModel(model + ".tflite");
        Model m = ModelReader.read(file);
        int[] shape = m.mainGraph().inputTensor(0).shape();
        float[] input = new float[io.quanta.graph.Shapes.size(shape)];
        Random rnd = new Random(42);
        for (int k = 0; k < input.length; k++) {
            input[k] = rnd.nextFloat() * 2f - 1f;
        }
        switch (engine) {
            case "quanta" -> {
                quanta = new Interpreter(m.mainGraph(), FloatKernels.registry());
                TensorValue in = quanta.input(0);
                System.arraycopy(input, 0, in.f, 0, input.length);
            }
            case "tflite" -> {
                tflite = new TfLiteRuntime(file);
                tflite.setInput(0, input);
            }
            case "xnnpack" -> {
                tflite = TfLiteRuntime.xnnpack(file);
                tflite.setInput(0, input);
            }
            default -> throw new IllegalArgumentException(engine);
        }
    }

    @Benchmark
    public Object infer() {
        if (quanta != null) {
            quanta.invoke();
            return quanta.output(0);
        }
        tflite.invoke();
        return tflite;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (tflite != null) {
            tflite.close();
        }
    }
}
