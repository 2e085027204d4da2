package io.quanta.report.html;

import static io.quanta.report.html.Html.esc;
import static io.quanta.report.html.Html.fmt;
import static io.quanta.report.html.ReportJson.num;
import static io.quanta.report.html.ReportJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * A run's report as one self-contained HTML page: inline CSS and SVG, no script, no fonts, nothing fetched (a
 * Content-Security-Policy forbids it). A pure function of the report tree (and of a baseline report, for the
 * comparison).
 *
 * <p>Figures shown in the summary carry the JSON pointer they come from ({@code data-json}) and the value as the
 * report wrote it ({@code data-value}), so a reader (or a test) can trace each one back.
 */
public final class ReportPage {
    private ReportPage() {}

    /** The page's name beside the report: {@code m.report.json} gives {@code m.report.html}. */
    public static String htmlName(String reportName) {
        return (reportName.endsWith(".json")
                        ? reportName.substring(0, reportName.length() - ".json".length())
                        : reportName)
                + ".html";
    }

    public static String render(JsonNode report) {
        return render(report, null);
    }

    /** The page for {@code report}; with {@code baseline} non-null, a comparison section against it. */
    public static String render(JsonNode report, JsonNode baseline) {
        StringBuilder b = new StringBuilder(64 * 1024);
        String model = fileName(text(report.at("/files/model")));
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                        + " style-src 'unsafe-inline'; img-src data:\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<title>Quanta report: ")
                .append(esc(model == null ? "model" : model))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body>\n");
        b.append("<header><h1>Quanta quantization report</h1><p class=\"model\">")
                .append(esc(model == null ? "(model not named)" : model))
                .append("</p></header>\n");
        formatNote(b, report);
        summary(b, report);
        layers(b, report);
        coverage(b, report);
        ranges(b, report);
        search(b, report);
        if (baseline != null) {
            comparison(b, report, baseline);
        }
        b.append("<footer>Written by Quanta from ")
                .append(esc(
                        text(report.at("/files/output")) == null
                                ? "the run's report"
                                : "the report of " + text(report.at("/files/output"))))
                .append(". Hover over a bar for its op and tensor.</footer>\n</body></html>\n");
        return b.toString();
    }

    // ---- format version ----

    private static void formatNote(StringBuilder b, JsonNode report) {
        int v = ReportJson.formatVersion(report);
        if (v == ReportJson.FORMAT_VERSION) {
            return;
        }
        String why = v < ReportJson.FORMAT_VERSION
                ? "an older Quanta (report format " + v + "; this page reads format " + ReportJson.FORMAT_VERSION
                        + "): figures that format did not record are left out"
                : "a newer Quanta (report format " + v + "; this page reads format " + ReportJson.FORMAT_VERSION
                        + "): figures this version does not know are left out";
        b.append("<p class=\"note\" id=\"format-note\">This report was written by ")
                .append(esc(why))
                .append(".</p>\n");
    }

    // ---- summary ----

    /** A figure of the summary: label, pointer into the report, and how to show it. */
    private record Figure(String label, String pointer, DoubleFunction<String> format) {}

    private static void summary(StringBuilder b, JsonNode r) {
        b.append("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">");
        card(b, r, "Size ratio", "/sizes/ratio", v -> fmt("%.3f×", v));
        card(b, r, "Top-1 (quantized)", "/evaluation/classification/quantizedTop1", Html::fraction);
        card(b, r, "Agreement", "/evaluation/classification/agreement", Html::fraction);
        card(b, r, "Output SQNR", "/evaluation/outputs/0/sqnrDb", Html::db);
        JsonNode met = r.at("/accuracy/budgetMet");
        if (met.isBoolean()) {
            b.append("<div class=\"card ")
                    .append(met.asBoolean() ? "good" : "bad")
                    .append("\"><div class=\"label\">Budget ")
                    .append(esc(text(r.at("/accuracy/budget"))))
                    .append("</div><div class=\"value\" data-json=\"/accuracy/budgetMet\" data-value=\"")
                    .append(met.asBoolean())
                    .append("\">")
                    .append(met.asBoolean() ? "met" : "not met")
                    .append("</div></div>");
        }
        b.append("</div>\n<table class=\"summary\"><tbody>\n");
        textRow(b, r, "Model", "/files/model");
        textRow(b, r, "Quantized model", "/files/output");
        textRow(b, r, "SHA-256", "/files/outputSha256");
        textRow(b, r, "Mode", "/options/mode");
        textRow(b, r, "Input type", "/options/inputType");
        textRow(b, r, "Output type", "/options/outputType");
        for (Figure f : List.of(
                new Figure("Float size", "/sizes/floatBytes", Html::bytes),
                new Figure("Quantized size", "/sizes/quantizedBytes", Html::bytes),
                new Figure("Size ratio", "/sizes/ratio", v -> fmt("%.4f (quantized / float)", v)))) {
            figureRow(b, r, f);
        }
        Ops ops = Ops.of(r);
        if (ops.total > 0) {
            b.append("<tr><th>Op coverage</th><td>")
                    .append(span("ops-quantized", ops.quantized))
                    .append(" of ")
                    .append(span("ops-total", ops.total))
                    .append(" ops quantized, ")
                    .append(span("ops-float", ops.floatFallback))
                    .append(" kept float, ")
                    .append(span("ops-not-float", ops.notFloat))
                    .append(" without float tensors")
                    .append(ops.int16 > 0 ? ", " + span("ops-int16", ops.int16) + " in int16" : "")
                    .append("</td></tr>\n");
        }
        String method = text(r.at("/accuracy/calibration"));
        if (r.has("calibration")) {
            b.append("<tr><th>Calibration</th><td>")
                    .append(value("/calibration/samples", r.at("/calibration/samples"), Html::num))
                    .append(" samples (")
                    .append(esc(text(r.at("/options/sampling"))))
                    .append("), ")
                    .append(value("/calibration/tensors", r.at("/calibration/tensors"), Html::num))
                    .append(" tensors recorded; method ")
                    .append(esc(method == null ? "minmax" : method))
                    .append("</td></tr>\n");
        }
        for (Figure f : List.of(
                new Figure("Evaluation samples", "/evaluation/samples", Html::num),
                new Figure("Float top-1", "/evaluation/classification/floatTop1", Html::fraction),
                new Figure("Quantized top-1", "/evaluation/classification/quantizedTop1", Html::fraction),
                new Figure("Float top-5", "/evaluation/classification/floatTop5", Html::fraction),
                new Figure("Quantized top-5", "/evaluation/classification/quantizedTop5", Html::fraction),
                new Figure("Agreement (same argmax)", "/evaluation/classification/agreement", Html::fraction))) {
            figureRow(b, r, f);
        }
        JsonNode outputs = r.at("/evaluation/outputs");
        for (int i = 0; i < outputs.size(); i++) {
            String p = "/evaluation/outputs/" + i;
            b.append("<tr><th>Output ")
                    .append(esc(text(outputs.get(i).path("name"))))
                    .append("</th><td>SQNR ")
                    .append(value(p + "/sqnrDb", r.at(p + "/sqnrDb"), Html::db))
                    .append(", max |error| ")
                    .append(value(p + "/maxAbsError", r.at(p + "/maxAbsError"), Html::num))
                    .append(", mean |error| ")
                    .append(value(p + "/meanAbsError", r.at(p + "/meanAbsError"), Html::num))
                    .append("</td></tr>\n");
        }
        textRow(b, r, "Evaluation skipped", "/evaluationSkipped");
        textRow(b, r, "Accuracy budget", "/accuracy/budget");
        JsonNode timings = r.path("timings");
        if (timings.isObject()) {
            b.append("<tr><th>Timings</th><td>");
            String sep = "";
            for (String stage : List.of("load", "calibrate", "quantize", "evaluate", "write")) {
                String p = "/timings/" + stage + "Ms";
                if (!r.at(p).isMissingNode()) {
                    b.append(sep).append(stage).append(' ').append(value(p, r.at(p), Html::millis));
                    sep = ", ";
                }
            }
            String search = "/accuracy/searchMs";
            if (num(r.at(search)) != null && num(r.at(search)) > 0) {
                b.append(sep).append("search ").append(value(search, r.at(search), Html::millis));
            }
            b.append("; total ")
                    .append(value("/timings/totalMs", r.at("/timings/totalMs"), Html::millis))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    private static void card(StringBuilder b, JsonNode r, String label, String pointer, DoubleFunction<String> f) {
        JsonNode n = r.at(pointer);
        if (num(n) == null || num(n).isNaN()) {
            return;
        }
        b.append("<div class=\"card\"><div class=\"label\">")
                .append(esc(label))
                .append("</div><div class=\"value\">")
                .append(value(pointer, n, f))
                .append("</div></div>");
    }

    private static void textRow(StringBuilder b, JsonNode r, String label, String pointer) {
        String t = text(r.at(pointer));
        if (t == null) {
            return;
        }
        b.append("<tr><th>")
                .append(esc(label))
                .append("</th><td><span data-json=\"")
                .append(esc(pointer))
                .append("\" data-value=\"")
                .append(esc(t))
                .append("\">")
                .append(esc(t))
                .append("</span></td></tr>\n");
    }

    private static void figureRow(StringBuilder b, JsonNode r, Figure f) {
        JsonNode n = r.at(f.pointer());
        if (num(n) == null || num(n).isNaN()) {
            return; // e.g. top-1 without labels
        }
        b.append("<tr><th>")
                .append(esc(f.label()))
                .append("</th><td>")
                .append(value(f.pointer(), n, f.format()))
                .append("</td></tr>\n");
    }

    /** A number traced to its place in the report: the pointer and the value as written, then as shown. */
    private static String value(String pointer, JsonNode n, DoubleFunction<String> f) {
        Double v = num(n);
        if (v == null) {
            return "—";
        }
        return "<span data-json=\"" + esc(pointer) + "\" data-value=\"" + esc(n.isTextual() ? n.asText() : n.toString())
                + "\">" + esc(f.apply(v)) + "</span>";
    }

    private static String span(String key, int v) {
        return "<span data-key=\"" + key + "\" data-value=\"" + v + "\">" + v + "</span>";
    }

    /** Op counts summed over the coverage table. */
    private static final class Ops {
        int total;
        int quantized;
        int floatFallback;
        int notFloat;
        int int16;

        static Ops of(JsonNode r) {
            Ops o = new Ops();
            for (Iterator<JsonNode> it = r.path("coverage").elements(); it.hasNext(); ) {
                JsonNode c = it.next();
                o.quantized += c.path("quantized").asInt();
                o.floatFallback += c.path("floatFallback").asInt();
                o.notFloat += c.path("notFloat").asInt();
                o.int16 += c.path("int16").asInt();
            }
            o.total = o.quantized + o.floatFallback + o.notFloat + o.int16;
            return o;
        }
    }

    // ---- per-layer error ----

    private static void layers(StringBuilder b, JsonNode r) {
        JsonNode layers = r.at("/evaluation/layers");
        b.append("<section id=\"layer-error\"><h2>Per-layer error</h2>\n");
        if (!layers.isArray() || layers.isEmpty()) {
            String why = text(r.path("evaluationSkipped"));
            b.append("<p class=\"empty\">No layers were compared")
                    .append(why == null ? "" : ": " + esc(why))
                    .append(".</p></section>\n");
            return;
        }
        Map<Integer, String> types = tensorTypes(r);
        List<Charts.Slot> slots = new ArrayList<>();
        List<double[]> order = new ArrayList<>(); // {op index, 0 = layer / 1 = fallback, position}
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            double op = l.has("op") ? l.path("op").asInt() : i;
            order.add(new double[] {op, 0, i});
        }
        boolean haveOps = layers.get(0).has("op");
        JsonNode fallback = r.path("floatFallbackOps");
        for (int i = 0; i < fallback.size(); i++) {
            // Without op indices on the layers (older reports) the float ops follow the bars.
            double op = haveOps ? fallback.get(i).path("index").asInt() : Integer.MAX_VALUE;
            order.add(new double[] {op, 1, i});
        }
        order.sort((x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0]) : Double.compare(x[2], y[2]));
        for (double[] o : order) {
            if (o[1] == 1) {
                JsonNode f = fallback.get((int) o[2]);
                slots.add(new Charts.Slot(
                        "op #" + f.path("index").asInt() + " " + text(f.path("opType")) + " stays float: "
                                + text(f.path("reason")),
                        "float",
                        Double.NaN,
                        Double.NaN));
            } else {
                JsonNode l = layers.get((int) o[2]);
                String type = types.getOrDefault(l.path("quantizedIndex").asInt(), "int8");
                double steps = orNaN(num(l.path("rmseInSteps")));
                double db = orNaN(num(l.path("sqnrDb")));
                String op = l.has("op")
                        ? (l.path("op").asInt() < 0
                                ? "model input"
                                : "op #" + l.path("op").asInt() + " " + text(l.path("opType")))
                        : "layer " + (int) (o[2] + 1);
                slots.add(new Charts.Slot(
                        op + " → " + text(l.path("name")) + " (" + type + "): " + fmt("%.3f", steps) + " steps"
                                + (Double.isNaN(db) ? "" : ", SQNR " + Html.db(db)),
                        type.equals("int16") ? "int16" : "int8",
                        steps,
                        db));
            }
        }
        b.append("<p>In execution order, every compared tensor of the quantized model against the float model: the"
                        + " RMSE in quantization steps (the dashed line, 0.29, is rounding alone) and the SQNR. ")
                .append("<span class=\"key int8\"></span> int8 <span class=\"key int16\"></span> int16 ")
                .append("<span class=\"key float\"></span> op kept float</p>\n<div class=\"scroll\">")
                .append(Charts.layerChart(slots))
                .append("</div>\n<details><summary>Table of the ")
                .append(layers.size())
                .append(" compared layers</summary><table class=\"data\"><thead><tr><th>#</th><th>Op</th>")
                .append("<th>Tensor</th><th>Type</th><th>Scale</th><th>RMSE (steps)</th><th>SQNR</th>")
                .append("<th>Mean |err|</th><th>Max |err|</th></tr></thead><tbody>\n");
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            b.append("<tr><td>")
                    .append(l.has("op") ? String.valueOf(l.path("op").asInt()) : "")
                    .append("</td><td>")
                    .append(esc(text(l.path("opType"))))
                    .append("</td><td class=\"name\">")
                    .append(esc(text(l.path("name"))))
                    .append("</td><td>")
                    .append(esc(types.getOrDefault(l.path("quantizedIndex").asInt(), "int8")))
                    .append("</td><td>")
                    .append(cell(l.path("scale"), Html::num))
                    .append("</td><td>")
                    .append(cell(l.path("rmseInSteps"), v -> fmt("%.3f", v)))
                    .append("</td><td>")
                    .append(cell(l.path("sqnrDb"), Html::db))
                    .append("</td><td>")
                    .append(cell(l.path("meanAbsError"), Html::num))
                    .append("</td><td>")
                    .append(cell(l.path("maxAbsError"), Html::num))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></details></section>\n");
    }

    private static Map<Integer, String> tensorTypes(JsonNode r) {
        Map<Integer, String> types = new HashMap<>();
        for (JsonNode t : r.path("tensors")) {
            types.put(t.path("index").asInt(), t.path("type").asText("int8"));
        }
        return types;
    }

    // ---- op coverage ----

    private static void coverage(StringBuilder b, JsonNode r) {
        JsonNode coverage = r.path("coverage");
        b.append("<section id=\"coverage\"><h2>Op coverage</h2>\n");
        if (!coverage.isObject() || coverage.isEmpty()) {
            b.append("<p class=\"empty\">The report lists no ops.</p></section>\n");
            return;
        }
        boolean int16 = Ops.of(r).int16 > 0;
        b.append("<table class=\"data\"><thead><tr><th>Op</th><th>int8</th>")
                .append(int16 ? "<th>int16</th>" : "")
                .append("<th>float</th><th>no float tensors</th></tr></thead><tbody>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = coverage.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            int fl = c.path("floatFallback").asInt();
            b.append("<tr")
                    .append(fl > 0 ? " class=\"float\"" : "")
                    .append("><td>")
                    .append(esc(e.getKey()))
                    .append("</td><td>")
                    .append(c.path("quantized").asInt())
                    .append("</td>")
                    .append(int16 ? "<td>" + c.path("int16").asInt() + "</td>" : "")
                    .append("<td>")
                    .append(fl)
                    .append("</td><td>")
                    .append(c.path("notFloat").asInt())
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
        JsonNode fallback = r.path("floatFallbackOps");
        if (fallback.isArray() && !fallback.isEmpty()) {
            b.append("<h3>Ops kept float, and why</h3><table class=\"data\" id=\"fallback\"><thead><tr><th>#</th>")
                    .append("<th>Op</th><th>Reason</th></tr></thead><tbody>\n");
            for (JsonNode f : fallback) {
                b.append("<tr><td>")
                        .append(f.path("index").asInt())
                        .append("</td><td>")
                        .append(esc(text(f.path("opType"))))
                        .append("</td><td>")
                        .append(esc(text(f.path("reason"))))
                        .append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        } else {
            b.append("<p>Every op with float tensors runs in integer arithmetic.</p>\n");
        }
        JsonNode kept = r.at("/accuracy/keptFloat");
        if (kept.isArray() && !kept.isEmpty()) {
            b.append("<p>Kept float on request or by the accuracy search: ");
            String sep = "";
            for (JsonNode k : kept) {
                b.append(sep).append("<code>").append(esc(k.asText())).append("</code>");
                sep = ", ";
            }
            b.append("</p>\n");
        }
        b.append("</section>\n");
    }

    // ---- ranges ----

    private static void ranges(StringBuilder b, JsonNode r) {
        JsonNode tensors = r.path("tensors");
        b.append("<section id=\"ranges\"><h2>Ranges</h2>\n");
        if (!tensors.isArray() || tensors.isEmpty()) {
            b.append("<p class=\"empty\">The report lists no tensors.</p></section>\n");
            return;
        }
        String method = text(r.at("/accuracy/calibration"));
        b.append("<p>Per tensor: the range recorded in calibration (activations) or found in the values (constants),"
                        + " and the range its scale and zero point represent. ")
                .append("<span class=\"key recorded\"></span> recorded <span class=\"key chosen\"></span> chosen.")
                .append(" Activation ranges chosen by ")
                .append(esc(method == null ? "minmax" : method))
                .append(".</p>\n<table class=\"data\"><thead><tr><th>#</th><th>Tensor</th><th>Role</th>")
                .append("<th>Type</th><th>Recorded</th><th>Chosen</th><th></th><th>Scale</th><th>Zero point</th>")
                .append("<th>Method</th><th>Histogram</th></tr></thead><tbody>\n");
        for (JsonNode t : tensors) {
            String type = t.path("type").asText("");
            String role = t.path("role").asText("");
            // With a histogram, min/max is the range calibration chose from it (e.g. a percentile); the histogram
            // spans everything recorded.
            JsonNode h = t.path("histogram");
            Double min = num(h.path("min")) != null ? num(h.path("min")) : num(t.path("min"));
            Double max = num(h.path("max")) != null ? num(h.path("max")) : num(t.path("max"));
            JsonNode scales = t.path("scales");
            boolean perTensor = scales.isArray() && scales.size() == 1;
            double[] chosen = perTensor ? chosenRange(type, num(scales.get(0)), num(t.path("zeroPoint"))) : null;
            b.append("<tr><td>")
                    .append(t.path("index").asInt())
                    .append("</td><td class=\"name\">")
                    .append(esc(text(t.path("name"))))
                    .append("</td><td>")
                    .append(esc(role))
                    .append("</td><td>")
                    .append(esc(type))
                    .append("</td><td>")
                    .append(min == null || max == null ? "" : "[" + Html.num(min) + ", " + Html.num(max) + "]")
                    .append("</td><td>")
                    .append(chosen == null ? "" : "[" + Html.num(chosen[0]) + ", " + Html.num(chosen[1]) + "]")
                    .append("</td><td>")
                    .append(
                            min == null || max == null
                                    ? ""
                                    : Charts.rangeBar(
                                            min,
                                            max,
                                            chosen == null ? Double.NaN : chosen[0],
                                            chosen == null ? Double.NaN : chosen[1]))
                    .append("</td><td>")
                    .append(scaleText(t))
                    .append("</td><td>")
                    .append(
                            t.has("zeroPoint")
                                    ? String.valueOf(t.path("zeroPoint").asLong())
                                    : "")
                    .append("</td><td>")
                    .append(esc(
                            t.has("method")
                                    ? t.path("method").asText()
                                    : role.equals("activation") ? (method == null ? "minmax" : method) : "exact"))
                    .append("</td><td>")
                    .append(histogram(t.path("histogram")))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    /** The real range [lo, hi] a per-tensor scale and zero point represent in this integer type; null if none. */
    static double[] chosenRange(String type, Double scale, Double zeroPoint) {
        if (scale == null) {
            return null;
        }
        double zp = zeroPoint == null ? 0 : zeroPoint;
        double[] q = switch (type) {
            case "int8" -> new double[] {-128, 127};
            case "uint8" -> new double[] {0, 255};
            case "int16" -> new double[] {-32767, 32767};
            default -> null;
        };
        return q == null ? null : new double[] {(q[0] - zp) * scale, (q[1] - zp) * scale};
    }

    private static String scaleText(JsonNode t) {
        JsonNode scales = t.path("scales");
        if (!scales.isArray() || scales.isEmpty()) {
            return "";
        }
        if (scales.size() == 1) {
            return Html.num(orNaN(num(scales.get(0))));
        }
        return esc(fmt(
                "%d channels (axis %d): %s … %s, median %s",
                scales.size(),
                t.path("axis").asInt(),
                Html.num(orNaN(num(t.path("channelScaleMin")))),
                Html.num(orNaN(num(t.path("channelScaleMax")))),
                Html.num(orNaN(num(t.path("channelScaleMedian"))))));
    }

    private static String histogram(JsonNode h) {
        JsonNode counts = h.path("counts");
        if (!counts.isArray() || counts.isEmpty()) {
            return "";
        }
        long[] c = new long[counts.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i).asLong();
        }
        return Charts.sparkline(c);
    }

    // ---- accuracy search ----

    private static void search(StringBuilder b, JsonNode r) {
        JsonNode a = r.path("accuracy");
        if (!a.isObject()) {
            return;
        }
        b.append("<section id=\"search\"><h2>Calibration and accuracy search</h2>\n<ul>");
        b.append("<li>Calibration method: <b>")
                .append(esc(text(a.path("calibration"))))
                .append("</b>");
        if (num(a.path("percentile")) != null) {
            b.append(" (percentile ")
                    .append(Html.num(num(a.path("percentile"))))
                    .append(")");
        }
        JsonNode auto = a.path("autoMethods");
        if (auto.isObject()) {
            b.append("; tensors won per method: ");
            String sep = "";
            for (Iterator<Map.Entry<String, JsonNode>> it = auto.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(sep)
                        .append(esc(e.getKey()))
                        .append(' ')
                        .append(e.getValue().asInt());
                sep = ", ";
            }
        }
        b.append("</li>");
        if (a.has("budget")) {
            b.append("<li>Budget: <b>")
                    .append(esc(text(a.path("budget"))))
                    .append("</b>, ")
                    .append(a.path("budgetMet").asBoolean() ? "met" : "<span class=\"bad\">not met</span>")
                    .append(a.has("strategy") ? ", strategy " + esc(text(a.path("strategy"))) : "")
                    .append(
                            a.has("maxTrials")
                                    ? ", at most " + a.path("maxTrials").asInt() + " trials"
                                    : "")
                    .append("</li>");
        }
        b.append("<li>Ops not in int8: ").append(a.path("nonInt8Ops").asInt()).append("</li></ul>\n");
        JsonNode trials = a.path("trials");
        if (trials.isArray() && !trials.isEmpty()) {
            int chosen = a.path("chosenTrial").asInt(-1);
            b.append("<h3>Trials</h3><table class=\"data\" id=\"trials\"><thead><tr><th>#</th><th>Kind</th>")
                    .append("<th>Kept float</th><th>Ops not int8</th><th>Samples</th><th>Agreement</th>")
                    .append("<th>Top-1</th><th>SQNR</th><th>Meets budget</th><th>Time</th></tr></thead><tbody>\n");
            for (JsonNode t : trials) {
                int n = t.path("trial").asInt();
                b.append("<tr")
                        .append(n == chosen ? " class=\"chosen\" title=\"the written model\"" : "")
                        .append("><td>")
                        .append(n)
                        .append(n == chosen ? " ✓" : "")
                        .append("</td><td>")
                        .append(esc(text(t.path("kind"))))
                        .append("</td><td class=\"name\">")
                        .append(names(t.path("keptFloat")))
                        .append("</td><td>")
                        .append(t.path("nonInt8Ops").asInt())
                        .append("</td><td>")
                        .append(t.path("samples").asInt())
                        .append("</td><td>")
                        .append(cell(t.path("agreement"), Html::fraction))
                        .append("</td><td>")
                        .append(cell(t.path("top1"), Html::fraction))
                        .append("</td><td>")
                        .append(cell(t.path("sqnrDb"), Html::db))
                        .append("</td><td>")
                        .append(t.path("meetsBudget").asBoolean() ? "yes" : "no")
                        .append("</td><td>")
                        .append(cell(t.path("ms"), Html::millis))
                        .append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        JsonNode sensitivity = a.path("sensitivity");
        if (sensitivity.isArray() && !sensitivity.isEmpty()) {
            b.append("<details><summary>Sensitivity: ")
                    .append(sensitivity.size())
                    .append(" int8 ops, most sensitive first (figures with that op alone in int8)</summary>")
                    .append("<table class=\"data\"><thead><tr><th>Rank</th><th>Op</th><th>Name</th>")
                    .append("<th>Agreement</th><th>Top-1</th><th>SQNR</th></tr></thead><tbody>\n");
            for (JsonNode s : sensitivity) {
                b.append("<tr><td>")
                        .append(s.path("rank").asInt())
                        .append("</td><td>#")
                        .append(s.path("op").asInt())
                        .append(' ')
                        .append(esc(text(s.path("opType"))))
                        .append("</td><td class=\"name\">")
                        .append(esc(text(s.path("name"))))
                        .append("</td><td>")
                        .append(cell(s.path("agreement"), Html::fraction))
                        .append("</td><td>")
                        .append(cell(s.path("top1"), Html::fraction))
                        .append("</td><td>")
                        .append(cell(s.path("sqnrDb"), Html::db))
                        .append("</td></tr>\n");
            }
            b.append("</tbody></table></details>\n");
        }
        b.append("</section>\n");
    }

    private static String names(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            return "—";
        }
        StringBuilder s = new StringBuilder();
        for (JsonNode n : list) {
            s.append(s.length() == 0 ? "" : ", ").append(esc(n.asText()));
        }
        return s.toString();
    }

    // ---- comparison ----

    /** A figure compared between runs; {@code higherIsBetter} colours the delta. */
    private record Compared(String label, String pointer, boolean higherIsBetter, DoubleFunction<String> format) {}

    private static final List<Compared> COMPARED = List.of(
            new Compared("Quantized size", "/sizes/quantizedBytes", false, Html::bytes),
            new Compared("Size ratio", "/sizes/ratio", false, v -> fmt("%.4f", v)),
            new Compared("Float top-1", "/evaluation/classification/floatTop1", true, Html::fraction),
            new Compared("Quantized top-1", "/evaluation/classification/quantizedTop1", true, Html::fraction),
            new Compared("Agreement", "/evaluation/classification/agreement", true, Html::fraction),
            new Compared("Output SQNR", "/evaluation/outputs/0/sqnrDb", true, Html::db),
            new Compared("Ops kept float", "/accuracy/nonInt8Ops", false, Html::num),
            new Compared("Total time", "/timings/totalMs", false, Html::millis));

    private static void comparison(StringBuilder b, JsonNode r, JsonNode base) {
        b.append("<section id=\"comparison\"><h2>Comparison with the baseline</h2>\n<p>This run: <code>")
                .append(esc(text(r.at("/files/output"))))
                .append("</code>; baseline: <code>")
                .append(esc(text(base.at("/files/output"))))
                .append("</code> (")
                .append(esc(text(base.at("/options/mode"))))
                .append(", model ")
                .append(esc(fileName(text(base.at("/files/model")))))
                .append(").</p>\n<table class=\"data\" id=\"deltas\"><thead><tr><th>Figure</th><th>This run</th>")
                .append("<th>Baseline</th><th>Δ</th></tr></thead><tbody>\n");
        for (Compared c : COMPARED) {
            Double x = num(r.at(c.pointer()));
            Double y = num(base.at(c.pointer()));
            if (x == null && y == null) {
                continue;
            }
            b.append("<tr data-json=\"")
                    .append(esc(c.pointer()))
                    .append("\"><th>")
                    .append(esc(c.label()))
                    .append("</th><td>")
                    .append(x == null ? "—" : esc(c.format().apply(x)))
                    .append("</td><td>")
                    .append(y == null ? "—" : esc(c.format().apply(y)))
                    .append("</td>")
                    .append(delta(x, y, c.higherIsBetter()))
                    .append("</tr>\n");
        }
        Ops ox = Ops.of(r);
        Ops oy = Ops.of(base);
        b.append("<tr><th>Ops quantized</th><td>")
                .append(ox.quantized)
                .append(" of ")
                .append(ox.total)
                .append("</td><td>")
                .append(oy.quantized)
                .append(" of ")
                .append(oy.total)
                .append("</td>")
                .append(delta((double) ox.quantized, (double) oy.quantized, true))
                .append("</tr>\n</tbody></table>\n");
        layerDeltas(b, r, base);
        b.append("</section>\n");
    }

    /** Layers of both runs matched by tensor name, side by side. */
    private static void layerDeltas(StringBuilder b, JsonNode r, JsonNode base) {
        Map<String, JsonNode> baseLayers = new LinkedHashMap<>();
        for (JsonNode l : base.at("/evaluation/layers")) {
            baseLayers.putIfAbsent(l.path("name").asText(), l);
        }
        JsonNode layers = r.at("/evaluation/layers");
        if (!layers.isArray() || layers.isEmpty() || baseLayers.isEmpty()) {
            return;
        }
        b.append("<h3>Per-layer error, side by side</h3><table class=\"data\" id=\"layer-deltas\"><thead><tr>")
                .append("<th>Tensor</th><th>RMSE (steps)</th><th>Baseline</th><th>Δ</th><th>SQNR</th>")
                .append("<th>Baseline</th><th>Δ</th></tr></thead><tbody>\n");
        for (JsonNode l : layers) {
            JsonNode o = baseLayers.get(l.path("name").asText());
            Double steps = num(l.path("rmseInSteps"));
            Double baseSteps = o == null ? null : num(o.path("rmseInSteps"));
            Double db = num(l.path("sqnrDb"));
            Double baseDb = o == null ? null : num(o.path("sqnrDb"));
            b.append("<tr><td class=\"name\">")
                    .append(esc(text(l.path("name"))))
                    .append("</td><td>")
                    .append(steps == null ? "—" : fmt("%.3f", steps))
                    .append("</td><td>")
                    .append(baseSteps == null ? "—" : fmt("%.3f", baseSteps))
                    .append("</td>")
                    .append(delta(steps, baseSteps, false))
                    .append("<td>")
                    .append(db == null ? "—" : esc(Html.db(db)))
                    .append("</td><td>")
                    .append(baseDb == null ? "—" : esc(Html.db(baseDb)))
                    .append("</td>")
                    .append(delta(db, baseDb, true))
                    .append("</tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    private static String delta(Double x, Double y, boolean higherIsBetter) {
        if (x == null || y == null || !Double.isFinite(x) || !Double.isFinite(y) || x >= 999 || y >= 999) {
            return "<td class=\"delta\">—</td>";
        }
        double d = x - y;
        String cls = d == 0 ? "same" : (d > 0) == higherIsBetter ? "better" : "worse";
        return "<td class=\"delta " + cls + "\" data-delta=\"" + d + "\">" + esc((d > 0 ? "+" : "") + Html.num(d))
                + "</td>";
    }

    // ---- helpers ----

    private static String cell(JsonNode n, DoubleFunction<String> f) {
        Double v = num(n);
        return v == null ? "" : esc(f.apply(v));
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static String fileName(String location) {
        if (location == null) {
            return null;
        }
        int slash = location.lastIndexOf('/');
        return slash >= 0 && slash < location.length() - 1 ? location.substring(slash + 1) : location;
    }

    private static final String CSS = String.join(
            "\n",
            "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:1200px;",
            " padding:0 20px 40px;color:#1d2330;background:#fff}",
            "h1{font-size:22px;margin:20px 0 2px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde;",
            " padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}",
            "header .model{margin:0;color:#556;font-family:ui-monospace,monospace}",
            ".note{background:#fff6d6;border:1px solid #e8d38a;padding:8px 12px;border-radius:4px}",
            ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 14px}",
            ".card{border:1px solid #dde;border-radius:6px;padding:8px 14px;min-width:120px}",
            ".card .label{color:#667;font-size:12px}.card .value{font-size:20px;font-weight:600}",
            ".card.good{border-color:#6a6}.card.bad{border-color:#c55}",
            "table{border-collapse:collapse}table.summary th{text-align:left;font-weight:500;color:#556;",
            " padding:2px 16px 2px 0;vertical-align:top}table.summary td{padding:2px 0;word-break:break-all}",
            "table.data{font-size:12.5px;margin:6px 0}table.data th,table.data td{border-bottom:1px solid #eef;",
            " padding:3px 8px;text-align:right;vertical-align:middle}table.data th{background:#f4f5fa}",
            "table.data td.name,table.data td:first-child,table.data th:first-child{text-align:left}",
            "td.name{max-width:360px;overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:11.5px}",
            "tr.float td,tr.chosen td{background:#fff3e6}",
            ".delta.better{color:#17803d}.delta.worse{color:#b42318}.bad{color:#b42318}",
            ".scroll{overflow-x:auto}svg.chart{display:block}",
            "svg .grid{stroke:#e6e8f0}svg .ref{stroke:#b42318;stroke-dasharray:4 3}",
            "svg text{font-size:11px;fill:#556}svg .axis-label{font-weight:600}",
            "svg .bar.int8,svg .sqnr.int8{fill:#3b6ea5}svg .bar.int16,svg .sqnr.int16{fill:#8e44ad}",
            "svg .sqnr.identical{opacity:.45}svg .fallback{fill:#f0a04b;opacity:.35}",
            "svg rect:hover{opacity:.7}",
            ".key{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;vertical-align:middle}",
            ".key.int8{background:#3b6ea5}.key.int16{background:#8e44ad}.key.float{background:#f0a04b}",
            ".key.recorded{background:#9aa}.key.chosen{background:#3b6ea5}",
            "svg.rangebar .recorded{fill:#9aa}svg.rangebar .chosen{fill:#3b6ea5}svg.rangebar .zero{stroke:#c33}",
            "svg.spark polygon{fill:#cfd9ea;stroke:#3b6ea5;stroke-width:1}",
            "details{margin:8px 0}summary{cursor:pointer;color:#3b6ea5}",
            "footer{margin-top:32px;color:#889;font-size:12px}code{font-size:12px}");
}
