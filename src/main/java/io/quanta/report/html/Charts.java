package io.quanta.report.html;

import static io.quanta.report.html.Html.esc;
import static io.quanta.report.html.Html.fmt;

import java.util.List;

/** Inline SVG: the per-layer error chart, range bars and histogram sparklines. Pure string building. */
final class Charts {
    private Charts() {}

    /** RMSE of a tensor whose only error is its own rounding: 1/√12 steps. */
    static final double ROUNDING_ONLY_STEPS = 1 / Math.sqrt(12);

    /** Above this the SQNR axis stops: more reads as "no visible error". */
    static final double SQNR_AXIS_MAX_DB = 80;

    /**
     * One slot of the chart, in execution order: a compared layer (a bar in each panel) or an op that stayed float
     * (a marker across both).
     *
     * @param title  the hover text (plain; escaped here)
     * @param kind   "int8", "int16" or "float"
     * @param steps  RMSE in quantization steps (NaN for float markers)
     * @param sqnrDb SQNR in dB (NaN when unknown)
     */
    record Slot(String title, String kind, double steps, double sqnrDb) {
        boolean isBar() {
            return !kind.equals("float");
        }
    }

    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int PANEL = 130;
    private static final int GAP = 34;
    private static final int TOP = 18;

    /** The two-panel chart: RMSE in steps above, SQNR below, one slot per layer or float op. */
    static String layerChart(List<Slot> slots) {
        int n = Math.max(1, slots.size());
        double slot = Math.max(5, Math.min(28, 960.0 / n));
        double plotWidth = slot * n;
        int width = (int) Math.ceil(LEFT + plotWidth + RIGHT);
        int height = TOP + PANEL + GAP + PANEL + 26;
        double maxSteps = ROUNDING_ONLY_STEPS * 1.5;
        double maxDb = 10;
        for (Slot s : slots) {
            if (s.isBar() && Double.isFinite(s.steps())) {
                maxSteps = Math.max(maxSteps, s.steps());
            }
            if (s.isBar() && Double.isFinite(s.sqnrDb()) && s.sqnrDb() < 999) {
                maxDb = Math.max(maxDb, Math.min(SQNR_AXIS_MAX_DB, s.sqnrDb()));
            }
        }
        maxSteps = niceCeiling(maxSteps);
        maxDb = niceCeiling(maxDb);
        int top1 = TOP;
        int top2 = TOP + PANEL + GAP;
        StringBuilder b = new StringBuilder();
        b.append(fmt(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " role=\"img\" aria-label=\"per-layer error\">",
                width, height, width, height));
        axis(b, top1, plotWidth, maxSteps, "RMSE (steps)");
        axis(b, top2, plotWidth, maxDb, "SQNR (dB)");
        // The error of rounding alone: bars near this line add no error of their own.
        double yRef = top1 + PANEL - PANEL * ROUNDING_ONLY_STEPS / maxSteps;
        b.append(fmt(
                "<line class=\"ref\" x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"><title>rounding only: %.2f"
                        + " steps</title></line>",
                LEFT, LEFT + plotWidth, yRef, yRef, ROUNDING_ONLY_STEPS));
        int labelEvery = Math.max(1, (int) Math.ceil(n / 24.0));
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            double x = LEFT + i * slot;
            String title = "<title>" + esc(s.title()) + "</title>";
            if (!s.isBar()) {
                b.append(fmt(
                        "<rect class=\"fallback\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\">%s</rect>",
                        x + slot * 0.1, top1, slot * 0.8, top2 + PANEL - top1, title));
                continue;
            }
            double w = slot * 0.76;
            double bx = x + (slot - w) / 2;
            double steps = Double.isFinite(s.steps()) ? Math.max(0, s.steps()) : 0;
            double h1 = PANEL * Math.min(1, steps / maxSteps);
            b.append(fmt(
                    "<rect class=\"bar %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">%s</rect>",
                    s.kind(), bx, top1 + PANEL - h1, w, Math.max(h1, 0.5), title));
            double db = s.sqnrDb();
            boolean identical = db >= 999 || db == Double.POSITIVE_INFINITY;
            double h2 = Double.isNaN(db) ? 0 : identical ? PANEL : PANEL * Math.max(0, Math.min(1, db / maxDb));
            b.append(fmt(
                    "<rect class=\"sqnr %s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">%s</rect>",
                    s.kind(), identical ? " identical" : "", bx, top2 + PANEL - h2, w, Math.max(h2, 0.5), title));
            if (i % labelEvery == 0) {
                b.append(fmt(
                        "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>",
                        x + slot / 2, top2 + PANEL + 14, i + 1));
            }
        }
        b.append("</svg>");
        return b.toString();
    }

    private static void axis(StringBuilder b, int top, double plotWidth, double max, String label) {
        b.append(fmt("<text class=\"axis-label\" x=\"4\" y=\"%d\">%s</text>", top - 6, esc(label)));
        for (int k = 0; k <= 2; k++) {
            double v = max * k / 2;
            double y = top + PANEL - PANEL * k / 2.0;
            b.append(fmt(
                    "<line class=\"grid\" x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                    LEFT, LEFT + plotWidth, y, y));
            b.append(fmt(
                    "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 4, y + 4, Html.num(v)));
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /**
     * The recorded range (grey) and the range the scale and zero point represent (blue) on one axis spanning both:
     * where the blue is shorter, values clip; where it is longer, steps are spent on values never seen.
     */
    static String rangeBar(double recMin, double recMax, double chosenMin, double chosenMax) {
        int w = 140;
        int h = 14;
        double lo = Math.min(Math.min(recMin, chosenMin), 0);
        double hi = Math.max(Math.max(recMax, chosenMax), 0);
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            return "";
        }
        double span = hi - lo;
        StringBuilder b = new StringBuilder();
        b.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rangebar\" width=\"%d\" height=\"%d\">", w, h));
        b.append(fmt(
                "<rect class=\"recorded\" x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"4\"/>",
                w * (recMin - lo) / span, Math.max(1, w * (recMax - recMin) / span)));
        if (Double.isFinite(chosenMin) && Double.isFinite(chosenMax)) {
            b.append(fmt(
                    "<rect class=\"chosen\" x=\"%.1f\" y=\"8\" width=\"%.1f\" height=\"4\"/>",
                    w * (chosenMin - lo) / span, Math.max(1, w * (chosenMax - chosenMin) / span)));
        }
        double zero = w * (0 - lo) / span;
        b.append(fmt("<line class=\"zero\" x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\"/>", zero, zero, h));
        b.append("</svg>");
        return b.toString();
    }

    /** A histogram as a filled line, counts on a log scale so that the tails show. */
    static String sparkline(long[] counts) {
        if (counts.length == 0) {
            return "";
        }
        int w = 120;
        int h = 18;
        double max = 0;
        for (long c : counts) {
            max = Math.max(max, Math.log1p(c));
        }
        if (max == 0) {
            return "";
        }
        StringBuilder points = new StringBuilder();
        points.append(fmt("0,%d", h));
        for (int i = 0; i < counts.length; i++) {
            double x = counts.length == 1 ? w / 2.0 : (double) w * i / (counts.length - 1);
            double y = h - (h - 1) * Math.log1p(counts[i]) / max;
            points.append(fmt(" %.1f,%.1f", x, y));
        }
        points.append(fmt(" %d,%d", w, h));
        return fmt(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\" width=\"%d\" height=\"%d\">"
                        + "<polygon points=\"%s\"/></svg>",
                w, h, points);
    }
}
