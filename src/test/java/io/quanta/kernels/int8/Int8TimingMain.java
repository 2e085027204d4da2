package io.quanta.kernels.int8;

import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.Random;

/** Rough int8 throughput against TFLite 2.21 (one thread): prints, never asserts. Run with exec:java or an IDE. */
public final class Int8TimingMain {
    private Int8TimingMain() {}

    public static void main(String[] args) {
        String[] models = args.length > 0
                ? args
                : new String[] {
                    "tiny_vww_96_int8", "tiny_ic_resnet8_int8", "tiny_kws_dscnn_int8", "ethosu85_mnist_cnn_int8"
                };
        for (String name : models) {
            Path file = SharedAssets.int8RefModel(name + ".tflite");
            Subgraph graph = ModelReader.read(file).mainGraph();
            Interpreter ours = new Interpreter(graph, FloatKernels.registry().with(Int8Kernels.registry()));
            byte[] raw = Int8ReferenceModelsTest.randomInput(graph.inputTensor(0), new Random(1));
            Int8ReferenceModelsTest.setOurs(ours.input(0), raw);
            try (TfLiteRuntime tfl = new TfLiteRuntime(file)) {
                tfl.setInput(0, raw);
                double oursMs = time(ours::invoke);
                double tflMs = time(tfl::invoke);
                System.out.printf(
                        "%-28s ours %7.3f ms  tflite %7.3f ms  ratio %.2f%n", name, oursMs, tflMs, oursMs / tflMs);
            }
        }
    }

    private static double time(Runnable r) {
        for (int i = 0; i < 200; i++) {
            r.run();
        }
        // Thread CPU time: the machine may be shared, and both runtimes compute on this one thread.
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        int n = 300;
        long t0 = bean.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (bean.getCurrentThreadCpuTime() - t0) / 1e6 / n;
    }
}
