package io.quanta.job;

import io.quanta.operator.api.DatasetSpec;
import io.quanta.operator.api.EvaluationDatasetSpec;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.ModelVolume;
import io.quanta.operator.api.QuantizationJobSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks the rules that the OpenAPI schema cannot express (the API server has no CEL on Kubernetes 1.20). */
public final class SpecValidator {

    private SpecValidator() {}

    /** All problems of {@code spec}, each a sentence naming the field; empty when the spec is valid. */
    public static List<String> problems(QuantizationJobSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            problems.add("spec is missing");
            return problems;
        }
        List<ModelVolume> volumes = spec.volumes == null ? List.of() : spec.volumes;
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            ModelVolume v = volumes.get(i);
            String field = "spec.volumes[" + i + "]";
            if ((v.claimName == null) == (v.hostPath == null)) {
                problems.add(field + " must set exactly one of claimName and hostPath");
            }
            if (v.name != null && (v.name.equals("tmp") || v.name.startsWith("secret-"))) {
                // The engine pod's own volumes: the API server would refuse the Job for a duplicate name.
                problems.add(field + ".name '" + v.name + "' is reserved (tmp and secret-* are the engine's own)");
            }
            if (v.name != null && !names.add(v.name)) {
                problems.add(field + ".name '" + v.name + "' is used twice");
            }
            if (v.mountPath != null && !paths.add(normalise(v.mountPath))) {
                problems.add(field + ".mountPath '" + v.mountPath + "' is used twice");
            }
            if (v.mountPath != null && (normalise(v.mountPath).equals("/tmp") || v.mountPath.startsWith("/app"))) {
                problems.add(field + ".mountPath '" + v.mountPath + "' hides a path the engine needs (/tmp, /app)");
            }
        }
        checkFileLocation("spec.model", spec.model, volumes, false, problems);
        if (spec.calibration == null
                && JobSpecs.needsCalibration(JobSpecs.options(spec.quantization).mode())) {
            problems.add("spec.calibration is required unless spec.quantization.mode is DynamicRange or Float16");
        }
        if (spec.calibration != null) {
            checkFileLocation("spec.calibration.location", spec.calibration.location, volumes, false, problems);
            checkWav("spec.calibration", spec.calibration, problems);
        }
        EvaluationDatasetSpec evaluation = spec.evaluation;
        if (evaluation != null) {
            checkFileLocation("spec.evaluation.location", evaluation.location, volumes, false, problems);
            if (evaluation.labels == EvaluationDatasetSpec.LabelSource.FILE && evaluation.labelsLocation == null) {
                problems.add("spec.evaluation.labelsLocation is required when spec.evaluation.labels is File");
            }
            checkFileLocation("spec.evaluation.labelsLocation", evaluation.labelsLocation, volumes, false, problems);
            checkWav("spec.evaluation", evaluation, problems);
        }
        checkFileLocation("spec.output", spec.output, volumes, true, problems);
        if (spec.acceptance != null && spec.acceptance.maxAccuracyDrop != null && evaluation == null) {
            problems.add("spec.acceptance.maxAccuracyDrop needs spec.evaluation: the accuracy drop is measured on it");
        }
        if (spec.acceptance != null
                && spec.acceptance.maxAccuracyDrop == null
                && spec.acceptance.minAgreement == null
                && spec.acceptance.minSqnrDb == null) {
            problems.add("spec.acceptance needs a budget: maxAccuracyDrop, minAgreement or minSqnrDb");
        }
        io.quanta.operator.api.QuantizationSpec q =
                spec.quantization == null ? new io.quanta.operator.api.QuantizationSpec() : spec.quantization;
        boolean keepsFloat = (q.keepFloat != null && !q.keepFloat.isEmpty())
                || (q.search != null
                        && q.search.strategy == io.quanta.operator.api.QuantizationSpec.SearchSpec.Strategy.GREEDY);
        io.quanta.quantize.QuantizationMode mode;
        try {
            mode = JobSpecs.options(spec.quantization).mode();
        } catch (IllegalArgumentException e) {
            problems.add("spec.quantization: " + e.getMessage());
            mode = null;
        }
        if (keepsFloat && mode == io.quanta.quantize.QuantizationMode.INT8_ONLY) {
            problems.add("spec.quantization.keepFloat and search Greedy keep ops float, which mode Int8Only forbids: "
                    + "use mode Int8");
        }
        try {
            JobSpecs.accuracy(spec);
        } catch (IllegalArgumentException e) {
            problems.add("spec: " + e.getMessage());
        }
        return problems;
    }

    /** A wav block only means something to the WAV reader. */
    private static void checkWav(String field, DatasetSpec d, List<String> problems) {
        if (d.wav != null && d.format != DatasetSpec.Format.WAV) {
            problems.add(field + ".wav applies only to format Wav");
        }
    }

    /**
     * A file location must lie on a mounted volume (the engine's root filesystem is read-only and holds no data),
     * and the output's volume must be writable.
     */
    private static void checkFileLocation(
            String field,
            LocationSpec location,
            List<ModelVolume> volumes,
            boolean mustBeWritable,
            List<String> problems) {
        if (location == null || location.uri == null) {
            return;
        }
        String path = filePath(location.uri);
        if (path == null) {
            return;
        }
        ModelVolume volume = volumes.stream()
                .filter(v -> v.mountPath != null && isUnder(path, normalise(v.mountPath)))
                .findFirst()
                .orElse(null);
        if (volume == null) {
            problems.add(field + ".uri '" + location.uri + "' is not on any volume in spec.volumes");
        } else if (mustBeWritable && Boolean.TRUE.equals(volume.readOnly)) {
            problems.add(field + ".uri '" + location.uri + "' is on volume '" + volume.name
                    + "', which is mounted read-only");
        }
    }

    /** The absolute path of a file location, or null for remote (https, s3) locations. */
    static String filePath(String uri) {
        if (uri.startsWith("file://")) {
            return uri.substring("file://".length());
        }
        return uri.startsWith("/") ? uri : null;
    }

    private static boolean isUnder(String path, String mountPath) {
        return path.equals(mountPath) || path.startsWith(mountPath.endsWith("/") ? mountPath : mountPath + "/");
    }

    private static String normalise(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
