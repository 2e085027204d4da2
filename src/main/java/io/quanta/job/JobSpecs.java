package io.quanta.job;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.Clipping;
import io.quanta.data.ColorMode;
import io.quanta.data.DatasetFormat;
import io.quanta.data.DatasetReading;
import io.quanta.data.Normalization;
import io.quanta.data.Preprocessing;
import io.quanta.data.Resize;
import io.quanta.operator.api.Acceptance;
import io.quanta.operator.api.DatasetSpec;
import io.quanta.operator.api.EvaluationDatasetSpec;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.PreprocessingSpec;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.operator.api.QuantizationSpec;
import io.quanta.operator.api.WavSpec;
import io.quanta.pipeline.AccuracySettings;
import io.quanta.pipeline.Budget;
import io.quanta.pipeline.PipelineException;
import io.quanta.pipeline.PipelineSettings;
import io.quanta.quantize.InterfaceType;
import io.quanta.quantize.QuantizationMode;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.recipes.Recipes;
import io.quanta.report.RunResult.Stage;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Maps a QuantizationJob spec (the operator's API types) to a {@link StoredRun.Request}: the same mapping for the
 * engine pod ({@code job step}) and for a local run ({@code job run}), so both run exactly the same steps.
 *
 * <ul>
 *   <li>modes {@code Int8}, {@code Int8Only}, {@code DynamicRange}, {@code Float16} and {@code Int16x8} are the
 *       engine's modes of the same names (and the CLI's {@code --mode int8|int8-only|dynamic-range|float16|int16x8});</li>
 *   <li>preprocessing {@code v * scale + offset} is the normalization {@code (v - mean) / std} with
 *       {@code std = 1/scale}, {@code mean = -offset/scale}; {@code grayscale} forces one channel, otherwise the
 *       model's input decides; {@code resize} defaults to true;</li>
 *   <li>format {@code Images} is a folder (or prefix) of images; {@code Npy} is an array file: .npy, .npz or IDX;
 *       {@code Wav} is a folder (or prefix) of 16-bit PCM WAV files, cut to the model's input length as
 *       {@code wav.hop} and {@code wav.sampleRate} say (the CLI's {@code --dataset-format}, {@code --wav-hop},
 *       {@code --wav-sample-rate}); each dataset is read in its own format;</li>
 *   <li>evaluation labels {@code File} read {@code labelsLocation}; {@code FileName} takes the first number in
 *       each image's file name; {@code Directory} reads a folder per class (the CLI's
 *       {@code --labels-from-folders}), numbered by the class list in {@code labelsLocation} when given, else
 *       by sorted folder name; the calibration set is read as its files lie.</li>
 * </ul>
 */
public final class JobSpecs {
    private JobSpecs() {}

