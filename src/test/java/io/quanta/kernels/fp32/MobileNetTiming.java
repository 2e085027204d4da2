package io.quanta.kernels.fp32;

import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.interp.Interpreter;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.Random;

/**
 * Prints single-thread inference time of MobileNet-v1-0.25-224 in Quanta (total and per op kind) and in
 * TFLite 2.21 on the same machine. A plain main, not a test: timing is informative, never asserted.
 */
public final class MobileNetTiming {
    public static void main(String[] args) {
        Path path = SharedAssets.floatModel("tfls_mobilenet_v1_0.25_224_float.tflite");
        Model model = ModelReader.read(path);
        Interpreter interp = new Interpreter(model.mainGraph(), TestShapeKernels.withStaticReshapes(FloatKernels.registry()));
        float[] x = OneOpGraph.random(new Random(1), interp.input(0).size(), -1, 1);
        System.arraycopy(x, 0, interp.input(0).f, 0, x.length);
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long[] perType = new long[OpType.values().length];
        long[] last = new long[1];
        long best = Long.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            boolean measure = r >= runs / 2;
            long t0 = System.nanoTime();
            last[0] = t0;
            interp.invoke((n, op, outs) -> {
                long now = System.nanoTime();
                if (measure) {
                    perType[op.type().ordinal()] += now - last[0];
                }
                last[0] = now;
            });
            best = Math.min(best, System.nanoTime() - t0);
        }
        int measured = runs - runs / 2;
        System.out.printf("Quanta  MobileNet-v1-0.25-224, 1 thread: best %.2f ms%n", best / 1e6);
        for (OpType t : OpType.values()) {
            if (perType[t.ordinal()] > 0) {
                System.out.printf("  %-20s mean %.2f ms%n", t, perType[t.ordinal()] / 1e6 / measured);
            }
        }
        try (TfLiteRuntime rt = new TfLiteRuntime(path)) {
            rt.setInput(0, x);
            long tBest = Long.MAX_VALUE;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                rt.invoke();
                tBest = Math.min(tBest, System.nanoTime() - t0);
            }
            System.out.printf("TFLite 2.21 default kernels, 1 thread: best %.2f ms%n", tBest / 1e6);
        }
    }
}
