package io.quanta.cli;

import io.quanta.eval.EvaluationResult;
import io.quanta.pipeline.QuantizationReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The readable summary of a quantization report and of an evaluation, as the commands print them. */
final class ReportText {
    /** How many of the worst layers the summary lists. */
    static final int WORST_LAYERS = 5;

    private ReportText() {}

    static void print(PrintWriter out, QuantizationReport r, String reportFile) {
        QuantizationReport.Settings o = r.options();
        out.printf(
                Locale.ROOT,
                "quantized %s -> %s (%s, input %s, output %s)%n",
                r.files().model(),
                r.files().output(),
                o.mode(),
                o.inputType(),
                o.outputType());
        out.printf(
                Locale.ROOT,
                "  size        %,d -> %,d bytes (%.3fx)%n",
                r.sizes().floatBytes(),
                r.sizes().quantizedBytes(),
                r.sizes().ratio());
        int total = 0;
        int quantized = 0;
        int fallback = 0;
        for (QuantizationReport.OpTypeCoverage c : r.coverage().values()) {
            total += c.quantized() + c.floatFallback() + c.notFloat();
            quantized += c.quantized();
            fallback += c.floatFallback();
        }
        out.printf(
                Locale.ROOT,
                "  ops         %d quantized, %d float fallback, %d without float tensors (of %d)%n",
                quantized,
                fallback,
                total - quantized - fallback,
                total);
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, QuantizationReport.OpTypeCoverage> e :
                r.coverage().entrySet()) {
            QuantizationReport.OpTypeCoverage c = e.getValue();
            types.add(
                    e.getKey() + " " + c.quantized() + (c.floatFallback() > 0 ? "+" + c.floatFallback() + " float" : "")
                            + (c.notFloat() > 0 ? "+" + c.notFloat() + " other" : ""));
        }
        out.println("              " + String.join(", ", types));
        for (QuantizationReport.FallbackOp op : r.floatFallbackOps()) {
            out.printf(Locale.ROOT, "  float op    #%d %s: %s%n", op.index(), op.opType(), op.reason());
        }
        if (r.calibration() != null) {
            out.printf(
                    Locale.ROOT,
                    "  calibration %d samples (%s), %d tensors recorded%n",
                    r.calibration().samples(),
                    o.sampling() + (o.sampleSeed() == null ? "" : ", seed " + o.sampleSeed()),
                    r.calibration().tensors());
        }
        if (r.evaluation() != null) {
            printEvaluation(out, r.evaluation(), "  ");
        } else if (r.evaluationSkipped() != null) {
            out.println("  evaluation  skipped: " + r.evaluationSkipped());
        }
        if (r.accuracy() != null) {
            printAccuracy(out, r.accuracy());
        }
        if (r.recipes() != null) {
            printRecipes(out, r.recipes());
        }
        QuantizationReport.Timings t = r.timings();
        out.printf(
                Locale.ROOT,
                "  timings     load %s, calibrate %s, quantize %s, evaluate %s, write %s; total %s%n",
                seconds(t.loadMs()),
                seconds(t.calibrateMs()),
                seconds(t.quantizeMs()),
                seconds(t.evaluateMs()),
                seconds(t.writeMs()),
                seconds(t.totalMs()));
        out.println("  report      " + reportFile);
    }

    static void printRecipes(PrintWriter out, QuantizationReport.Recipes r) {
        if (r.equalize() != null) {
            QuantizationReport.Equalize e = r.equalize();
            out.printf(
                    Locale.ROOT,
                    "  equalize    %d layer pair(s), %d sweep(s), channel scales %.3g..%.3g; %d pair(s) skipped%n",
                    e.pairs().size(),
                    e.sweeps(),
                    e.minScale(),
                    e.maxScale(),
                    e.skipped().size());
        }
        if (r.biasCorrection() != null) {
            QuantizationReport.BiasCorrection b = r.biasCorrection();
            out.printf(
                    Locale.ROOT,
                    "  bias corr.  %d layer(s) on %d samples: mean |channel error| %.3g -> %.3g%s%n",
                    b.layers(),
                    b.samples(),
                    b.meanAbsErrorBefore(),
                    b.meanAbsErrorAfter(),
                    b.saturatedChannels() == 0 ? "" : ", " + b.saturatedChannels() + " channel(s) saturated");
        }
        for (QuantizationReport.RecipeFigures f : r.figures()) {
            out.printf(
                    Locale.ROOT,
                    "  recipes     %-24s SQNR %s%s%s%n",
                    f.recipes(),
                    f.sqnrDb() == null ? "-" : String.format(Locale.ROOT, "%.2f dB", f.sqnrDb()),
                    f.agreement() == null ? "" : String.format(Locale.ROOT, ", agreement %.4f", f.agreement()),
                    f.top1() == null
                            ? ""
                            : String.format(Locale.ROOT, ", top-1 %.4f (float %.4f)", f.top1(), f.floatTop1()));
        }
    }

    /** How many of the most sensitive ops the summary lists. */
    static final int SENSITIVE_OPS = 5;

    static void printAccuracy(PrintWriter out, QuantizationReport.Accuracy a) {
        out.printf(
                Locale.ROOT,
                "  ranges      %s%s%s%n",
                a.calibration(),
                a.percentile() == null ? "" : " (percentile " + a.percentile() + ")",
                a.autoMethods() == null
                        ? ""
                        : ": tensors per method " + a.autoMethods() + " after " + a.autoTrials() + " trials");
        if (a.budget() != null) {
            out.printf(
                    Locale.ROOT,
                    "  budget      %s: %s (%s search, %d trial(s)%s)%n",
                    a.budget(),
                    Boolean.TRUE.equals(a.budgetMet()) ? "met" : "NOT met",
                    a.strategy(),
                    a.trials() == null ? 0 : a.trials().size(),
                    a.chosenTrial() == null ? "" : ", chose trial " + a.chosenTrial());
        }
        out.printf(
                Locale.ROOT,
                "  kept float  %s; %d op(s) not in int8%n",
                a.keptFloat().isEmpty() ? "none" : a.keptFloat(),
                a.nonInt8Ops());
        if (a.sensitivity() != null && !a.sensitivity().isEmpty()) {
            out.println("  most sensitive ops (figures with that op alone in int8):");
            for (QuantizationReport.SensitivityEntry s : a.sensitivity()
                    .subList(0, Math.min(SENSITIVE_OPS, a.sensitivity().size()))) {
                out.printf(
                        Locale.ROOT,
                        "    %d. #%d %s '%s': SQNR %s%s%s%n",
                        s.rank(),
                        s.op(),
                        s.opType(),
                        s.name(),
                        s.sqnrDb() == null ? "-" : String.format(Locale.ROOT, "%.1f dB", s.sqnrDb()),
                        s.agreement() == null ? "" : String.format(Locale.ROOT, ", agreement %.4f", s.agreement()),
                        s.top1() == null ? "" : String.format(Locale.ROOT, ", top-1 %.4f", s.top1()));
            }
        }
    }

    static void printEvaluation(PrintWriter out, EvaluationResult e, String indent) {
        out.printf(Locale.ROOT, "%sevaluation  %d samples%n", indent, e.samples());
        EvaluationResult.Classification c = e.classification();
        if (c != null) {
            if (c.labelled() > 0) {
                out.printf(
                        Locale.ROOT,
                        "%s  top-1     float %.4f, quantized %.4f (%+.2f points)%n",
                        indent,
                        c.floatTop1(),
                        c.quantizedTop1(),
                        100 * (c.quantizedTop1() - c.floatTop1()));
                if (!Double.isNaN(c.floatTop5())) {
                    out.printf(
                            Locale.ROOT,
                            "%s  top-5     float %.4f, quantized %.4f%n",
                            indent,
                            c.floatTop5(),
                            c.quantizedTop5());
                }
            }
            out.printf(
                    Locale.ROOT,
                    "%s  agreement %.4f (same argmax over %d classes)%n",
                    indent,
                    c.agreement(),
                    c.classes());
        }
        for (EvaluationResult.OutputStats o : e.outputs()) {
            out.printf(
                    Locale.ROOT,
                    "%s  output %d '%s': max |error| %.4g, mean |error| %.4g, SQNR %s%n",
                    indent,
                    o.index(),
                    o.name(),
                    o.maxAbsError(),
                    o.meanAbsError(),
                    db(o.sqnrDb()));
        }
        if (!e.layers().isEmpty()) {
            List<EvaluationResult.LayerStats> worst = new ArrayList<>(e.layers());
            worst.sort(Comparator.comparingDouble(EvaluationResult.LayerStats::rmseInSteps)
                    .reversed());
            double median = median(e.layers().stream()
                    .mapToDouble(EvaluationResult.LayerStats::rmseInSteps)
                    .sorted()
                    .toArray());
            out.printf(
                    Locale.ROOT,
                    "%s  layers    %d compared, median RMSE %.2f steps (0.29 = rounding only); largest:%n",
                    indent,
                    e.layers().size(),
                    median);
            for (EvaluationResult.LayerStats l : worst.subList(0, Math.min(WORST_LAYERS, worst.size()))) {
                out.printf(
                        Locale.ROOT,
                        "%s    %6.2f steps  mean |error| %.4g  max %.4g  %s%n",
                        indent,
                        l.rmseInSteps(),
                        l.meanAbsError(),
                        l.maxAbsError(),
                        l.name());
            }
        }
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static String db(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf (identical)" : "-inf") : String.format(Locale.ROOT, "%.1f dB", v);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }
}
