package io.quanta.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.operator.Fixtures;
import io.quanta.operator.api.Acceptance;
import io.quanta.operator.api.EvaluationDatasetSpec;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.QuantizationJobSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    private static QuantizationJobSpec valid() {
        return Fixtures.quantizationJob("vww", 1).getSpec();
    }

    @Test
    void fixtureIsValid() {
        assertEquals(List.of(), SpecValidator.problems(valid()));
    }

    @Test
    void theEnginesOwnVolumeNamesAreReserved() {
        QuantizationJobSpec spec = valid();
        spec.volumes.get(0).name = "tmp";
        spec.volumes.get(1).name = "secret-abc";
        assertEquals(
                List.of(
                        "spec.volumes[0].name 'tmp' is reserved (tmp and secret-* are the engine's own)",
                        "spec.volumes[1].name 'secret-abc' is reserved (tmp and secret-* are the engine's own)"),
                SpecValidator.problems(spec));
    }

    @Test
    void outputOnAReadOnlyVolumeIsRejected() {
        QuantizationJobSpec spec = valid();
        spec.output = new LocationSpec("/models/out.tflite");
        assertEquals(
                List.of("spec.output.uri '/models/out.tflite' is on volume 'models', which is mounted read-only"),
                SpecValidator.problems(spec));
    }

    @Test
    void remoteLocationsNeedNoVolume() {
        QuantizationJobSpec spec = valid();
        spec.model = new LocationSpec("https://models.example/vww.tflite");
        spec.output = new LocationSpec("s3://bucket/vww_int8.tflite");
        spec.volumes = new ArrayList<>(spec.volumes.subList(1, 2));
        assertEquals(List.of(), SpecValidator.problems(spec));
    }

    @Test
    void labelsFileNeedsItsLocationAndAcceptanceNeedsEvaluation() {
        QuantizationJobSpec spec = valid();
        spec.evaluation.labels = EvaluationDatasetSpec.LabelSource.FILE;
        assertEquals(
                List.of("spec.evaluation.labelsLocation is required when spec.evaluation.labels is File"),
                SpecValidator.problems(spec));

        QuantizationJobSpec noEval = valid();
        noEval.evaluation = null;
        noEval.acceptance = new Acceptance(0.01);
        assertEquals(
                List.of("spec.acceptance.maxAccuracyDrop needs spec.evaluation: the accuracy drop is measured on it"),
                SpecValidator.problems(noEval));
        // Agreement and SQNR need no labels: the calibration data will do.
        noEval.acceptance = new Acceptance();
        noEval.acceptance.minAgreement = 0.95;
        assertEquals(List.of(), SpecValidator.problems(noEval));
    }

    @Test
    void accuracyBudgetsAndTheSearchAreChecked() {
        QuantizationJobSpec spec = valid();
        spec.acceptance = new Acceptance();
        assertEquals(
                List.of("spec.acceptance needs a budget: maxAccuracyDrop, minAgreement or minSqnrDb"),
                SpecValidator.problems(spec));
        spec.acceptance.minAgreement = 0.0;
        assertEquals(List.of("spec: min-agreement must be in (0, 1], got 0.0"), SpecValidator.problems(spec));

        QuantizationJobSpec greedy = valid();
        greedy.quantization = new io.quanta.operator.api.QuantizationSpec();
        greedy.quantization.search = new io.quanta.operator.api.QuantizationSpec.SearchSpec();
        greedy.quantization.search.strategy = io.quanta.operator.api.QuantizationSpec.SearchSpec.Strategy.GREEDY;
        List<String> problems = SpecValidator.problems(greedy);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("which mode Int8Only forbids"), problems.toString());
        assertTrue(problems.get(1).contains("the greedy search needs a budget"), problems.toString());

        greedy.quantization.mode = io.quanta.operator.api.QuantizationSpec.Mode.INT8;
        greedy.acceptance = new Acceptance();
        greedy.acceptance.minAgreement = 0.95;
        assertEquals(List.of(), SpecValidator.problems(greedy));
        greedy.quantization.search.fallback = io.quanta.operator.api.QuantizationSpec.SearchSpec.Fallback.INT16;
        assertEquals(List.of(), SpecValidator.problems(greedy), "fallback Int16 moves ops to 16x8");
        greedy.quantization.mode = io.quanta.operator.api.QuantizationSpec.Mode.INT16X8;
        greedy.quantization.inputType = io.quanta.operator.api.QuantizationSpec.IoType.UINT8;
        assertTrue(
                SpecValidator.problems(greedy).toString().contains("input type uint8 does not go with mode int16x8"),
                SpecValidator.problems(greedy).toString());
    }

    @Test
    void volumesMustBeDistinctAndNotHideEnginePaths() {
        QuantizationJobSpec spec = valid();
        spec.volumes = new ArrayList<>(spec.volumes);
        spec.volumes.add(Fixtures.volume("models", "/models/", true, null, "/srv/other"));
        spec.volumes.add(Fixtures.volume("scratch", "/tmp", false, null, "/srv/tmp"));
        List<String> problems = SpecValidator.problems(spec);
        assertTrue(problems.contains("spec.volumes[3].name 'models' is used twice"), problems.toString());
        assertTrue(problems.contains("spec.volumes[3].mountPath '/models/' is used twice"), problems.toString());
        assertTrue(
                problems.contains("spec.volumes[4].mountPath '/tmp' hides a path the engine needs (/tmp, /app)"),
                problems.toString());
    }
}
