package io.quanta.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quanta.data.ColorMode;
import io.quanta.data.Normalization;
import io.quanta.data.Preprocessing;
import io.quanta.operator.api.Dataset;
import io.quanta.operator.api.EvaluationDataset;
import io.quanta.operator.api.Location;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.pipeline.PipelineException;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.quantize.InterfaceType;
import io.quanta.quantize.QuantizationMode;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.report.RunResult.Stage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Maps a QuantizationJob spec (the operator's API types) to a {@link StoredRun.Request}: the same mapping for the
 * engine pod ({@code job step}) and for a local run ({@code job run}), so both run exactly the same steps.
 *
 * <ul>
 *   <li>mode {@code Int8} is the engine's int8-only (fails listing the ops it cannot quantize);
 *       {@code Int8WithFloatFallback} is int8 with those ops kept float;</li>
 *   <li>preprocessing {@code v * scale + offset} is the normalization {@code (v - mean) / std} with
 *       {@code std = 1/scale}, {@code mean = -offset/scale}; {@code grayscale} forces one channel, otherwise the
 *       model's input decides; {@code resize} defaults to true;</li>
 *   <li>format {@code Images} is a folder (or prefix) of images; {@code Npy} is an array file: .npy, .npz or IDX;
 *       {@code Wav} and {@code RawFloat32} have no reader in this engine and fail with {@code DatasetInvalid};</li>
 *   <li>evaluation labels {@code File} read {@code labelsLocation}; {@code FileName} takes the first number in
 *       each image's file name.</li>
 * </ul>
 */
final class JobSpecs {
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JobSpecs() {}

    /** The spec in {@code json} (the resource's .spec, as the operator passes it); InvalidSpec when it is not one. */
    static QuantizationJobSpec parse(String json) {
        if (json == null || json.isBlank()) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", "no QuantizationJob spec given (QUANTA_JOB_SPEC is empty)", null);
        }
        try {
            return JSON.readValue(json, QuantizationJobSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", "QUANTA_JOB_SPEC is not a QuantizationJob spec: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * The run the spec asks for. {@code resolve} turns a location into its final form (for a local run: volumes
     * mapped to host paths) with the storage that reaches it (its secretRef's credentials).
     */
    static StoredRun.Request request(QuantizationJobSpec spec, Function<Location, StoredRun.Stored> resolve) {
        require(spec.model, "spec.model");
        require(spec.calibration, "spec.calibration");
        require(spec.calibration.location, "spec.calibration.location");
        require(spec.output, "spec.output");
        checkFormat(spec.calibration, "spec.calibration");
        EvaluationDataset eval = spec.evaluation;
        StoredRun.Stored evalLabels = null;
        if (eval != null) {
            require(eval.location, "spec.evaluation.location");
            checkFormat(eval, "spec.evaluation");
            if (eval.labels == EvaluationDataset.LabelSource.FILE) {
                require(eval.labelsLocation, "spec.evaluation.labelsLocation");
                evalLabels = resolve.apply(eval.labelsLocation);
            } else if (eval.labels == EvaluationDataset.LabelSource.DIRECTORY) {
                throw new PipelineException(Stage.LOAD, "DatasetInvalid", "spec.evaluation.labels Directory needs a "
                        + "folder per class, which this engine's image reader does not read; use File or FileName", null);
            }
        }
        QuantizationOptions options = options(spec.quantization);
        Preprocessing pre = preprocessing(spec.calibration, eval);
        PipelineRequest settings = new PipelineRequest(Path.of("model.tflite"), List.of(), null, pre,
                Path.of("out.tflite"), options, samples(spec.calibration), null, eval != null, List.of(), null,
                eval == null ? 0 : samples(eval), null);
        return new StoredRun.Request(resolve.apply(spec.model), List.of(resolve.apply(spec.calibration.location)), null,
                eval == null ? List.of() : List.of(resolve.apply(eval.location)), evalLabels, resolve.apply(spec.output),
                null, settings);
    }

    /** Whether evaluation labels must be derived from file names (see {@link FileNameLabels}). */
    static boolean labelsFromFileNames(QuantizationJobSpec spec) {
        return spec.evaluation != null && spec.evaluation.labels == EvaluationDataset.LabelSource.FILE_NAME;
    }

    static QuantizationOptions options(io.quanta.operator.api.QuantizationOptions q) {
        io.quanta.operator.api.QuantizationOptions o = q == null ? new io.quanta.operator.api.QuantizationOptions() : q;
        QuantizationMode mode = o.mode == io.quanta.operator.api.QuantizationOptions.Mode.INT8_WITH_FLOAT_FALLBACK
                ? QuantizationMode.INT8 : QuantizationMode.INT8_ONLY;
        return QuantizationOptions.defaults()
                .withMode(mode)
                .withInputType(ioType(o.inputType))
                .withOutputType(ioType(o.outputType))
                .withPerChannelFullyConnected(!Boolean.FALSE.equals(o.perChannel));
    }

    private static InterfaceType ioType(io.quanta.operator.api.QuantizationOptions.IoType t) {
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
    static Preprocessing preprocessing(Dataset calibration, Dataset evaluation) {
        io.quanta.operator.api.Preprocessing c = calibration.preprocessing;
        io.quanta.operator.api.Preprocessing e = evaluation == null ? null : evaluation.preprocessing;
        if (c != null && e != null && !same(c, e)) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", "spec.evaluation.preprocessing differs from "
                    + "spec.calibration.preprocessing; the quantized model is measured on inputs prepared like its "
                    + "calibration data, so give one (or the same) preprocessing", null);
        }
        io.quanta.operator.api.Preprocessing p = c != null ? c : e;
        if (p == null) {
            return Preprocessing.DEFAULT;
        }
        double scale = p.scale == null ? 1.0 : p.scale;
        double offset = p.offset == null ? 0.0 : p.offset;
        if (scale == 0 || !Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", "preprocessing.scale must be finite and non-zero, "
                    + "found " + p.scale, null);
        }
        Normalization n = new Normalization(new float[] {(float) (-offset / scale)}, new float[] {(float) (1 / scale)});
        ColorMode color = Boolean.TRUE.equals(p.grayscale) ? ColorMode.GRAYSCALE : ColorMode.AUTO;
        return new Preprocessing(color, !Boolean.FALSE.equals(p.resize), n);
    }

    private static boolean same(io.quanta.operator.api.Preprocessing a, io.quanta.operator.api.Preprocessing b) {
        return Objects.equals(a.scale, b.scale) && Objects.equals(a.offset, b.offset) && Objects.equals(a.resize, b.resize)
                && Objects.equals(a.grayscale, b.grayscale);
    }

    private static int samples(Dataset d) {
        return d.samples == null ? 0 : d.samples;
    }

    private static void checkFormat(Dataset d, String field) {
        if (d.format == Dataset.Format.WAV || d.format == Dataset.Format.RAW_FLOAT32) {
            throw new PipelineException(Stage.LOAD, "DatasetInvalid", field + ".format " + formatName(d.format)
                    + " has no reader in this engine; use Images (a folder of png/jpg/bmp) or Npy (.npy, .npz or IDX)", null);
        }
    }

    private static String formatName(Dataset.Format f) {
        return switch (f) {
            case IMAGES -> "Images";
            case NPY -> "Npy";
            case WAV -> "Wav";
            case RAW_FLOAT32 -> "RawFloat32";
        };
    }

    private static void require(Object value, String field) {
        if (value == null || value instanceof Location l && (l.uri == null || l.uri.isBlank())) {
            throw new PipelineException(Stage.LOAD, "InvalidSpec", field + " is required", null);
        }
    }
}
