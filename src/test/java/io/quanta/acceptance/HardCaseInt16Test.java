package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.pipeline.AccuracySettings;
import io.quanta.pipeline.Budget;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineException;
import io.quanta.pipeline.PipelineListener;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.testing.PerOpAgreement;
import io.quanta.testing.Slow;
import io.quanta.testing.SpeechFrontEnd;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, {@code --fallback int16} on the hard case of issue 9 (frames squared, a filterbank whose gains run from 1
 * to 10^4, LOG, a small conv classifier). The int16 path is bit-exact with TFLite 2.21 op by op, so the shortfall is
 * not a kernel bug: the energies the LOG reads span more decades than int16's 65 536 steps at zero point 0 hold. The
 * float model with only the squared frames (or only the energies) rounded to their int16 grid already misses the
 * budget, so no choice of int16 ops can meet it, and the search says so instead of moving ops to float.
 */
@Slow
class HardCaseInt16Test {
    @TempDir
    static Path dir;

    static Path model;
    static Path windows;
    static NdArray all;
    static final int SIZE = SpeechFrontEnd.FRAMES * SpeechFrontEnd.FRAME;

    @BeforeAll
    static void build() throws IOException {
        windows = SpeechFrontEnd.writeWindows(dir.resolve("speech_windows.npy"));
        model = SpeechFrontEnd.writeModel(dir.resolve("speech_front_end.tflite"), windows);
        all = Npy.read(windows);
    }

    static int windowCount() {
        return all.shape()[0];
    }

    static float[] window(int w) {
        return Arrays.copyOfRange(all.floats(), w * SIZE, (w + 1) * SIZE);
    }

    /** Quantized in int8 with the given ops (selectors) in int16, or kept float. */
    static Pipeline.Outcome quantize(String tag, List<String> int16, List<String> keepFloat) {
        PipelineRequest r = PipelineRequest.of(model, List.of(windows), dir.resolve(tag + ".tflite"));
        return Pipeline.run(
                r.withOptions(r.options().withInt16Ops(int16).withKeepFloat(keepFloat)), PipelineListener.NONE);
    }

