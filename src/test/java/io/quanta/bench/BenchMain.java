package io.quanta.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks on one thread and prints, per model, each engine's mean time and Quanta's ratio
 * to TFLite's default kernels and to XNNPACK (ratio &lt; 1 means Quanta is faster).
 */
public final class BenchMain {
    public static void main(String[] args) throws Exception {
        String include = args.length > 0 ? args[0] : "FloatInferenceBenchmark";
        int warmups = Integer.getInteger("bench.warmups", 3);
        int iterations = Integer.getInteger("bench.iterations", 5);
        int seconds = Integer.getInteger("bench.seconds", 2);
        Options opts = new OptionsBuilder()
                .include(include)
                .forks(1)
                .threads(1)
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                // The Vector API module turns on the float kernels' SIMD path (they run scalar without it).
                .jvmArgsAppend("-Xmx2g", "--add-modules", "jdk.incubator.vector",
                        "-Dquanta.shared=" + System.getProperty("quanta.shared", "../shared"))
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Map<String, double[]>> byModel = new TreeMap<>();
        for (RunResult r : results) {
            var params = r.getParams();
            var score = r.getPrimaryResult();
            byModel.computeIfAbsent(params.getParam("model"), k -> new TreeMap<>())
                    .put(params.getParam("engine"), new double[] {score.getScore(), score.getScoreError()});
        }
        System.out.println();
        System.out.printf("%-36s %14s %14s %14s %12s %12s%n", "model (ms/inference, 1 thread)", "quanta",
                "tflite", "xnnpack", "q/tflite", "q/xnnpack");
        byModel.forEach((model, engines) -> {
            double q = engines.getOrDefault("quanta", new double[] {Double.NaN})[0];
            double t = engines.getOrDefault("tflite", new double[] {Double.NaN})[0];
            double x = engines.getOrDefault("xnnpack", new double[] {Double.NaN})[0];
            System.out.printf("%-36s %14s %14s %14s %12.2f %12.2f%n", model, fmt(engines.get("quanta")),
                    fmt(engines.get("tflite")), fmt(engines.get("xnnpack")), q / t, q / x);
        });
    }

    private static String fmt(double[] s) {
        return s == null ? "-" : String.format("%.3f±%.3f", s[0], s[1]);
    }
}
