package io.quanta.bench;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.Calibrator;
import io.quanta.data.ArrayDataset;
import io.quanta.data.Dataset;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.data.Preprocessing;
import io.quanta.eval.Evaluator;
import io.quanta.eval.TensorPairing;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.pipeline.Pipeline;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14's "every core", calibration-cost, end-to-end and memory figures, apart from the kernel rows: each part's
 * engines take turns in short bursts in one JVM (best/median burst), so the ratios hold up on a loaded machine.
 * <ol>
 *   <li>calibration per sample (min/max and histogram) against a plain float pass, one thread;</li>
 *   <li>calibration and evaluation throughput on 1 and N threads (N = the processors Java sees);</li>
 *   <li>end to end through the {@code quanta} launcher, JVM start included: {@code quanta quantize} of
 *       MobileNet-v1-0.25-224 on 100 samples evaluating on them, {@code quanta run} of 3 000 and 300 vww samples;</li>
 *   <li>peak RSS of {@code quanta quantize} with 100 and 1 000 calibration and evaluation samples.</li>
 * </ol>
 * Args: parts to run (calibration, threads, e2e, memory; default all). Inputs are seeded random values in the
 * models' input ranges, written to a temporary folder.
 */
public final class ThreadsBench {
    private static final String MOBILENET = "tfls_mobilenet_v1_0.25_224_float";
    private static final String VWW = "tiny_vww_96_float";
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 10);

    public static void main(String[] args) throws Exception {
        List<String> parts = args.length > 0 ? List.of(args) : List.of("calibration", "threads", "e2e", "memory");
        Path work = Files.createTempDirectory("quanta-threads-bench");
        int n = Runtime.getRuntime().availableProcessors();
        System.out.printf("processors Java sees: %d; load average at start: %s%n", n, loadAverage());
        if (parts.contains("calibration")) {
            calibrationCost();
        }
        if (parts.contains("threads")) {
            threads(work, n);
        }
        if (parts.contains("e2e")) {
            endToEnd(work);
        }
        if (parts.contains("memory")) {
            memory(work);
        }
    }

    // ------------------------------------------------------------------ 1. calibration cost

    private static void calibrationCost() {
        System.out.println();
        System.out.printf(
                "%-36s %16s %16s %16s %10s %10s%n",
                "calibration, 1 thread (ms/sample)",
                "float pass",
                "calib minmax",
                "calib histogram",
                "minmax/f",
                "hist/f");
        for (String name : List.of(VWW, MOBILENET)) {
            Subgraph g =
                    ModelReader.read(SharedAssets.floatModel(name + ".tflite")).mainGraph();
            Dataset samples = randomSamples(g, 8, name.equals(VWW) ? 0f : -1f, 1f);
            Interpreter plain = new Interpreter(g, FloatKernels.registry());
            Calibrator minmax =
                    Calibrator.forFloatModel(g, CalibrationMethod.MINMAX).withThreads(1);
            Calibrator histogram =
                    Calibrator.forFloatModel(g, CalibrationMethod.ENTROPY).withThreads(1);
            Runnable[] engines = {
                () -> {
                    for (int s = 0; s < samples.size(); s++) {
                        SampleFeeder.feed(plain, samples, s); // as calibration feeds it: no array per sample
                        plain.invoke();
                    }
                },
                () -> minmax.run(samples),
                () -> histogram.run(samples)
            };
            double[][] ms = interleave(engines, samples.size(), CPU_TIME);
            System.out.printf(
                    "%-36s %16s %16s %16s %10s %10s%n",
                    name, cell(ms[0]), cell(ms[1]), cell(ms[2]), ratio(ms[1], ms[0]), ratio(ms[2], ms[0]));
        }
    }

    // ------------------------------------------------------------------ 2. threads

    private static void threads(Path work, int n) throws Exception {
        System.out.println();
        System.out.printf(
                "%-44s %16s %16s %14s %14s%n",
                "throughput (samples/s, best/median burst)",
                "1 thread",
                n + " threads",
                "N/1 (best/med)",
                "CPU/sample N/1");
        for (String name : List.of(VWW, MOBILENET)) {
            Path floatFile = SharedAssets.floatModel(name + ".tflite");
            Subgraph g = ModelReader.read(floatFile).mainGraph();
            // 64 samples (16 blocks) per call: real runs have hundreds, and with 16 (4 blocks, 2 per thread) a thread
            // held up by another process left the other with nothing to claim for a quarter of the call.
            int count = 64;
            Dataset raw = randomSamples(g, count, name.equals(VWW) ? 0f : -1f, 1f);
            Calibrator c1 = Calibrator.forFloatModel(g).withThreads(1);
            Calibrator cn = Calibrator.forFloatModel(g).withThreads(n);
            double[][][] calib = interleaveWallAndCpu(new Runnable[] {() -> c1.run(raw), () -> cn.run(raw)}, count);
            printThroughput("calibrate " + name, calib);

            Path quantFile = OurInt8Models.quantize(name.replace("_float", ""), work);
            Subgraph q = ModelReader.read(quantFile).mainGraph();
            Dataset floatSide = ModelInputAdapter.adapt(raw, InputSpec.of(g), Preprocessing.DEFAULT);
            Dataset quantSide = ModelInputAdapter.adapt(raw, InputSpec.of(q), Preprocessing.DEFAULT);
            Supplier<Evaluator> evaluator = () -> new Evaluator(
                    g, FloatKernels.registry(), q, Pipeline.quantizedKernels(), TensorPairing.byName(g, q));
            Evaluator e1 = evaluator.get().withThreads(1);
            Evaluator en = evaluator.get().withThreads(n);
            double[][][] eval = interleaveWallAndCpu(
                    new Runnable[] {() -> e1.run(floatSide, quantSide), () -> en.run(floatSide, quantSide)}, count);
            printThroughput("evaluate " + name + " (float+int8)", eval);
        }
    }

    /**
     * Wall-time throughput, and the process's CPU time per sample at N threads over 1 thread (every thread of the JVM:
     * workers, JIT, GC): how much work running in parallel adds. On a shared machine the wall ratio also depends on
     * whether a second core was free; the CPU ratio does not, and bounds what N free cores could give (N / ratio).
     */
    private static void printThroughput(String what, double[][][] wallAndCpu) {
        double[][] msPerSample = wallAndCpu[0];
        double[] one = summary(msPerSample[0]);
        double[] many = summary(msPerSample[1]);
        System.out.printf(
                "%-44s %16s %16s %14s %14s%n",
                what,
                String.format("%.1f/%.1f", 1000 / one[0], 1000 / one[1]),
                String.format("%.1f/%.1f", 1000 / many[0], 1000 / many[1]),
                String.format("%.2f/%.2f", one[0] / many[0], one[1] / many[1]),
                ratio(wallAndCpu[1][1], wallAndCpu[1][0]));
    }

    // ------------------------------------------------------------------ 3. end to end

    private static void endToEnd(Path work) throws Exception {
        Path mobilenet = SharedAssets.floatModel(MOBILENET + ".tflite");
        Path vww = SharedAssets.floatModel(VWW + ".tflite");
        Path mn100 = writeRandom(work.resolve("mn100.npy"), new int[] {100, 224, 224, 3}, -1f, 1f);
        Path vww3000 = writeRandom(work.resolve("vww3000.npy"), new int[] {3000, 96, 96, 3}, 0f, 1f);
        Path vww300 = writeRandom(work.resolve("vww300.npy"), new int[] {300, 96, 96, 3}, 0f, 1f);
        // The launcher dumps each engine command's class-data archive at the end of that command's first run after a
        // build; users pay that once, so it is not timed here.
        quanta(
                Map.of(),
                "run",
                vww.toString(),
                "-i",
                vww300.toString(),
                "-o",
                work.resolve("y.npy").toString());
        quanta(
                Map.of(),
                "quantize",
                mobilenet.toString(),
                "--dataset",
                mn100.toString(),
                "--samples",
                "8",
                "--eval-samples",
                "8",
                "--out",
                work.resolve("mn_int8.tflite").toString(),
                "--no-progress");
        System.out.println();
        System.out.printf(
                "%-60s %10s %8s %14s %12s%n",
                "end to end, JVM start included", "wall s", "CPU s", "inference s", "peak RSS MB");
        Result q = quanta(
                Map.of(),
                "quantize",
                mobilenet.toString(),
                "--dataset",
                mn100.toString(),
                "--out",
                work.resolve("mn_int8.tflite").toString(),
                "--no-progress");
        System.out.printf(
                "%-60s %10.2f %8.2f %14s %12d   (goal <= 3.5 s; beyond the pipeline's own %.2f s: %.2f s)%n",
                "quanta quantize mobilenet_v1_0.25_224, 100 samples + eval",
                q.wall,
                q.cpu,
                "-",
                q.rssMb,
                q.pipeline,
                q.wall - q.pipeline);
        Result r3000 = quanta(
                Map.of(),
                "run",
                vww.toString(),
                "-i",
                vww3000.toString(),
                "-o",
                work.resolve("y.npy").toString());
        Result r300 = quanta(
                Map.of(),
                "run",
                vww.toString(),
                "-i",
                vww300.toString(),
                "-o",
                work.resolve("y.npy").toString());
        for (Result r : List.of(r3000, r300)) {
            System.out.printf(
                    "%-60s %10.2f %8.2f %14.2f %12d   beyond inference %.2f s (goal <= 1.5 s)%n",
                    "quanta run vww_96, " + r.samples + " samples",
                    r.wall,
                    r.cpu,
                    r.inference,
                    r.rssMb,
                    r.wall - r.inference);
        }
        System.out.printf(
                "%-60s %10.3f ms/sample (through the CLI: (t3000 - t300) / 2700)%n",
                "quanta run vww_96 marginal cost", (r3000.wall - r300.wall) * 1000 / 2700);
    }

    // ------------------------------------------------------------------ 4. memory

    /**
     * Peak RSS under the heap an engine pod with a 512 Mi limit gets (the engine command's -XX:MaxRAMPercentage of
     * the container's memory, here -XX:MaxRAM standing in for the limit). The .npy is mapped: its clean pages count
     * in RSS (once per mapping; calibration and evaluation each map it) but belong to the page cache, which the
     * kernel reclaims under a cgroup limit instead of killing the pod; anonymous RSS (heap, stacks, code) is the part
     * that has to fit.
     */
    private static void memory(Path work) throws Exception {
        Path mobilenet = SharedAssets.floatModel(MOBILENET + ".tflite");
        Map<String, String> pod = Map.of("QUANTA_JAVA_OPTS", "-XX:MaxRAM=512m -XX:MaxRAMPercentage=75");
        System.out.println();
        System.out.printf(
                "%-60s %10s %12s %12s %12s%n",
                "memory: quanta quantize mobilenet, heap as in a 512Mi pod",
                "wall s",
                "peak RSS MB",
                "peak anon MB",
                "peak file MB");
        for (int samples : new int[] {100, 1000}) {
            Path data = writeRandom(work.resolve("mem" + samples + ".npy"), new int[] {samples, 224, 224, 3}, -1f, 1f);
            Result r = quanta(
                    pod,
                    "quantize",
                    mobilenet.toString(),
                    "--dataset",
                    data.toString(),
                    "--out",
                    work.resolve("mem.tflite").toString(),
                    "--no-progress");
            System.out.printf(
                    "%-60s %10.1f %12d %12d %12d   (input file %d MB, mapped)%n",
                    samples + " calibration + " + samples + " evaluation samples",
                    r.wall,
                    r.rssMb,
                    r.anonMb,
                    r.fileMb,
                    Files.size(data) >> 20);
            Files.delete(data);
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * One launcher run: wall time, the Java process's CPU time (last sample), what {@code run} reports as inference
     * and {@code quantize} as its pipeline total, and the memory peaks.
     */
    private record Result(
            double wall,
            double cpu,
            double inference,
            double pipeline,
            int samples,
            long rssMb,
            long anonMb,
            long fileMb) {}

    private static final Pattern RAN = Pattern.compile("ran (\\d+) samples? in ([0-9.]+) s");
    private static final Pattern TOTAL = Pattern.compile("timings .* total ([0-9.]+) s");

    /**
     * Runs the launcher script as a user would, with these environment variables added, sampling the Java process's
     * peak RSS (VmHWM) and its anonymous and file-backed parts (RssAnon, RssFile) from /proc every 50 ms.
     */
    private static Result quanta(Map<String, String> env, String... args) throws Exception {
        Path launcher = Path.of("quanta").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long[] peak = new long[4]; // VmHWM, RssAnon, RssFile in kB; CPU ns
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            p.descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("/java"))
                    .forEach(h -> {
                        sample(h.pid(), peak);
                        h.info().totalCpuDuration().ifPresent(d -> peak[3] = Math.max(peak[3], d.toNanos()));
                    });
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String text = out.get();
        if (p.exitValue() != 0) {
            throw new IllegalStateException("quanta " + String.join(" ", args) + " failed: " + text);
        }
        Matcher ran = RAN.matcher(text);
        boolean found = ran.find();
        Matcher total = TOTAL.matcher(text);
        return new Result(
                wall,
                peak[3] / 1e9,
                found ? Double.parseDouble(ran.group(2)) : Double.NaN,
                total.find() ? Double.parseDouble(total.group(1)) : Double.NaN,
                found ? Integer.parseInt(ran.group(1)) : 0,
                peak[0] >> 10,
                peak[1] >> 10,
                peak[2] >> 10);
    }

    private static void sample(long pid, long[] peak) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                String[] kv = line.split(":\\s+");
                int slot = switch (kv[0]) {
                    case "VmHWM" -> 0;
                    case "RssAnon" -> 1;
                    case "RssFile" -> 2;
                    default -> -1;
                };
                if (slot >= 0) {
                    peak[slot] = Math.max(
                            peak[slot], Long.parseLong(kv[1].replace(" kB", "").strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended between listing and reading: its last sample is what we have.
        }
    }

    private static Path writeRandom(Path file, int[] shape, float lo, float hi) throws IOException {
        float[] v = new float[(int) NdArray.elementCount(shape)];
        Random rnd = new Random(42);
        for (int k = 0; k < v.length; k++) {
            v[k] = lo + rnd.nextFloat() * (hi - lo);
        }
        Npy.write(file, NdArray.ofFloats(shape, v));
        return file;
    }

    private static Dataset randomSamples(Subgraph g, int count, float lo, float hi) {
        int[] shape = g.inputTensor(0).shape().clone();
        int per = (int) NdArray.elementCount(shape);
        shape[0] = count;
        float[] v = new float[count * per];
        Random rnd = new Random(42);
        for (int k = 0; k < v.length; k++) {
            v[k] = lo + rnd.nextFloat() * (hi - lo);
        }
        return new ArrayDataset(List.of(NdArray.ofFloats(shape, v)), List.of("seeded random"));
    }

    /** Per engine, ms per sample of each burst (bursts of each engine in turn, after a warm-up). */
    /**
     * {@code -Dbench.cpu=true} (BENCH_CPU=1): the one-thread calibration rows are timed in the calling thread's CPU
     * time (they run on it), steadier when other work shares the cores; thread throughput always in wall time.
     */
    private static final boolean CPU_TIME = Boolean.getBoolean("bench.cpu");

    private static final java.lang.management.ThreadMXBean THREAD_TIMES =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static double[][] interleave(Runnable[] engines, int samplesPerCall, boolean cpu) {
        for (Runnable r : engines) {
            burst(r, 3000, cpu);
        }
        double[][] ms = new double[engines.length][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int e = 0; e < engines.length; e++) {
                ms[e][round] = burst(engines[e], 400, cpu) / samplesPerCall;
            }
        }
        return ms;
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** {wall, process CPU}: per engine, ms per sample of each burst, bursts timed in wall time. */
    private static double[][][] interleaveWallAndCpu(Runnable[] engines, int samplesPerCall) {
        for (Runnable r : engines) {
            burst(r, 3000, false);
        }
        double[][][] ms = new double[2][engines.length][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int e = 0; e < engines.length; e++) {
                long cpu0 = PROCESS.getProcessCpuTime();
                long wall0 = System.nanoTime();
                int calls = 0;
                do {
                    engines[e].run();
                    calls++;
                } while (System.nanoTime() - wall0 < 400_000_000L);
                long wall = System.nanoTime() - wall0;
                long cpu = PROCESS.getProcessCpuTime() - cpu0;
                ms[0][e][round] = wall / 1e6 / calls / samplesPerCall;
                ms[1][e][round] = cpu / 1e6 / calls / samplesPerCall;
            }
        }
        return ms;
    }

    /** Mean ms per call over a burst of at least the given milliseconds (of the thread's CPU time if cpu). */
    private static double burst(Runnable r, long millis, boolean cpu) {
        LongSupplier clock = cpu ? THREAD_TIMES::getCurrentThreadCpuTime : System::nanoTime;
        long start = clock.getAsLong();
        long deadline = start + millis * 1_000_000L;
        int calls = 0;
        long now;
        do {
            r.run();
            calls++;
            now = clock.getAsLong();
        } while (now < deadline);
        return (now - start) / 1e6 / calls;
    }

    /** {best, median}. */
    private static double[] summary(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return new double[] {s[0], s[s.length / 2]};
    }

    private static String cell(double[] values) {
        double[] s = summary(values);
        return String.format("%.3f/%.3f", s[0], s[1]);
    }

    private static String ratio(double[] a, double[] b) {
        double[] x = summary(a);
        double[] y = summary(b);
        return String.format("%.2f/%.2f", x[0] / y[0], x[1] / y[1]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
