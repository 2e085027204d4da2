package io.quanta.quantize.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Calibrator;
import io.quanta.calibrate.TensorStats;
import io.quanta.data.Dataset;
import io.quanta.data.Datasets;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.Preprocessing;
import io.quanta.data.Sampling;
import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int8.Int8Kernels;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.QuantizationResult;
import io.quanta.quantize.Quantizer;
import io.quanta.quantize.Range;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Empirical bias correction: what it measures, how it rounds, and that it removes the per-channel mean error. */
class BiasCorrectionTest {

    @Test
    void theMeanErrorIsTakenOnlyWhereNeitherModelClamps() {
        // relu output, scale 0.5, zero point -128: int8 -128 is the clamp, 127 the top of the range
        BiasCorrection.Accumulator acc =
                new BiasCorrection.Accumulator(2, QuantParams.perTensor(0.5f, -128), Activation.RELU);
        TensorValue f = TensorValue.ofFloats(new int[] {1, 2, 2}, new float[] {1.2f, 0f, 3.1f, 2f});
        TensorValue q = new TensorValue(DataType.INT8, new int[] {1, 2, 2});
        q.b[0] = -126; // 1.0: error 0.2 on channel 0
        q.b[1] = -127; // float clamped at 0: left out
        q.b[2] = -122; // 3.0: error 0.1 on channel 0
        q.b[3] = -128; // int8 clamped: left out
        acc.add(f, q);
        double[] e = acc.meanError();
        assertEquals(0.15, e[0], 1e-6);
        assertEquals(0.0, e[1]); // no element of channel 1 counted: its bias stays
    }

    @Test
    void theCorrectionIsRoundedInTheBiasScaleAndSaturates() {
        Tensor bias = new Tensor("b", DataType.INT32, new int[] {3})
                .data(TensorData.of(new int[] {10, Integer.MAX_VALUE - 1, -5}))
                .quant(QuantParams.perChannel(new float[] {0.1f, 0.1f, 0.01f}, 0));
        int saturated = BiasCorrection.applyCorrection(bias, new double[] {0.26, 1.0, -0.034});
        assertEquals(1, saturated);
        assertArrayEquals(new int[] {13, Integer.MAX_VALUE, -8}, TensorData.ints(bias.data()));
    }

    @Test
    void resnetCorrectionRemovesMostOfTheMeanChannelErrorOfEveryLayer() {
        Model model = ModelReader.read(SharedAssets.floatModel("tiny_ic_resnet8_float.tflite"));
        Dataset raw = Sampling.take(
                Datasets.open(
                        List.of(SharedAssets.data("cifar10/cifar10_train932_u8.npy")),
                        InputSpec.of(model.mainGraph()).stream()
                                .map(InputSpec::name)
                                .toList()),
                40,
                null);
        Dataset samples = ModelInputAdapter.adapt(raw, InputSpec.of(model.mainGraph()), Preprocessing.DEFAULT);
        CalibrationStats stats = Calibrator.forFloatModel(model.mainGraph()).run(samples);
        QuantizationResult q = Quantizer.quantize(
                model,
                index -> {
                    TensorStats t = stats.get(index);
                    return t == null || t.count() == 0 ? null : new Range(t.min(), t.max());
                },
                QuantizationOptions.defaults());
        byte[] biasBefore = biasOfFirstConv(q.model());
        BiasCorrection.Result r = BiasCorrection.correct(
                model.mainGraph(),
                FloatKernels.registry(),
                q,
                FloatKernels.registry().with(Int8Kernels.registry()),
                samples,
                samples);
        assertArrayEquals(biasBefore, biasOfFirstConv(q.model()), "the input result is not modified");
        assertNotEquals(
                java.util.Arrays.toString(TensorData.ints(biasBefore)),
                java.util.Arrays.toString(
                        TensorData.ints(biasOfFirstConv(r.result().model()))));
        assertEquals(10, r.layers().size(), r.layers().toString()); // 9 CONV_2D and the FULLY_CONNECTED
        assertTrue(r.skipped().isEmpty(), r.skipped().toString());
        for (BiasCorrection.Layer l : r.layers()) {
            System.out.printf(
                    Locale.ROOT,
                    "#%d %s: mean |channel error| %.5f -> %.5f%n",
                    l.op(),
                    l.opType(),
                    l.meanAbsErrorBefore(),
                    l.meanAbsErrorAfter());
            assertTrue(
                    l.meanAbsErrorAfter() < 0.5 * l.meanAbsErrorBefore(),
                    "#" + l.op() + " " + l.meanAbsErrorBefore() + " -> " + l.meanAbsErrorAfter());
            assertEquals(0, l.saturated());
        }
        assertFalse(r.meanAbsErrorAfter() >= r.meanAbsErrorBefore());
    }

    private static byte[] biasOfFirstConv(Model m) {
        io.quanta.graph.Operator conv = m.mainGraph().operators().stream()
                .filter(o -> o.type() == io.quanta.graph.OpType.CONV_2D)
                .findFirst()
                .orElseThrow();
        return m.mainGraph().tensor(conv.input(2)).data().clone();
    }
}