    /** The spec in {@code json} (the resource's .spec, as the operator passes it); InvalidSpec when it is not one. */
    public static QuantizationJobSpec parse(String json) {
        if (json == null || json.isBlank()) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSpec",
                    "no QuantizationJob spec given (" + EngineContract.ENV_SPEC + " is empty)",
                    null);
        }
        try {
            return ManifestReader.fromJson(EngineContract.ENV_SPEC, json, QuantizationJobSpec.class, "spec");
        } catch (ManifestException e) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", e.getMessage(), null);
        }
    }

    /**
     * The run the spec asks for. {@code resolve} turns a location into its final form (for a local run: volumes
     * mapped to host paths) with the storage that reaches it (its secretRef's credentials).
     */
    public static StoredRun.Request request(
            QuantizationJobSpec spec, Function<LocationSpec, StoredRun.Stored> resolve) {
        require(spec.model, "spec.model");
        require(spec.output, "spec.output");
        QuantizationOptions options = options(spec.quantization);
        DatasetSpec calibration = spec.calibration;
        if (calibration == null && needsCalibration(options.mode())) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSpec",
                    "spec.calibration is required by mode " + modeName(spec.quantization)
                            + "; only DynamicRange and Float16 need no calibration data",
                    null);
        }
        if (calibration != null) {
            require(calibration.location, "spec.calibration.location");
        }
        EvaluationDatasetSpec eval = spec.evaluation;
        StoredRun.Stored evalLabels = null;
        if (eval != null) {
            require(eval.location, "spec.evaluation.location");
            if (eval.labels == EvaluationDatasetSpec.LabelSource.FILE) {
                require(eval.labelsLocation, "spec.evaluation.labelsLocation");
                evalLabels = resolve.apply(eval.labelsLocation);
            } else if (eval.labels == EvaluationDatasetSpec.LabelSource.DIRECTORY && eval.labelsLocation != null) {
                evalLabels = resolve.apply(eval.labelsLocation); // the class list
            }
        }
        DatasetReading calibrationReading = reading(calibration, calibration, eval, false);
        DatasetReading evalReading = reading(
                eval, calibration, eval, eval != null && eval.labels == EvaluationDatasetSpec.LabelSource.DIRECTORY);
        Preprocessing pre = preprocessing(calibration, eval).withReading(calibrationReading, evalReading);
        AccuracySettings accuracy;
        try {
            accuracy = accuracy(spec);
        } catch (IllegalArgumentException e) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", "spec: " + e.getMessage(), null);
        }
        PipelineSettings settings = new PipelineSettings(
                        pre,
                        options,
                        calibration == null ? 0 : samples(calibration),
                        null,
                        eval != null,
                        eval == null ? 0 : samples(eval),
                        accuracy)
                .withRecipes(recipes(spec.quantization));
        List<StoredRun.Stored> datasets =
                calibration == null ? List.of() : List.of(resolve.apply(calibration.location));
        return new StoredRun.Request(
                resolve.apply(spec.model),
                datasets,
                null,
                eval == null ? List.of() : List.of(resolve.apply(eval.location)),
                evalLabels,
                resolve.apply(spec.output),
                null,
                settings,
                labelsFromFileNames(spec));
    }

    /** Whether evaluation labels must be derived from file names (see {@link StoredRun#labelsFromFileNames}). */
    static boolean labelsFromFileNames(QuantizationJobSpec spec) {
        return spec.evaluation != null && spec.evaluation.labels == EvaluationDatasetSpec.LabelSource.FILE_NAME;
    }

    /**
     * The engine's accuracy settings for the spec: spec.quantization's calibration method and search, and the budget of
     * spec.acceptance. A budget of maxAccuracyDrop alone, without the greedy search, is left to the operator's
     * acceptance check (Failed/AccuracyDropTooHigh) as before; any other budget the engine checks itself
     * (Failed/AccuracyBudgetNotMet). An IllegalArgumentException names a bad value.
     */
    public static AccuracySettings accuracy(QuantizationJobSpec spec) {
        QuantizationSpec q = spec.quantization == null ? new QuantizationSpec() : spec.quantization;
        QuantizationSpec.SearchSpec search = q.search == null ? new QuantizationSpec.SearchSpec() : q.search;
        boolean greedy = search.strategy == QuantizationSpec.SearchSpec.Strategy.GREEDY;
        Budget budget = budget(spec.acceptance);
        boolean engineChecks = greedy
                || (spec.acceptance != null
                        && (spec.acceptance.minAgreement != null || spec.acceptance.minSqnrDb != null));
        return new AccuracySettings(
                calibration(q.calibration),
                q.percentile == null ? Clipping.DEFAULT_PERCENTILE : q.percentile,
                engineChecks ? budget : Budget.none(),
                greedy ? AccuracySettings.Strategy.GREEDY : AccuracySettings.Strategy.NONE,
                search.maxTrials == null ? AccuracySettings.DEFAULT_MAX_TRIALS : search.maxTrials,
                search.fallback == QuantizationSpec.SearchSpec.Fallback.INT16
                        ? AccuracySettings.Fallback.INT16
                        : AccuracySettings.Fallback.FLOAT,
                false);
    }

    /** spec.quantization's equalize and biasCorrection: the engine's recipes of the same names. */
    static Recipes recipes(QuantizationSpec q) {
        return q == null
                ? Recipes.NONE
                : new Recipes(Boolean.TRUE.equals(q.equalize), Boolean.TRUE.equals(q.biasCorrection));
    }

    /** The budget spec.acceptance states (empty without one). */
    public static Budget budget(Acceptance a) {
        return a == null ? Budget.none() : new Budget(a.minAgreement, a.minSqnrDb, a.maxAccuracyDrop);
    }

    /** One word, one meaning: each API calibration method is the engine method of the same name. */
    static CalibrationMethod calibration(QuantizationSpec.Calibration c) {
        if (c == null) {
            return CalibrationMethod.MINMAX;
        }
        return switch (c) {
            case MINMAX -> CalibrationMethod.MINMAX;
            case PERCENTILE -> CalibrationMethod.PERCENTILE;
            case MSE -> CalibrationMethod.MSE;
            case ENTROPY -> CalibrationMethod.ENTROPY;
            case AUTO -> CalibrationMethod.AUTO;
        };
    }

    /** The engine's options for the spec's quantization settings (defaults for a missing block). */
    public static QuantizationOptions options(QuantizationSpec q) {
        QuantizationSpec o = q == null ? new QuantizationSpec() : q;
        return QuantizationOptions.defaults()
                .withMode(mode(o.mode))
                .withInputType(ioType(o.inputType))
                .withOutputType(ioType(o.outputType))
                .withPerChannelFullyConnected(!Boolean.FALSE.equals(o.perChannel))
                .withKeepFloat(o.keepFloat == null ? List.of() : o.keepFloat);
    }

    /** One word, one meaning: each API mode is the engine mode of the same name. */
    static QuantizationMode mode(QuantizationSpec.Mode m) {
        if (m == null) {
            return mode(new QuantizationSpec().mode);
        }
        return switch (m) {
            case INT8 -> QuantizationMode.INT8;
            case INT8_ONLY -> QuantizationMode.INT8_ONLY;
            case DYNAMIC_RANGE -> QuantizationMode.DYNAMIC_RANGE;
            case FLOAT16 -> QuantizationMode.FLOAT16;
            case INT16X8 -> QuantizationMode.INT16X8;
        };
    }

    /** Whether {@code mode} calibrates activation ranges, and so needs calibration data. */
    public static boolean needsCalibration(QuantizationMode mode) {
        return mode.isFullInteger();
    }

    private static String modeName(QuantizationSpec q) {
        return switch (mode(q == null ? null : q.mode)) {
            case INT8 -> "Int8";
            case INT8_ONLY -> "Int8Only";
            case DYNAMIC_RANGE -> "DynamicRange";
            case FLOAT16 -> "Float16";
            case INT16X8 -> "Int16x8";
        };
    }

    private static InterfaceType ioType(QuantizationSpec.IoType t) {
        if (t == null) {
            return InterfaceType.FLOAT32;
        }
        return switch (t) {
            case FLOAT32 -> InterfaceType.FLOAT32;
            case INT8 -> InterfaceType.INT8;
            case UINT8 -> InterfaceType.UINT8;
        };
    }

    /** One preprocessing serves calibration and evaluation: the engine feeds both the same way. */
    static Preprocessing preprocessing(DatasetSpec calibration, DatasetSpec evaluation) {
        PreprocessingSpec c = calibration == null ? null : calibration.preprocessing;
        PreprocessingSpec e = evaluation == null ? null : evaluation.preprocessing;
        if (c != null && e != null && !same(c, e)) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSpec",
                    "spec.evaluation.preprocessing differs from "
                            + "spec.calibration.preprocessing; the quantized model is measured on inputs prepared like its "
                            + "calibration data, so give one (or the same) preprocessing",
                    null);
        }
        PreprocessingSpec p = c != null ? c : e;
        if (p == null) {
            return Preprocessing.DEFAULT;
        }
        double scale = p.scale == null ? 1.0 : p.scale;
        double offset = p.offset == null ? 0.0 : p.offset;
        if (scale == 0 || !Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSpec",
                    "preprocessing.scale must be finite and non-zero, " + "found " + p.scale,
                    null);
        }
        Normalization n = new Normalization(new float[] {(float) (-offset / scale)}, new float[] {(float) (1 / scale)});
        ColorMode color = Boolean.TRUE.equals(p.grayscale) ? ColorMode.GRAYSCALE : ColorMode.AUTO;
        Resize resize = p.resize == null ? Resize.IMAGES : p.resize ? Resize.ALL : Resize.OFF;
        return new Preprocessing(color, resize, n);
    }

    /**
     * How {@code d}'s files are read: its format, WAV windows (one {@code wav} block serves both datasets, as
     * preprocessing does), and class folders when it is labelled by Directory.
     */
    static DatasetReading reading(
            DatasetSpec d, DatasetSpec calibration, DatasetSpec evaluation, boolean classFolders) {
        WavSpec cw = calibration == null ? null : calibration.wav;
        WavSpec ew = evaluation == null ? null : evaluation.wav;
        if (cw != null
                && ew != null
                && !(Objects.equals(cw.hop, ew.hop) && Objects.equals(cw.sampleRate, ew.sampleRate))) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSpec",
                    "spec.evaluation.wav differs from spec.calibration.wav; "
                            + "the quantized model is measured on samples cut like its calibration data, so give one (or the "
                            + "same) wav block",
                    null);
        }
        WavSpec w = cw != null ? cw : ew;
        int hop = w == null || w.hop == null ? 0 : w.hop;
        int rate = w == null || w.sampleRate == null ? 0 : w.sampleRate;
        if (hop < 0 || rate < 0) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSpec",
                    "wav.hop and wav.sampleRate must be 0 or positive, " + "found hop " + hop + ", sampleRate " + rate,
                    null);
        }
        return new DatasetReading(format(d == null ? null : d.format), classFolders, hop, rate);
    }

    private static DatasetFormat format(DatasetSpec.Format f) {
        if (f == null) {
            return DatasetFormat.AUTO;
        }
        return switch (f) {
            case IMAGES -> DatasetFormat.IMAGES;
            case NPY -> DatasetFormat.NPY;
            case WAV -> DatasetFormat.WAV;
        };
    }

    private static boolean same(PreprocessingSpec a, PreprocessingSpec b) {
        return Objects.equals(a.scale, b.scale)
                && Objects.equals(a.offset, b.offset)
                && Objects.equals(a.resize, b.resize)
                && Objects.equals(a.grayscale, b.grayscale);
    }

    private static int samples(DatasetSpec d) {
        return d.samples == null ? 0 : d.samples;
    }

    private static void require(Object value, String field) {
        if (value == null || value instanceof LocationSpec l && (l.uri == null || l.uri.isBlank())) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", field + " is required", null);
        }
    }
}
