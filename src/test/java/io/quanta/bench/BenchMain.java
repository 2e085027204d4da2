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
 * to TFLite's default kernels and to XNNPACK (ratio &lt; 1 means Quanta is faster); and calibration throughput beside
 * TFLite's float inference throughput (CalibrationBenchmark). Argument: a benchmark regex.
 */
public final class BenchMain {
    public static void main(String[] args) throws Exception {
        String include =
                args.length > 0 ? args[0] : "FloatInferenceBenchmark|CalibrationBenchmark|Int8ModelSpeedBenchmark";
        int warmups = Integer.getInteger("bench.warmups", 3);
        int iterations = Integer.getInteger("bench.iterations", 5);
        int seconds = Integer.getInteger("bench.seconds", 2);
        Options opts = new OptionsBuilder()
                .include(include)
                .forks(1)
                .threads(1)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                // The Vector API module turns on the float kernels' SIMD path (they run scalar without it).
                .jvmArgsAppend(
                        "-Xmx2g",
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-Dquanta.shared=" + System.getProperty("quanta.shared", "../shared"))
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Map<String, double[]>> byModel = new TreeMap<>();
        Map<String, Map<String, double[]>> calibration = new TreeMap<>();
        Map<String, Map<String, double[]>> int8Models = new TreeMap<>();
        for (RunResult r : results) {
            var params = r.getParams();
            var score = r.getPrimaryResult();
            String benchmark = params.getBenchmark();
            boolean int8 = benchmark.contains("Int8ModelSpeedBenchmark");
            var table = int8 ? int8Models : benchmark.contains("CalibrationBenchmark") ? calibration : byModel;
            table.computeIfAbsent(params.getParam("model"), k -> new TreeMap<>())
                    .put(
                            params.getParam(int8 ? "source" : "engine"),
                            new double[] {score.getScore(), score.getScoreError()});
        }
        printCalibration(calibration);
        printInt8Models(int8Models);
        if (byModel.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.printf(
                "%-36s %14s %14s %14s %12s %12s%n",
                "model (ms/inference, 1 thread)", "quanta", "tflite", "xnnpack", "q/tflite", "q/xnnpack");
        byModel.forEach((model, engines) -> {
            double q = engines.getOrDefault("quanta", new double[] {Double.NaN})[0];
            double t = engines.getOrDefault("tflite", new double[] {Double.NaN})[0];
            double x = engines.getOrDefault("xnnpack", new double[] {Double.NaN})[0];
            System.out.printf(
                    "%-36s %14s %14s %14s %12.2f %12.2f%n",
                    model,
                    fmt(engines.get("quanta")),
                    fmt(engines.get("tflite")),
                    fmt(engines.get("xnnpack")),
                    q / t,
                    q / x);
        });
    }

    /** Calibration throughput beside TFLite's float inference on the same samples (ratio &gt; 1: we calibrate faster). */
    private static void printCalibration(Map<String, Map<String, double[]>> calibration) {
        if (calibration.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.printf(
                "%-36s %18s %18s %14s%n",
                "model (samples/s, 1 thread)", "quanta calibrate", "tflite inference", "calib/tflite");
        calibration.forEach((model, engines) -> {
            double c = engines.getOrDefault("calibrate", new double[] {Double.NaN})[0];
            double t = engines.getOrDefault("tflite", new double[] {Double.NaN})[0];
            System.out.printf(
                    "%-36s %18s %18s %14.2f%n",
                    model, fmt(engines.get("calibrate")), fmt(engines.get("tflite")), c / t);
        });
    }

    /** TFLite running Quanta's int8 model beside the converter's int8 model of the same float model. */
    private static void printInt8Models(Map<String, Map<String, double[]>> int8Models) {
        if (int8Models.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.printf(
                "%-36s %18s %18s %14s%n",
                "int8 model in TFLite (ms, 1 thread)", "quanta's int8", "converter's int8", "q/converter");
        int8Models.forEach((model, sources) -> {
            double q = sources.getOrDefault("quanta", new double[] {Double.NaN})[0];
            double c = sources.getOrDefault("converter", new double[] {Double.NaN})[0];
            System.out.printf(
                    "%-36s %18s %18s %14.2f%n",
                    model, fmt(sources.get("quanta")), fmt(sources.get("converter")), q / c);
        });
    }

    private static String fmt(double[] s) {
        return s == null ? "-" : String.format("%.3f±%.3f", s[0], s[1]);
    }
}
