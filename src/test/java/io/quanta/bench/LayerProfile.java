package io.quanta.bench;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int8.Int8Kernels;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;

/**
 * Where the time goes: runs a float model repeatedly in Quanta's interpreter and prints each op's mean time (the
 * thread's CPU time, steadier than wall time on a shared machine),
 * its output shape, its share of the total and the bytes it allocated (kernels should allocate none). Args: model
 * name (without .tflite; a name ending in _int8 is the converter's int8 model from models/int8_ref, and
 * {@code ours:<name>} Quanta's int8 model of {@code <name>_float} (see {@link OurInt8Models}), both run with the
 * int8 kernels on random input bytes), iterations.
 */
public final class LayerProfile {
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "tfls_mobilenet_v1_0.25_224_float";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        // Models run first in the same JVM, as in the interleaved benchmark: their JIT profiles can change the code
        // the profiled model gets (e.g. boxed vectors), which shows here as bytes allocated per op.
        for (int a = 2; a < args.length; a++) {
            Interpreter other = interpreter(args[a]);
            for (int it = 0; it < iterations; it++) {
                other.invoke();
            }
        }
        Interpreter interp = interpreter(name);
        Subgraph graph = interp.graph();
        int ops = graph.operators().size();
        long[] nanos = new long[ops];
        long[] bytes = new long[ops];
        long[] last = new long[2];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Interpreter.OpObserver timer = (n, op, outputs) -> {
            long now = threads.getCurrentThreadCpuTime();
            nanos[n] += now - last[0];
            long allocated = threads.getThreadAllocatedBytes(thread);
            bytes[n] += allocated - last[1];
            last[1] = threads.getThreadAllocatedBytes(thread);
            last[0] = threads.getCurrentThreadCpuTime();
        };
        for (int it = 0; it < iterations; it++) {
            if (it == iterations / 3) {
                Arrays.fill(nanos, 0); // the first third warms the JIT up
                Arrays.fill(bytes, 0);
            }
            last[1] = threads.getThreadAllocatedBytes(thread);
            last[0] = threads.getCurrentThreadCpuTime();
            interp.invoke(timer);
        }
        int measured = iterations - iterations / 3;
        long allocated = Arrays.stream(bytes).sum();
        long total = Arrays.stream(nanos).sum();
        for (int n = 0; n < ops; n++) {
            Operator op = graph.operators().get(n);
            System.out.printf(
                    "%3d %-20s %-22s %8.1f us %5.1f%% %6d B%n",
                    n,
                    op.type(),
                    Arrays.toString(interp.value(op.output(0)).shape()),
                    nanos[n] / 1e3 / measured,
                    100.0 * nanos[n] / total,
                    bytes[n] / measured);
        }
        System.out.printf(
                "total %.3f ms per inference, %d bytes allocated per inference%n",
                total / 1e6 / measured, allocated / measured);
    }

    /** An interpreter for the named model (see the class comment) with seeded random input. */
    private static Interpreter interpreter(String name) throws Exception {
        Model model = ModelReader.read(
                name.startsWith("ours:")
                        ? OurInt8Models.quantize(name.substring(5), Files.createTempDirectory("quanta-layer-profile"))
                        : name.endsWith("_int8")
                                ? SharedAssets.int8RefModel(name + ".tflite")
                                : SharedAssets.floatModel(name + ".tflite"));
        Interpreter interp =
                new Interpreter(model.mainGraph(), FloatKernels.registry().with(Int8Kernels.registry()));
        TensorValue in = interp.input(0);
        Random rnd = new Random(42);
        if (in.type == DataType.FLOAT32) {
            for (int k = 0; k < in.size(); k++) {
                in.f[k] = rnd.nextFloat() * 2f - 1f;
            }
        } else {
            rnd.nextBytes(in.b);
        }
        return interp;
    }
}
