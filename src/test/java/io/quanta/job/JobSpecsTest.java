package io.quanta.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.DatasetFormat;
import io.quanta.data.DatasetReading;
import io.quanta.data.Resize;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.DatasetSpec;
import io.quanta.operator.api.EvaluationDatasetSpec;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.PreprocessingSpec;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.operator.api.QuantizationSpec;
import io.quanta.operator.api.WavSpec;
import io.quanta.pipeline.PipelineException;
import io.quanta.quantize.QuantizationMode;
import io.quanta.storage.Storage;
import io.quanta.storage.StorageOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec -> run mapping: one vocabulary with the engine, no invented paths, typed refusals. */
class JobSpecsTest {
    private static final Storage STORAGE =
            new Storage(StorageOptions.fromEnvironment(java.util.Map.of()).build());

    private static StoredRun.Request map(QuantizationJobSpec spec) {
        return JobSpecs.request(spec, l -> new StoredRun.Stored(l.uri, STORAGE));
    }

    private static QuantizationJobSpec spec() {
        QuantizationJobSpec spec = Fixtures.quantizationJob("vww", 1).getSpec();
        spec.evaluation.labels = EvaluationDatasetSpec.LabelSource.FILE_NAME;
        return spec;
    }

    @Test
    void preprocessingResizeUnsetTrueFalseIsImagesAllOff() {
        QuantizationJobSpec spec = spec();
        assertEquals(Resize.IMAGES, map(spec).settings().preprocessing().resize(), "no preprocessing block");
        spec.calibration.preprocessing = new PreprocessingSpec();
        assertEquals(Resize.IMAGES, map(spec).settings().preprocessing().resize(), "unset: image files only");
        spec.calibration.preprocessing.resize = true;
        assertEquals(Resize.ALL, map(spec).settings().preprocessing().resize(), "arrays too");
        spec.calibration.preprocessing.resize = false;
        assertEquals(Resize.OFF, map(spec).settings().preprocessing().resize());
    }

    @Test
    void everyApiModeIsTheEngineModeOfTheSameName() {
        for (QuantizationSpec.Mode m : QuantizationSpec.Mode.values()) {
            assertEquals(m.name(), JobSpecs.mode(m).name());
        }
        assertEquals(QuantizationSpec.Mode.values().length, QuantizationMode.values().length);
        assertEquals(QuantizationMode.INT8_ONLY, JobSpecs.options(null).mode(), "the schema's default");
    }

    @Test
    void recipeFieldsMapToTheEngineRecipesOfTheSameNames() {
        QuantizationJobSpec spec = spec();
        assertEquals(
                io.quanta.quantize.recipes.Recipes.NONE, map(spec).settings().recipes());
        spec.quantization = spec.quantization == null ? new QuantizationSpec() : spec.quantization;
        spec.quantization.equalize = true;
        assertEquals(
                new io.quanta.quantize.recipes.Recipes(true, false),
                map(spec).settings().recipes());
        spec.quantization.biasCorrection = true;
        assertEquals(
                new io.quanta.quantize.recipes.Recipes(true, true),
                map(spec).settings().recipes());
    }

    @Test
    void accuracyFieldsMapToTheEngineSettingsOfTheSameNames() {
        for (QuantizationSpec.Calibration c : QuantizationSpec.Calibration.values()) {
            assertEquals(c.name(), JobSpecs.calibration(c).name());
        }
        QuantizationJobSpec spec = spec();
        spec.quantization = spec.quantization == null ? new QuantizationSpec() : spec.quantization;
        spec.quantization.mode = QuantizationSpec.Mode.INT8;
        spec.quantization.calibration = QuantizationSpec.Calibration.AUTO;
        spec.quantization.keepFloat = List.of("LOG");
        spec.quantization.search = new QuantizationSpec.SearchSpec();
        spec.quantization.search.strategy = QuantizationSpec.SearchSpec.Strategy.GREEDY;
        spec.quantization.search.maxTrials = 7;
        spec.acceptance = new io.quanta.operator.api.Acceptance();
        spec.acceptance.minAgreement = 0.95;
        spec.acceptance.minSqnrDb = 20.0;
        io.quanta.pipeline.PipelineSettings s = map(spec).settings();
        assertEquals(io.quanta.calibrate.CalibrationMethod.AUTO, s.accuracy().calibration());
        assertEquals(
                io.quanta.pipeline.AccuracySettings.Strategy.GREEDY,
                s.accuracy().strategy());
        assertEquals(7, s.accuracy().maxTrials());
        assertEquals("agreement >= 0.95, SQNR >= 20 dB", s.accuracy().budget().describe());
        assertEquals(List.of("LOG"), s.options().keepFloat());

        // maxAccuracyDrop alone, without the search, stays the operator's check (AccuracyDropTooHigh).
        QuantizationJobSpec plain = spec();
        plain.acceptance = new io.quanta.operator.api.Acceptance(0.01);
        assertTrue(map(plain).settings().accuracy().budget().isEmpty());
    }

