package io.quanta.pipeline;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Calibrator;
import io.quanta.data.Dataset;
import io.quanta.eval.TrialFigures;
import io.quanta.graph.Model;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.QuantizationResult;
import io.quanta.quantize.TensorRanges;
import io.quanta.quantize.recipes.Recipes;
import java.util.ArrayList;
import java.util.List;

/**
 * The effect of the recipes, for the report: the model quantized without any (the source float model calibrated
 * and rounded as usual), with equalization alone when bias correction follows it, and the written model, each
 * compared with the source float model on the evaluation samples.
 */
final class RecipeFigures {
    private RecipeFigures() {}

    static List<QuantizationReport.RecipeFigures> measure(
            PipelineRequest req,
            Model source,
            Dataset calibrationSet,
            Dataset evalRaw,
            QuantizationOptions options,
            boolean equalized,
            QuantizationResult beforeCorrection,
            QuantizationResult written) {
        Recipes recipes = req.recipes();
        Candidates candidates = new Candidates(source, evalRaw, req.preprocessing(), req.threads());
        QuantizationResult plain =
                equalized ? candidates.quantize(plainRanges(req, source, calibrationSet), options) : beforeCorrection;
        List<QuantizationReport.RecipeFigures> out = new ArrayList<>();
        out.add(entry("none", candidates.measure(plain)));
        if (equalized && recipes.biasCorrection()) {
            out.add(entry("equalize", candidates.measure(beforeCorrection)));
        }
        out.add(entry(recipes.label(), candidates.measure(written)));
        return out;
    }

    /** Ranges of the source model by the run's calibration method (auto, which needs trials, by min/max). */
    private static TensorRanges plainRanges(PipelineRequest req, Model source, Dataset calibrationSet) {
        AccuracySettings acc = req.accuracy();
        CalibrationMethod method =
                acc.calibration() == CalibrationMethod.AUTO ? CalibrationMethod.MINMAX : acc.calibration();
        CalibrationStats stats =
                Calibrator.forFloatModel(source.mainGraph(), method).run(calibrationSet);
        return method == CalibrationMethod.MINMAX
                ? Pipeline.rangesOf(stats)
                : RangeChoice.of(RangeChoice.all(stats, method, acc.percentile()));
    }

    private static QuantizationReport.RecipeFigures entry(String recipes, TrialFigures f) {
        boolean labelled = f.labelled() > 0;
        return new QuantizationReport.RecipeFigures(
                recipes,
                f.samples(),
                finite(f.sqnrDb()),
                finite(f.agreement()),
                labelled ? finite(f.floatTop1()) : null,
                labelled ? finite(f.quantizedTop1()) : null);
    }

    private static Double finite(double v) {
        if (Double.isNaN(v)) return null;
        return Double.isInfinite(v) ? Math.copySign(999.0, v) : v;
    }
}
