package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Op-by-op agreement with TFLite's builtin int8 kernels (no delegate, all tensors preserved): for every op,
 * the fraction of its int8 output elements that are bit-identical and the largest difference in steps.
 * Also checks that the judge (the C API interpreter) computes exactly what the builtin kernels compute.
 */
class Int8PerOpDiagnosticsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tiny_vww_96_int8",
                "tiny_ic_resnet8_int8",
                "tiny_ic_resnet8_large_int8",
                "tiny_kws_dscnn_int8",
                "tflm_hello_world_int8",
                "tflm_mnist_lstm_int8",
                "ethosu85_mnist_cnn_int8"
            })
    void everyOpAgrees(String name) {
        Path file = SharedAssets.int8RefModel(name + ".tflite");
        Subgraph graph = ModelReader.read(file).mainGraph();
        int ops = graph.operators().size();
        // Each op alone, fed TFLite's own inputs, so that differences do not compound.
        Interpreter[] single = new Interpreter[ops];
        for (int n = 0; n < ops; n++) {
            Operator op = graph.operators().get(n);
            int[] ins = java.util.Arrays.stream(op.inputs())
                    .filter(t -> t >= 0
                            && !graph.tensor(t).isConstant()
                            && !graph.tensor(t).isVariable())
                    .toArray();
            Subgraph one = new Subgraph("op" + n, graph.tensors(), java.util.List.of(op), ins, op.outputs());
            single[n] = new Interpreter(one, FloatKernels.registry().with(Int8Kernels.registry()));
        }
        long[] total = new long[ops];
        long[] same = new long[ops];
        int[] maxDiff = new int[ops];
        Random random = new Random(7);
        try (TfLiteRuntime probe = TfLiteRuntime.preservingAllTensors(file, false);
                TfLiteRuntime judge = new TfLiteRuntime(file)) {
            for (int s = 0; s < 10; s++) {
                for (int i = 0; i < graph.inputs().length; i++) {
                    byte[] raw = Int8ReferenceModelsTest.randomInput(graph.inputTensor(i), random);
                    probe.setInput(i, raw);
                    judge.setInput(i, raw);
                }
                probe.resetVariables();
                judge.resetVariables();
                probe.invoke();
                judge.invoke();
                for (int o = 0; o < graph.outputs().length; o++) {
                    assertArrayEquals(
                            judge.output(o),
                            probe.tensor(graph.outputs()[o]),
                            name + ": the C API and the builtin kernels disagree on output " + o);
                }
                for (int n = 0; n < ops; n++) {
                    Interpreter one = single[n];
                    one.resetVariables(); // recurrent state starts at zero, as in the whole model
                    for (int i = 0; i < one.inputCount(); i++) {
                        io.quanta.testing.SingleOpModels.fill(
                                one.input(i), probe.tensor(one.graph().inputs()[i]));
                    }
                    one.invoke();
                    int t = graph.operators().get(n).output(0);
                    if (graph.tensor(t).type() != DataType.INT8) {
                        continue;
                    }
                    byte[] expected = probe.tensor(t);
                    TensorValue got = one.output(0);
                    for (int k = 0; k < got.size(); k++) {
                        total[n]++;
                        int d = Math.abs(expected[k] - got.b[k]);
                        if (d == 0) {
                            same[n]++;
                        }
                        maxDiff[n] = Math.max(maxDiff[n], d);
                    }
                }
            }
        }
        int worst = 0;
        long all = 0;
        long allSame = 0;
        for (int n = 0; n < ops; n++) {
            if (total[n] > 0 && same[n] != total[n]) {
                System.out.printf(
                        "%s op %d %s: %.5f identical, max diff %d%n",
                        name, n, graph.operators().get(n).displayName(), (double) same[n] / total[n], maxDiff[n]);
            }
            worst = Math.max(worst, maxDiff[n]);
            all += total[n];
            allSame += same[n];
        }
        System.out.printf("%s: per-op %.6f identical, worst difference %d%n", name, (double) allSame / all, worst);
        assertTrue(worst <= 1, name + ": an op differs by " + worst + " steps from TFLite");
    }
}