    @Test
    void locationsAreTheSpecsAndSettingsCarryNoPaths() {
        QuantizationJobSpec spec = spec();
        spec.quantization = spec.quantization == null ? new QuantizationSpec() : spec.quantization;
        spec.quantization.mode = QuantizationSpec.Mode.INT8;
        StoredRun.Request r = map(spec);
        assertEquals("/models/vww.tflite", r.model().location());
        assertEquals(
                List.of("/data/calib"),
                r.datasets().stream().map(StoredRun.Stored::location).toList());
        assertEquals(
                List.of("/data/eval"),
                r.evalDatasets().stream().map(StoredRun.Stored::location).toList());
        assertEquals("file:///out/vww_int8.tflite", r.output().location());
        assertTrue(r.evalLabelsFromFileNames());
        assertEquals(QuantizationMode.INT8, r.settings().options().mode());
        assertEquals(10, r.settings().samples());
        assertTrue(r.settings().evaluate());
    }

    @Test
    void dynamicRangeNeedsNoCalibrationButInt8OnlyDoes() {
        QuantizationJobSpec spec = spec();
        spec.calibration = null;
        spec.quantization.mode = QuantizationSpec.Mode.DYNAMIC_RANGE;
        StoredRun.Request r = map(spec);
        assertEquals(List.of(), r.datasets());
        assertEquals(QuantizationMode.DYNAMIC_RANGE, r.settings().options().mode());
        assertEquals(List.of(), SpecValidator.problems(spec));

        spec.quantization.mode = QuantizationSpec.Mode.INT8_ONLY;
        PipelineException e = assertThrows(PipelineException.class, () -> map(spec));
        assertEquals("InvalidSpec", e.errorCode());
        assertTrue(e.getMessage().contains("Int8Only"), e.getMessage());
        assertEquals(
                List.of("spec.calibration is required unless spec.quantization.mode is DynamicRange or Float16"),
                SpecValidator.problems(spec));
    }

    @Test
    void wavDatasetsAndDirectoryLabelsMapToTheEngineReaders() {
        QuantizationJobSpec spec = spec();
        spec.calibration = new DatasetSpec(new LocationSpec("/data/speech"), DatasetSpec.Format.WAV);
        spec.calibration.wav = new WavSpec(160, 16000);
        spec.evaluation.format = DatasetSpec.Format.WAV;
        spec.evaluation.labels = EvaluationDatasetSpec.LabelSource.DIRECTORY;
        spec.evaluation.labelsLocation = new LocationSpec("/data/classes.txt");
        StoredRun.Request r = map(spec);
        assertEquals(
                new DatasetReading(DatasetFormat.WAV, false, 160, 16000),
                r.settings().preprocessing().reading());
        assertEquals(
                new DatasetReading(DatasetFormat.WAV, true, 160, 16000),
                r.settings().preprocessing().evalReading());
        assertEquals(
                "/data/classes.txt", r.evalLabels().location(), "with Directory, labelsLocation is the class list");
        assertFalse(r.evalLabelsFromFileNames());
        assertEquals(List.of(), SpecValidator.problems(spec));

        spec.evaluation.labelsLocation = null;
        assertEquals(null, map(spec).evalLabels());

        QuantizationJobSpec images = spec();
        images.evaluation.format = DatasetSpec.Format.NPY;
        StoredRun.Request i = map(images);
        assertEquals(
                DatasetFormat.IMAGES, i.settings().preprocessing().reading().format());
        assertEquals(
                DatasetFormat.NPY, i.settings().preprocessing().evalReading().format());
    }

    @Test
    void wavBlocksMustAgreeAndSuitTheFormat() {
        QuantizationJobSpec spec = spec();
        spec.calibration.format = DatasetSpec.Format.WAV;
        spec.evaluation.format = DatasetSpec.Format.WAV;
        spec.calibration.wav = new WavSpec(160, null);
        spec.evaluation.wav = new WavSpec(480, null);
        PipelineException e = assertThrows(PipelineException.class, () -> map(spec));
        assertEquals("InvalidSpec", e.errorCode());
        assertTrue(e.getMessage().startsWith("spec.evaluation.wav differs"), e.getMessage());

        QuantizationJobSpec images = spec();
        images.calibration.wav = new WavSpec(160, null);
        assertEquals(List.of("spec.calibration.wav applies only to format Wav"), SpecValidator.problems(images));
    }
}
