package io.quanta.bench;

import io.quanta.cli.Main;
import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    /** Quantizes the float model through the CLI on 100 calibration samples of realistic data. */
    private Path quantize() throws Exception {
        work = Files.createTempDirectory("quanta-int8-bench");
        Path floatModel = SharedAssets.floatModel(model + "_float.tflite");
        Path out = work.resolve(model + "_int8.tflite");
        String[] data;
        if (model.equals("tiny_vww_96")) {
            data = new String[] {"--dataset", SharedAssets.data("person_bmp").toString(), "--normalize", "x/255",
                    "--color", "rgb"};
        } else {
            // ResNet-8 takes raw 0..255 pixels; shared/ has no CIFAR images, so seeded random ones.
            float[] pixels = new float[100 * 32 * 32 * 3];
            Random rnd = new Random(1);
            for (int k = 0; k < pixels.length; k++) {
                pixels[k] = rnd.nextInt(256);
            }
            Path npy = work.resolve("calib.npy");
            Npy.write(npy, NdArray.ofFloats(new int[] {100, 32, 32, 3}, pixels));
            data = new String[] {"--dataset", npy.toString()};
        }
        String[] args = new String[data.length + 9];
        String[] head = {"quantize", floatModel.toString(), "--out", out.toString(), "--input-type", "int8",
                "--output-type", "int8", "--no-eval"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(data, 0, args, head.length, data.length);
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new Main()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err, true)).execute(args);
        if (code != 0) {
            throw new IllegalStateException("quantize failed: " + err);
        }
        return out;
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
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
