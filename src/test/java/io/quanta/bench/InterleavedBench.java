package io.quanta.bench;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.Shapes;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int8.Int8Kernels;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * A quick comparison for a busy machine: the three engines take turns in short bursts within one JVM, so
 * load that comes and goes hits them alike, and the ratios use each engine's best and median burst. Less
 * rigorous than the JMH run (no forks, one JIT profile) but far steadier under load. Args: model names: a float
 * model's name, {@code <name>_int8} for the TensorFlow converter's int8 model (models/int8_ref), or
 * {@code ours:<name>} for Quanta's int8 model of {@code <name>_float}, quantized first through the CLI. Int8
 * models run Quanta's int8 kernels on random input bytes. {@code -Dbench.cpu=true} times each burst in the thread's
 * CPU time rather than wall time.
 */
public final class InterleavedBench {
    private static final String[] ENGINES = {"quanta", "tflite", "xnnpack"};

    public static void main(String[] args) throws Exception {
        String[] models = args.length > 0
                ? args
                : new String[] {
                    "tiny_vww_96_float",
                    "tfls_mobilenet_v1_0.25_224_float",
                    "tiny_vww_96_int8",
                    "ours:tiny_vww_96",
                    "tiny_ic_resnet8_int8",
                    "ours:tiny_ic_resnet8",
                    "ours:tfls_mobilenet_v1_0.25_224"
                };
        Path work = Files.createTempDirectory("quanta-interleaved-bench");
        int rounds = Integer.getInteger("bench.rounds", 40);
        System.out.printf(
                "%-36s %18s %18s %18s %10s %10s%n",
                "model (ms, best/median of bursts)", "quanta", "tflite", "xnnpack", "q/tflite", "q/xnnpack");
        for (String name : models) {
            Path file = name.startsWith("ours:")
                    ? OurInt8Models.quantize(name.substring(5), work)
                    : name.endsWith("_int8")
                            ? SharedAssets.int8RefModel(name + ".tflite")
                            : SharedAssets.floatModel(name + ".tflite");
            Model model = ModelReader.read(file);
            Interpreter quanta =
                    new Interpreter(model.mainGraph(), FloatKernels.registry().with(Int8Kernels.registry()));
            TensorValue in = quanta.input(0);
            Random rnd = new Random(42);
            float[] input = null;
            byte[] bytes = null;
            if (in.type == DataType.FLOAT32) {
                input = new float[Shapes.size(model.mainGraph().inputTensor(0).shape())];
                for (int k = 0; k < input.length; k++) {
                    input[k] = rnd.nextFloat() * 2f - 1f;
                }
                System.arraycopy(input, 0, in.f, 0, input.length);
            } else {
                bytes = new byte[in.size()];
                rnd.nextBytes(bytes);
                System.arraycopy(bytes, 0, in.b, 0, bytes.length);
            }
            try (TfLiteRuntime tflite = new TfLiteRuntime(file);
                    TfLiteRuntime xnnpack = TfLiteRuntime.xnnpack(file)) {
                if (input != null) {
                    tflite.setInput(0, input);
                    xnnpack.setInput(0, input);
                } else {
                    tflite.setInput(0, bytes);
                    xnnpack.setInput(0, bytes);
                }
                Runnable[] run = {quanta::invoke, tflite::invoke, xnnpack::invoke};
                for (Runnable r : run) {
                    burst(r, 2000); // warm-up, JIT
                }
                double[][] ms = new double[3][rounds];
                for (int round = 0; round < rounds; round++) {
                    for (int e = 0; e < 3; e++) {
                        ms[e][round] = burst(run[e], 100);
                    }
                }
                double[] best = new double[3];
                double[] median = new double[3];
                for (int e = 0; e < 3; e++) {
                    Arrays.sort(ms[e]);
                    best[e] = ms[e][0];
                    median[e] = ms[e][rounds / 2];
                }
                System.out.printf(
                        "%-36s %18s %18s %18s %10s %10s%n",
                        name,
                        cell(best[0], median[0]),
                        cell(best[1], median[1]),
                        cell(best[2], median[2]),
                        String.format("%.2f/%.2f", best[0] / best[1], median[0] / median[1]),
                        String.format("%.2f/%.2f", best[0] / best[2], median[0] / median[2]));
            }
        }
    }

    private static String cell(double best, double median) {
        return String.format("%.3f/%.3f", best, median);
    }

    /**
     * The calling thread's CPU time (TFLite's one-thread invoke runs on it too) when {@code -Dbench.cpu=true}:
     * with many more runnable threads than cores, wall-time bursts mostly measure the scheduler.
     */
    private static final boolean CPU_TIME = Boolean.getBoolean("bench.cpu");

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static long clock() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Mean ms per call over a burst of about the given milliseconds (of the chosen clock). */
    private static double burst(Runnable r, long millis) {
        long start = clock();
        long deadline = start + millis * 1_000_000L;
        int calls = 0;
        long now;
        do {
            r.run();
            calls++;
            now = clock();
        } while (now < deadline);
        return (now - start) / 1e6 / calls;
    }
}
