package io.quanta.kernels.fp32;

import io.quanta.graph.Model;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM models written by our writer, run in TFLite 2.21 and in Quanta: two
 * invocations in a row (the state carries over in the variable tensors), then one after resetting them.
 */
class SequenceLstmVsTfLiteTest {
    @AfterAll
    static void printSummary() {
        System.out.println("Sequence LSTM vs TFLite 2.21:\n" + TfLiteAgreement.summary());
    }

    private static void compare(String what, SequenceLstmTest.Params p, boolean timeMajor) throws IOException {
        Model model = Model.of(SequenceLstmTest.graph(p, timeMajor).subgraph());
        Interpreter ours = new Interpreter(model.mainGraph(), FloatKernels.registry());
        float[] x = new float[ours.input(0).size()];
        Random rnd = new Random(11);
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) rnd.nextGaussian();
        }
        Path file = Files.createTempFile("quanta-lstm-", ".tflite");
        try (TfLiteRuntime rt = new TfLiteRuntime(writeTo(model, file))) {
            double worst = 0;
            for (int round = 0; round < 3; round++) {
                if (round == 2) {
                    rt.resetVariables();
                    ours.resetVariables();
                }
                rt.setInput(0, x);
                SingleOpModels.fill(ours.input(0), TensorData.of(x));
                rt.invoke();
                ours.invoke();
                worst = Math.max(
                        worst,
                        TfLiteAgreement.assertClose(
                                what + " round " + round,
                                rt.outputFloats(0),
                                ours.output(0).floats()));
            }
            TfLiteAgreement.record(what, worst);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Path writeTo(Model model, Path file) {
        ModelWriter.write(model, file);
        return file;
    }

    @Test
    void plainTimeMajor() throws IOException {
        compare("LSTM plain, time-major", new SequenceLstmTest.Params(1, false, false, false, false, 0, 0), true);
    }

    @Test
    void peepholeCellClipBatchMajor() throws IOException {
        compare(
                "LSTM peephole + cell clip, batch-major",
                new SequenceLstmTest.Params(2, false, true, false, false, 0.8f, 0),
                false);
    }

    @Test
    void cifgProjectionClip() throws IOException {
        compare(
                "LSTM CIFG + peephole + projection clip",
                new SequenceLstmTest.Params(3, true, true, false, true, 0, 0.5f),
                true);
    }

    @Test
    void layerNorm() throws IOException {
        compare(
                "LSTM layer norm + projection",
                new SequenceLstmTest.Params(4, false, true, true, true, 1.5f, 0),
                false);
    }
}
