package io.quanta.acceptance;

import io.quanta.data.Dataset;
import io.quanta.data.Datasets;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.NdArray;
import io.quanta.data.Normalization;
import io.quanta.data.Npy;
import io.quanta.data.Preprocessing;
import io.quanta.data.Sampling;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineException;
import io.quanta.pipeline.PipelineListener;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SharedModelData;
import io.quanta.tflite.ModelReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models the acceptance tests judge, produced once per test JVM through the real pipeline: each shared float
 * model calibrated on 100 samples of matching real data where ../shared/data has it (MNIST digits spread over
 * the set, the person images, the ImageNet test images) and on 100 seeded random samples in the model's
 * realistic input range otherwise.
 */
final class Runs {
    static final int CALIBRATION_SAMPLES = 100;

    private static final Path WORK;
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();

    static {
        try {
            WORK = Files.createTempDirectory("quanta-acceptance");
            Runtime.getRuntime().addShutdownHook(new Thread(Runs::deleteWork));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Runs() {}

    private static void deleteWork() {
        try (java.util.stream.Stream<Path> files = Files.walk(WORK)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }

    /**
     * Where a model's calibration data is, how it is prepared, and how many samples to calibrate on (0: all, for the
     * few shared images: asking for more than a dataset holds is an error).
     */
    record Data(List<Path> files, Path labels, Preprocessing preprocessing, int samples) {}

    static boolean isMnist(Path floatModel) {
        String n = floatModel.getFileName().toString();
        return n.contains("mnist");
    }

    static String stem(Path model) {
        return model.getFileName().toString().replace(".tflite", "");
    }

    /** The calibration data of a float model (writing the random .npy files on first use). */
    static synchronized Data data(Path floatModel) {
        String name = floatModel.getFileName().toString();
        Subgraph g = ModelReader.read(floatModel).mainGraph();
        if (isMnist(floatModel)) {
            Normalization n = SharedModelData.mnistNormalization(g.inputTensor(0));
            return new Data(
                    List.of(SharedModelData.mnistImages()),
                    SharedModelData.mnistLabels(),
                    Preprocessing.normalized(n),
                    CALIBRATION_SAMPLES);
        }
        SharedModelData.ImageData images = SharedModelData.images(name);
        if (images != null) {
            return new Data(List.of(images.folder()), null, Preprocessing.normalized(images.normalization()), 0);
        }
        List<Path> files = new ArrayList<>();
        Random rnd = new Random(name.hashCode());
        for (int k = 0; k < g.inputs().length; k++) {
            Path f = WORK.resolve(stem(floatModel) + "_input" + k + ".npy");
            if (!Files.exists(f)) {
                write(f, random(name, g.inputTensor(k), rnd));
            }
            files.add(f);
        }
        return new Data(files, null, Preprocessing.DEFAULT, CALIBRATION_SAMPLES);
    }

    /** 100 random samples in the range the model expects, stacked on a new first axis. */
    private static NdArray random(String model, Tensor t, Random rnd) {
        int[] one = t.shape();
        int n = io.quanta.graph.Shapes.size(one);
        int[] shape = new int[one.length + 1];
        shape[0] = CALIBRATION_SAMPLES;
        System.arraycopy(one, 0, shape, 1, one.length);
        int total = n * CALIBRATION_SAMPLES;
        if (t.type() == DataType.INT32) {
            int[] v = new int[total];
            for (int k = 0; k < total; k++) {
                v[k] = rnd.nextInt(SharedModelData.TOKEN_ID_BOUND);
            }
            return NdArray.ofInts(shape, v);
        }
        float[] range = realisticRange(model);
        float[] f = new float[total];
        for (int k = 0; k < total; k++) {
            f[k] = range[0] + rnd.nextFloat() * (range[1] - range[0]);
        }
        return NdArray.ofFloats(shape, f);
    }

    /**
     * {@link SharedModelData#knownFloatRange}; else, where the converter's int8 model of the same float model
     * exists, the range its input quantization covers; [-1, 1] otherwise.
     */
    private static float[] realisticRange(String model) {
        float[] known = SharedModelData.knownFloatRange(model);
        if (known != null) {
            return known;
        }
        Path ref = referenceOf(model);
        if (ref != null) {
            Tensor in = ModelReader.read(ref).mainGraph().inputTensor(0);
            if (in.isQuantized()) {
                QuantParams q = in.quant();
                return new float[] {q.scale(0) * (-128 - q.zeroPoint(0)), q.scale(0) * (127 - q.zeroPoint(0))};
            }
        }
        return new float[] {-1f, 1f};
    }

    /** The converter's int8 model of a float model, or null. */
    static Path referenceOf(String floatModelName) {
        String base =
                floatModelName.replace(".tflite", "").replace("_float", "").replace("_hybrid", "");
        Path ref = SharedAssets.int8RefModel(base + "_int8.tflite");
        return Files.isRegularFile(ref) ? ref : null;
    }

    private static void write(Path f, NdArray a) {
        try {
            Npy.write(f, a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model quantized in int8 mode with a float interface (cached). */
    static Pipeline.Outcome int8(Path floatModel) {
        return (Pipeline.Outcome) CACHE.computeIfAbsent("int8:" + floatModel, k -> {
            Pipeline.Outcome o = quantize(floatModel, QuantizationOptions.defaults(), "int8");
            System.out.printf("%s: int8 %s%n", stem(floatModel), o.summary().message());
            return o;
        });
    }

    /** The model quantized in int8-only mode: the outcome, or the pipeline's failure (cached). */
    static Object int8Only(Path floatModel) {
        return CACHE.computeIfAbsent("int8only:" + floatModel, k -> {
            try {
                return quantize(
                        floatModel,
                        QuantizationOptions.defaults().withMode(io.quanta.quantize.QuantizationMode.INT8_ONLY),
                        "int8only");
            } catch (PipelineException e) {
                return e;
            }
        });
    }

    /** tiny_vww_96 in int8-only mode with int8 input and output (cached). */
    static Pipeline.Outcome vwwIntegerOnly() {
        return (Pipeline.Outcome) CACHE.computeIfAbsent(
                "vww-int8-io",
                k -> quantize(
                        SharedAssets.floatModel("tiny_vww_96_float.tflite"),
                        QuantizationOptions.defaults()
                                .withMode(io.quanta.quantize.QuantizationMode.INT8_ONLY)
                                .withInputType(io.quanta.quantize.InterfaceType.INT8)
                                .withOutputType(io.quanta.quantize.InterfaceType.INT8),
                        "int8only_int8io"));
    }

    /** One pipeline run on the model's calibration data, without evaluation (the tests judge in TFLite). */
    static Pipeline.Outcome quantize(Path floatModel, QuantizationOptions options, String tag) {
        return quantize(floatModel, options, io.quanta.pipeline.AccuracySettings.defaults(), tag);
    }

    /** {@link #quantize(Path, QuantizationOptions, String)} with accuracy settings (a calibration method, say). */
    static Pipeline.Outcome quantize(
            Path floatModel, QuantizationOptions options, io.quanta.pipeline.AccuracySettings accuracy, String tag) {
        Data d = data(floatModel);
        Path out = WORK.resolve(stem(floatModel) + "_" + tag + ".tflite");
        PipelineRequest req = new PipelineRequest(
                floatModel,
                d.files(),
                d.labels(),
                d.preprocessing(),
                out,
                options,
                d.samples(),
                null,
                false,
                List.of(),
                null,
                0,
                null,
                accuracy);
        return Pipeline.run(req, PipelineListener.NONE);
    }

    /** The model calibrated with {@code method} (cached; minmax is {@link #int8}). */
    static Path withMethod(Path floatModel, io.quanta.calibrate.CalibrationMethod method) {
        if (method == io.quanta.calibrate.CalibrationMethod.MINMAX) {
            return int8(floatModel).model();
        }
        return ((Pipeline.Outcome) CACHE.computeIfAbsent(method + ":" + floatModel, k -> {
                    long t0 = System.nanoTime();
                    Pipeline.Outcome o = quantize(
                            floatModel,
                            QuantizationOptions.defaults(),
                            io.quanta.pipeline.AccuracySettings.defaults().withCalibration(method, 99.99),
                            method.label());
                    System.out.printf(
                            "%s: %s calibration in %d ms%s%n",
                            stem(floatModel),
                            method.label(),
                            (System.nanoTime() - t0) / 1_000_000,
                            o.report().accuracy() == null
                                            || o.report().accuracy().autoMethods() == null
                                    ? ""
                                    : ", tensors per method "
                                            + o.report().accuracy().autoMethods() + " after "
                                            + o.report().accuracy().autoTrials() + " trials");
                    return o;
                }))
                .model();
    }

    /**
     * Up to {@code n} samples of a float model's data (evenly spread), prepared for the inputs of {@code model}
     * (the float model itself, or a quantized version whose inputs may be integers).
     */
    static Dataset samples(Path floatModel, Model model, int n) {
        Data d = data(floatModel);
        Subgraph g = ModelReader.read(floatModel).mainGraph();
        List<String> names = InputSpec.of(g).stream().map(InputSpec::name).toList();
        Dataset raw = Datasets.open(d.files(), names);
        if (d.labels() != null) {
            raw = Datasets.withLabels(raw, d.labels(), null);
        }
        // "up to": the shared image folders hold two or three images, and taking more than exist is refused
        return ModelInputAdapter.adapt(
                Sampling.take(raw, Math.min(n, raw.size()), null), InputSpec.of(model.mainGraph()), d.preprocessing());
    }
}
