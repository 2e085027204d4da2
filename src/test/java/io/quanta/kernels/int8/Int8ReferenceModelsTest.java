package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strongest test of the int8 kernels: the TensorFlow converter's int8 models run in our interpreter and
 * in TFLite 2.21 on the same seeded random inputs. Every output element must be within one quantization step
 * and at least 99 % of them bit-identical.
 */
class Int8ReferenceModelsTest {
    static final int SAMPLES = 20;

    /** Agreement statistics of one model's outputs. */
    record Agreement(long elements, long identical, double maxSteps) {
        double fraction() {
            return elements == 0 ? 1 : (double) identical / elements;
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tiny_vww_96_int8",
                "tiny_ic_resnet8_int8",
                "tiny_ic_resnet8_large_int8",
                "tiny_kws_dscnn_int8",
                "ethosu85_mnist_cnn_int8",
                "tflm_hello_world_int8",
                "tflm_mnist_lstm_int8"
            })
    void matchesTfLite(String name) {
        Path file = SharedAssets.int8RefModel(name + ".tflite");
        Subgraph graph = ModelReader.read(file).mainGraph();
        System.out.println(name + " ops: " + opCounts(graph));
        Interpreter ours = new Interpreter(graph, FloatKernels.registry().with(Int8Kernels.registry()));
        Agreement a = compare(graph, ours, file, SAMPLES, new Random(42));
        System.out.printf(
                "%s: %d output elements, %.5f bit-identical, max diff %.3f steps%n",
                name, a.elements(), a.fraction(), a.maxSteps());
        assertTrue(a.maxSteps() <= 1.0 + 1e-6, name + ": max difference " + a.maxSteps() + " steps");
        assertTrue(a.fraction() >= 0.99, name + ": only " + a.fraction() + " bit-identical");
    }

    static String opCounts(Subgraph g) {
        Map<String, Long> counts = g.operators().stream()
                .collect(Collectors.groupingBy(
                        op -> op.displayName() + "/" + g.tensor(op.output(0)).type(),
                        TreeMap::new,
                        Collectors.counting()));
        return counts.toString();
    }

    static Agreement compare(Subgraph graph, Interpreter ours, Path file, int samples, Random random) {
        long elements = 0;
        long identical = 0;
        double maxSteps = 0;
        try (TfLiteRuntime tfl = new TfLiteRuntime(file)) {
            for (int s = 0; s < samples; s++) {
                ours.resetVariables();
                tfl.resetVariables();
                for (int i = 0; i < ours.inputCount(); i++) {
                    Tensor t = graph.inputTensor(i);
                    byte[] raw = randomInput(t, random);
                    setOurs(ours.input(i), raw);
                    tfl.setInput(i, raw);
                }
                ours.invoke();
                tfl.invoke();
                for (int o = 0; o < ours.outputCount(); o++) {
                    Tensor t = graph.outputTensor(o);
                    byte[] expected = tfl.output(o);
                    TensorValue got = ours.output(o);
                    double step = stepOf(graph, graph.outputs()[o]);
                    for (int k = 0; k < got.size(); k++) {
                        double e = valueAt(expected, t.type(), k);
                        double g = got.getAsDouble(k);
                        elements++;
                        if (e == g) {
                            identical++;
                        }
                        maxSteps = Math.max(maxSteps, Math.abs(e - g) / step);
                    }
                }
            }
        }
        return new Agreement(elements, identical, maxSteps);
    }

    /** One quantization step of an output: 1 for integer tensors, else the scale of the int8 value dequantized into it. */
    static double stepOf(Subgraph g, int tensor) {
        Tensor t = g.tensor(tensor);
        if (t.type() != DataType.FLOAT32) {
            return 1;
        }
        for (Operator op : g.operators()) {
            if (op.type() == OpType.DEQUANTIZE && op.output(0) == tensor) {
                Tensor in = g.tensor(op.input(0));
                return in.isQuantized() ? in.quant().scale(0) : 1e-6;
            }
        }
        return 1e-6;
    }

    /** Seeded random bytes for an input: uniform int8, or float values around the int8 grid of its QUANTIZE. */
    static byte[] randomInput(Tensor t, Random random) {
        int n = (int) t.elementCount();
        switch (t.type()) {
            case INT8, UINT8 -> {
                byte[] b = new byte[n];
                random.nextBytes(b);
                return b;
            }
            case FLOAT32 -> {
                float scale = t.isQuantized() ? t.quant().scale(0) : 1f / 128;
                long zp = t.isQuantized() ? t.quant().zeroPoint(0) : 0;
                ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < n; k++) {
                    bb.putFloat((float) (scale * (random.nextInt(256) - 128 - zp + random.nextDouble() - 0.5)));
                }
                return bb.array();
            }
            default -> throw new IllegalArgumentException("input type " + t.type());
        }
    }

    static void setOurs(TensorValue v, byte[] raw) {
        switch (v.type) {
            case INT8, UINT8 -> System.arraycopy(raw, 0, v.b, 0, v.size());
            case FLOAT32 ->
                ByteBuffer.wrap(raw)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(v.f, 0, v.size());
            default -> throw new IllegalArgumentException("input type " + v.type);
        }
    }

    static double valueAt(byte[] raw, DataType type, int k) {
        return switch (type) {
            case INT8 -> raw[k];
            case UINT8 -> raw[k] & 0xff;
            case FLOAT32 -> ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat(4 * k);
            case INT16 -> ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getShort(2 * k);
            default -> throw new IllegalArgumentException("output type " + type);
        };
    }
}