    @Test
    void theInt16FrontEndIsBitExactWithTfLiteOpByOp() {
        Pipeline.Outcome o = quantize("front_end_int16", List.of("#0", "#1"), List.of());
        List<List<byte[]>> samples = new ArrayList<>();
        for (int w = 0; w < windowCount(); w++) {
            ByteBuffer b = ByteBuffer.allocate(SIZE * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(window(w));
            samples.add(List.of(b.array()));
        }
        List<PerOpAgreement.Op> ops = PerOpAgreement.compare(o.model(), Pipeline.quantizedKernels(), samples);
        ops.forEach(op -> System.out.println("hard case, front end int16: " + op));
        assertTrue(ops.stream().anyMatch(op -> op.name().equals("MUL") && op.output() == DataType.INT16));
        assertTrue(ops.stream().anyMatch(op -> op.name().equals("FULLY_CONNECTED") && op.output() == DataType.INT16));
        for (PerOpAgreement.Op op : ops) {
            if (op.output() == DataType.FLOAT32) {
                // LOG runs in float on both sides; std::log and Java's log may differ in the last bit.
                assertTrue(op.maxDiff() < 1e-5, op.toString());
            } else {
                assertTrue(op.exact(), op.toString());
            }
        }
        assertEquals(
                o.report().evaluation().classification().agreement(),
                HardCaseSearchTest.agreementInTfLiteOf(model, windows, o.model()),
                1e-9);
    }

    @Test
    void theFloatModelOnTheInt16GridOfItsEnergiesAlreadyMissesTheBudget() {
        Pipeline.Outcome o = quantize("grid", List.of("#0", "#1"), List.of());
        Subgraph q = ModelReader.read(o.model()).mainGraph();
        float power = scaleOf(q, "power");
        float energies = scaleOf(q, "energies");
        Subgraph f = ModelReader.read(model).mainGraph();
        double[] onlyPower = onGrid(f, new float[] {power, 0});
        double[] onlyEnergies = onGrid(f, new float[] {0, energies});
        System.out.printf(
                "hard case, float model with the squared frames on their int16 grid (step %.3g): agreement %.4f,"
                        + " %.1f%% of values below half a step; with the energies on theirs (step %.3g): %.4f,"
                        + " %.1f%% below half a step%n",
                power, onlyPower[0], 100 * onlyPower[1], energies, onlyEnergies[0], 100 * onlyEnergies[2]);
        assertTrue(onlyPower[0] < 0.95, "power on its int16 grid: " + onlyPower[0]);
        assertTrue(onlyEnergies[0] < 0.95, "energies on their int16 grid: " + onlyEnergies[0]);
    }

    @Test
    void theInt16SearchSaysInt16IsNotEnoughAndMovesNothingToFloat() {
        AccuracySettings acc = AccuracySettings.defaults()
                .withBudget(new Budget(0.95, null, null), AccuracySettings.Strategy.GREEDY)
                .withSearch(AccuracySettings.Strategy.GREEDY, 20, AccuracySettings.Fallback.INT16);
        PipelineRequest r = PipelineRequest.of(model, List.of(windows), dir.resolve("int16_search.tflite"))
                .withAccuracy(acc);
        PipelineException e = assertThrows(PipelineException.class, () -> Pipeline.run(r, PipelineListener.NONE));
        System.out.println("hard case --fallback int16: " + e.getMessage());
        assertEquals("AccuracyBudgetNotMet", e.errorCode());
        assertTrue(e.getMessage().contains(" to int16 "), e.getMessage());
        assertTrue(!e.getMessage().contains("] float"), e.getMessage());
        assertTrue(e.getMessage().contains("int16 is not enough"), e.getMessage());
        assertTrue(e.getMessage().contains("--fallback float"), e.getMessage());
        assertTrue(e.getMessage().contains("float before the search: [log_energies]"), e.getMessage());
    }

    /**
     * Not an assertion (no timed assertions): TFLite 2.21's CPU time per window of the model with every int16-capable
     * op in int16 against the float-fallback answer (MUL and FULLY_CONNECTED float), in interleaved bursts.
     */
    @Test
    void latencyInTfLiteOfTheInt16ModelAgainstTheFloatFallback() {
        Pipeline.Outcome int16 = quantize("all_int16", List.of("#0", "#1", "#3", "#4", "#5", "#6"), List.of());
        Pipeline.Outcome front = quantize("front_int16", List.of("#0", "#1"), List.of());
        Pipeline.Outcome fl = quantize("float_fallback", List.of(), List.of("#0", "#1"));
        Path[] models = {int16.model(), front.model(), fl.model(), model};
        String[] names = {"every int16-capable op int16", "MUL+FC int16", "MUL+FC float (float fallback)", "float"};
        double[][] bursts = new double[models.length][25];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        TfLiteRuntime[] rt = new TfLiteRuntime[models.length];
        try {
            for (int m = 0; m < models.length; m++) rt[m] = new TfLiteRuntime(models[m]);
            for (int round = 0; round < 25; round++) {
                for (int m = 0; m < models.length; m++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    for (int k = 0; k < 50; k++) {
                        rt[m].setInput(0, window(k % windowCount()));
                        rt[m].invoke();
                    }
                    bursts[m][round] = (cpu.getCurrentThreadCpuTime() - t0) / 50 / 1e3;
                }
            }
        } finally {
            for (TfLiteRuntime t : rt) if (t != null) t.close();
        }
        for (int m = 0; m < models.length; m++) {
            double[] b = bursts[m].clone();
            Arrays.sort(b);
            System.out.printf(
                    "hard case latency in TFLite 2.21, %s: best %.1f us, median %.1f us per window; agreement %s%n",
                    names[m],
                    b[0],
                    b[b.length / 2],
                    m < 3
                            ? String.format(
                                    "%.4f",
                                    new Pipeline.Outcome[] {int16, front, fl}
                                            [m].report()
                                            .evaluation()
                                            .classification()
                                            .agreement())
                            : "1");
        }
        assertTrue(fl.report().evaluation().classification().agreement() >= 0.95);
    }

    private static float scaleOf(Subgraph g, String name) {
        return g.tensors().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow()
                .quant()
                .scale(0);
    }

    /**
     * Agreement of the float model with itself when op 0's output (power) and/or op 1's (energies) are rounded to a
     * symmetric int16 grid of the given steps (0: left alone), and the fraction of each below half a step.
     */
    private static double[] onGrid(Subgraph f, float[] step) {
        Interpreter ref = new Interpreter(f, FloatKernels.registry());
        Interpreter sim = new Interpreter(f, FloatKernels.registry());
        long[] below = new long[2];
        long[] seen = new long[2];
        int agree = 0;
        for (int w = 0; w < windowCount(); w++) {
            float[] x = window(w);
            System.arraycopy(x, 0, ref.input(0).f, 0, SIZE);
            System.arraycopy(x, 0, sim.input(0).f, 0, SIZE);
            ref.invoke();
            sim.invoke((k, op, outs) -> {
                if (k < 2 && step[k] > 0) {
                    float[] v = outs[0].f;
                    for (int e = 0; e < outs[0].size(); e++) {
                        long steps = Math.round(v[e] / step[k]);
                        seen[k]++;
                        if (steps == 0 && v[e] != 0) below[k]++;
                        v[e] = Math.max(-32768, Math.min(32767, steps)) * step[k];
                    }
                }
            });
            if (argmax(ref.output(0).f) == argmax(sim.output(0).f)) agree++;
        }
        return new double[] {
            (double) agree / windowCount(),
            seen[0] == 0 ? 0 : (double) below[0] / seen[0],
            seen[1] == 0 ? 0 : (double) below[1] / seen[1]
        };
    }

    private static int argmax(float[] v) {
        int b = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[b]) b = k;
        return b;
    }
}
