package io.quanta.report.html;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a run's JSON report as a tree for the page. The page reads the tree rather than the pipeline's report
 * types so that it sits below the pipeline (the job layer renders with it) and shows reports of other format
 * versions, whose fields it may not know or miss, as they are.
 */
public final class ReportJson {
    /** The report format this page was written for (the pipeline's {@code QuantizationReport.FORMAT_VERSION}). */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ReportJson() {}

    /** Thrown for text that is not a report; its message is one line naming {@code source}. */
    public static final class NotAReportException extends IllegalArgumentException {
        public NotAReportException(String message) {
            super(message);
        }
    }

    /**
     * Parses the report text. Refuses (with a one-line message) text that is not JSON, is cut short, or is JSON
     * but no quantization report (no sizes, coverage or options).
     */
    public static JsonNode parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (e instanceof JsonEOFException
                    || atEnd(e.getLocation(), text)
                    || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
                throw new NotAReportException(source + " is truncated: the JSON ends" + at(e.getLocation())
                        + " before the report is complete");
            }
            throw new NotAReportException(
                    source + " is not valid JSON" + at(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new NotAReportException(source + " is empty: expected a Quanta report (*.report.json)");
        }
        if (!root.isObject()
                || !(root.has("sizes") || root.has("coverage") || root.has("options") || root.has("tensors"))) {
            throw new NotAReportException(source
                    + " is JSON but not a Quanta quantization report (no sizes, coverage or options): expected the"
                    + " *.report.json a quantize run writes");
        }
        int version = formatVersion(root);
        if (version > FORMAT_VERSION + 100) {
            throw new NotAReportException(source + " has report format " + version + ", which no Quanta wrote");
        }
        return root;
    }

    /** The report's format version; 0 for reports written before the field existed. */
    public static int formatVersion(JsonNode report) {
        JsonNode v = report.path("formatVersion");
        return v.canConvertToInt() ? v.asInt() : 0;
    }

    /**
     * A number of the report, or null when absent. The report writes NaN and infinities as strings; those come back
     * as doubles.
     */
    public static Double num(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            switch (n.asText()) {
                case "Infinity", "+Infinity", "INF":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity", "-INF":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    try {
                        return Double.parseDouble(n.asText());
                    } catch (NumberFormatException e) {
                        return null;
                    }
            }
        }
        return null;
    }

    /** A text field, or null when absent. */
    public static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    /** True when the parser stopped at the end of the text: it was cut, not garbled. */
    private static boolean atEnd(JsonLocation l, String text) {
        return l != null && l.getCharOffset() >= text.stripTrailing().length();
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
