package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.data.Dataset;
import io.quanta.data.Datasets;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.Preprocessing;
import io.quanta.pipeline.AccuracySettings;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineListener;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 acceptance, calibration methods judged in TFLite 2.21: on CIFAR-10 (tiny_ic_resnet8, 100 calibration
 * images of the 932), auto is at most 0.2 points below minmax and the best recipe is level with the converter's
 * int8 model; on the MNIST models (all 10 000 digits), auto is at most 0.05 points below minmax, and the LSTM
 * loses at most 0.1 point against float.
 */
@Slow
class CalibrationMethodsTest {
    static final CalibrationMethod[] METHODS = {
        CalibrationMethod.MINMAX,
        CalibrationMethod.PERCENTILE,
        CalibrationMethod.MSE,
        CalibrationMethod.ENTROPY,
        CalibrationMethod.AUTO
    };

    @TempDir
    static Path dir;

    @Test
    void cifarAutoKeepsUpWithMinmaxAndTheBestRecipeMatchesTheConverter() {
        Path floatModel = SharedAssets.floatModel("tiny_ic_resnet8_float.tflite");
        Path images = SharedAssets.data("cifar10/cifar10_train932_u8.npy");
        Path labels = SharedAssets.data("cifar10/cifar10_train932_labels.txt");
        double floatTop1 = top1(floatModel, floatModel, images, labels);
        double converter = top1(floatModel, SharedAssets.int8RefModel("tiny_ic_resnet8_int8.tflite"), images, labels);
        Map<CalibrationMethod, Double> ours = new EnumMap<>(CalibrationMethod.class);
        StringBuilder line = new StringBuilder();
        for (CalibrationMethod m : METHODS) {
            long t0 = System.nanoTime();
            PipelineRequest req = new PipelineRequest(
                    floatModel,
                    List.of(images),
                    labels,
                    Preprocessing.DEFAULT,
                    dir.resolve("resnet8_" + m.label() + ".tflite"),
                    QuantizationOptions.defaults(),
                    100,
                    null,
                    false,
                    List.of(),
                    null,
                    0,
                    null,
                    AccuracySettings.defaults().withCalibration(m, 99.99));
            Path out = Pipeline.run(req, PipelineListener.NONE).model();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ours.put(m, top1(floatModel, out, images, labels));
            line.append(String.format(Locale.ROOT, ", %s %.4f (%d ms)", m.label(), ours.get(m), ms));
        }
        System.out.printf(
                Locale.ROOT,
                "tiny_ic_resnet8 top-1 on 932 CIFAR-10 images in TFLite 2.21: float %.4f, converter int8 " + "%.4f%s%n",
                floatTop1,
                converter,
                line);
        assertTrue(
                ours.get(CalibrationMethod.AUTO) >= ours.get(CalibrationMethod.MINMAX) - 0.002 - 1e-9,
                "auto " + ours.get(CalibrationMethod.AUTO) + " vs minmax " + ours.get(CalibrationMethod.MINMAX));
        double best =
                ours.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(best >= converter - 1e-9, "best recipe " + best + " below the converter's " + converter);
    }

    static Stream<Path> mnistModels() {
        return SharedAssets.floatModels().filter(Runs::isMnist);
    }

    @ParameterizedTest
    @MethodSource("mnistModels")
    void mnistAutoKeepsUpWithMinmax(Path floatModel) {
        double floatTop1 = MnistAccuracyTest.top1(floatModel, floatModel);
        double minmax = MnistAccuracyTest.top1(floatModel, Runs.withMethod(floatModel, CalibrationMethod.MINMAX));
        double auto = MnistAccuracyTest.top1(floatModel, Runs.withMethod(floatModel, CalibrationMethod.AUTO));
        System.out.printf(
                Locale.ROOT,
                "%s top-1 on 10000 digits in TFLite 2.21: float %.4f, minmax %.4f, auto %.4f%n",
                Runs.stem(floatModel),
                floatTop1,
                minmax,
                auto);
        assertTrue(auto >= minmax - 0.0005 - 1e-9, floatModel + ": auto " + auto + " vs minmax " + minmax);
        if (floatModel.getFileName().toString().contains("lstm")) {
            assertTrue(
                    auto >= floatTop1 - 0.001 - 1e-9,
                    "LSTM auto " + auto + " loses more than 0.1 point vs float " + floatTop1);
        }
    }

    /** Top-1 of {@code model} in TFLite 2.21 on every image of {@code images} (raw 0..255 floats). */
    static double top1(Path floatModel, Path model, Path images, Path labels) {
        Dataset raw = Datasets.withLabels(
                Datasets.open(
                        List.of(images),
                        InputSpec.of(ModelReader.read(floatModel).mainGraph()).stream()
                                .map(InputSpec::name)
                                .toList()),
                labels,
                null);
        Dataset d = ModelInputAdapter.adapt(
                raw, InputSpec.of(ModelReader.read(model).mainGraph()), Preprocessing.DEFAULT);
        int correct = 0;
        try (TfLiteRuntime rt = new TfLiteRuntime(model)) {
            for (int s = 0; s < d.size(); s++) {
                rt.invoke(d.sample(s));
                if (rt.argmax() == d.label(s)) correct++;
            }
        }
        return (double) correct / d.size();
    }
}
