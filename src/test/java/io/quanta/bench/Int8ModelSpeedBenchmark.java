package io.quanta.bench;

import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import java.nio.file.Files;
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
 * One inference in TFLite 2.21 (default kernels, one thread) of an int8 model: Quanta's, quantized here from
 * the float model with int8 interface types like the converter's, against the TensorFlow converter's own int8
 * model of the same float model (../shared/models/int8_ref). BenchMain prints the ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Int8ModelSpeedBenchmark {
    @Param({"tiny_vww_96", "tiny_ic_resnet8"})
    public String model;

    @Param({"quanta", "converter"})
    public String source;

    private Path work;
    private TfLiteRuntime tflite;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path file = source.equals("converter") ? SharedAssets.int8RefModel(model + "_int8.tflite") : quantize();
        tflite = new TfLiteRuntime(file);
        int bytes = 1;
        for (int d : tflite.inputShape(0)) {
            bytes *= d;
        }
        byte[] input = new byte[bytes];
        new Random(42).nextBytes(input);
        tflite.setInput(0, input);
    }

    private Path quantize() throws Exception {
        work = Files.createTempDirectory("quanta-int8-bench");
        return OurInt8Models.quantize(model, work);
    }

    @Benchmark
    public Object infer() {
        tflite.invoke();
        return tflite;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tflite.close();
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }
}
