package io.quanta.quantize.recipes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.ColorMode;
import io.quanta.data.Dataset;
import io.quanta.data.Datasets;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.Normalization;
import io.quanta.data.Preprocessing;
import io.quanta.data.Resize;
import io.quanta.data.Sampling;
import io.quanta.graph.Model;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11 acceptance: the equalized float model, written by our writer, computes the original's function in
 * TFLite 2.21 (outputs within 1e-5 relative) on CIFAR-10 images (resized to the model's input), while its weights
 * did change.
 */
@Slow
class EqualizationTfLiteTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"tiny_ic_resnet8_float.tflite, NONE", "tiny_vww_96_float.tflite, UNIT"})
    void theEqualizedModelComputesTheSameFunctionInTfLite(String name, Normalization normalization) {
        Path original = SharedAssets.floatModel(name);
        Model model = ModelReader.read(original);
        Equalization.Result r = Equalization.equalize(model);
        Path equalized = dir.resolve("equalized.tflite");
        ModelWriter.write(r.model(), equalized);
        Dataset raw = Sampling.take(
                Datasets.open(
                        List.of(SharedAssets.data("cifar10/cifar10_train932_u8.npy")),
                        InputSpec.of(model.mainGraph()).stream()
                                .map(InputSpec::name)
                                .toList()),
                50,
                null);
        Dataset samples =
                // CIFAR-10's 32x32 images stand in for VWW's 96x96 input, resized on purpose.
                ModelInputAdapter.adapt(
                        raw,
                        InputSpec.of(model.mainGraph()),
                        new Preprocessing(ColorMode.AUTO, Resize.ALL, normalization));
        double worst = 0;
        boolean anyDifferentBits = false;
        try (TfLiteRuntime a = new TfLiteRuntime(original);
                TfLiteRuntime b = new TfLiteRuntime(equalized)) {
            for (int s = 0; s < samples.size(); s++) {
                a.invoke(samples.sample(s));
                b.invoke(samples.sample(s));
                float[] x = a.outputFloats(0);
                float[] y = b.outputFloats(0);
                double scale = 0;
                double diff = 0;
                for (int k = 0; k < x.length; k++) {
                    scale = Math.max(scale, Math.abs(x[k]));
                    diff = Math.max(diff, Math.abs(x[k] - y[k]));
                    anyDifferentBits |= x[k] != y[k];
                }
                worst = Math.max(worst, diff / scale);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s equalized (%d pairs, %d sweeps, channel scales %.3g..%.3g): worst output difference %.2e "
                        + "relative over %d samples in TFLite 2.21%n",
                name,
                r.pairs().size(),
                r.sweeps(),
                r.minScale(),
                r.maxScale(),
                worst,
                samples.size());
        assertTrue(worst <= 1e-5, name + ": worst relative difference " + worst);
        assertFalse(r.pairs().isEmpty());
        assertTrue(r.maxScale() > 1.01 || r.minScale() < 0.99, "the weights did not change");
        assertTrue(anyDifferentBits || worst == 0);
    }
}
