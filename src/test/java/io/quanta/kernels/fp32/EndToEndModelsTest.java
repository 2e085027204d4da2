package io.quanta.kernels.fp32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Model;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.TensorValue;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole shared float models (including the hybrid KWS model) in Quanta's interpreter against TFLite 2.21
 * on random inputs in each model's input range. RESHAPE/SQUEEZE come from {@link TestShapeKernels} until the
 * real shape kernels are merged.
 */
class EndToEndModelsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tfls_mobilenet_v1_0.25_224_float.tflite, -1, 1, 1e-5",
        "tiny_vww_96_float.tflite, 0, 1, 1e-5",
        "tiny_ic_resnet8_float.tflite, 0, 255, 1e-5",
        "tiny_kws_dscnn_hybrid_float.tflite, -30, 30, 1e-4",
    })
    void matchesTfLite(String file, float lo, float hi, double tolerance) {
        Path path = SharedAssets.floatModel(file);
        Model model = ModelReader.read(path);
        Interpreter interp = new Interpreter(model.mainGraph(), TestShapeKernels.withStaticReshapes(FloatKernels.registry()));
        Random random = new Random(3);
        try (TfLiteRuntime rt = new TfLiteRuntime(path)) {
            for (int sample = 0; sample < 3; sample++) {
                TensorValue input = interp.input(0);
                float[] x = OneOpGraph.random(random, input.size(), lo, hi);
                System.arraycopy(x, 0, input.f, 0, x.length);
                interp.invoke();
                rt.setInput(0, x);
                rt.invoke();
                float[] ref = rt.outputFloats(0);
                TensorValue got = interp.output(0);
                assertArrayEquals(rt.outputShape(0), got.shape(), file + ": output shape");
                double scale = 1;
                double worst = 0;
                for (int i = 0; i < ref.length; i++) {
                    scale = Math.max(scale, Math.abs(ref[i]));
                    worst = Math.max(worst, Math.abs((double) ref[i] - got.f[i]));
                }
                System.out.printf("end-to-end %-45s sample %d: max abs diff %.3g (max |ref| %.3g)%n", file, sample,
                        worst, scale);
                assertTrue(worst <= tolerance * scale, file + ": max abs diff " + worst);
            }
        }
    }

}
