package io.quanta.report.html;

import java.util.Locale;

/** Escaping and number formatting for the page: every string from a report passes through {@link #esc}. */
final class Html {
    private Html() {}

    /** Text safe in element content and in double- or single-quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // Control characters other than tab and newlines are not allowed in HTML text.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** Bytes with thousands separators and a binary unit: "492,228 B (481 KiB)". */
    static String bytes(double n) {
        long b = (long) n;
        String plain = fmt("%,d B", b);
        if (b < 1024) {
            return plain;
        }
        return b < 1024 * 1024
                ? plain + fmt(" (%.0f KiB)", b / 1024.0)
                : plain + fmt(" (%.1f MiB)", b / (1024.0 * 1024));
    }

    /** Milliseconds as "96 ms" or "1.10 s". */
    static String millis(double ms) {
        return ms < 1000 ? fmt("%.0f ms", ms) : fmt("%.2f s", ms / 1000);
    }

    /** Decibels; the report's stand-in for identical values (999) and infinity read as "identical". */
    static String db(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v >= 999 || Double.isInfinite(v)) {
            return v > 0 ? "∞ (identical)" : "−∞";
        }
        return fmt("%.1f dB", v);
    }

    /** Four significant digits, plain notation where it reads well. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        double a = Math.abs(v);
        if (v == 0 || (a >= 1e-3 && a < 1e6)) {
            String s = fmt("%.4g", v);
            // %.4g never uses an exponent in this range except for values like 1.000e+05; keep those.
            return s.contains("e") ? s : stripZeros(s);
        }
        return fmt("%.3e", v);
    }

    /** A fraction as four decimals (accuracy, agreement). */
    static String fraction(double v) {
        return Double.isNaN(v) ? "n/a" : fmt("%.4f", v);
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        String t = s.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
