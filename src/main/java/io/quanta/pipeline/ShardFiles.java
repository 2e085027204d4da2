package io.quanta.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.eval.EvaluationTotals;
import io.quanta.report.RunResult.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON files of partial results: one calibration or evaluation shard each, with what it is of (model sha256s,
 * sample count, shard I of N and its slice) beside the lossless payload (see {@link CalibrationStats#toJson} and
 * {@link EvaluationTotals#toJson}). Reading checks the format and version; a bad file is a one-line
 * {@link PipelineException} ({@code PartialInvalid}) naming it.
 */
public final class ShardFiles {
    /** Tells a partial from any other JSON. */
    public static final String FORMAT = "quanta-shard";
    /** Bumped when the layout changes; a file of another version is refused, never guessed at. */
    public static final int FORMAT_VERSION = 1;

    static final String CALIBRATION = "calibration";
    static final String EVALUATION = "evaluation";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ShardFiles() {}

    public static String toJson(ShardSteps.CalibrationShard s) {
        ObjectNode n = header(CALIBRATION, s.modelSha256(), null, s.samples(), s.index(), s.count(), s.from(), s.to());
        n.set("fit", tree(s.fit().toJson()));
        if (s.held() != null) {
            n.set("held", tree(s.held().toJson()));
        }
        return write(n);
    }

    public static String toJson(ShardSteps.EvaluationShard s) {
        ObjectNode n = header(
                EVALUATION, s.modelSha256(), s.quantizedSha256(), s.samples(), s.index(), s.count(), s.from(), s.to());
        if (s.totals() != null) {
            n.set("totals", tree(s.totals().toJson()));
        }
        if (s.skipped() != null) {
            n.put("skipped", s.skipped());
        }
        return write(n);
    }

    /** The most a partial file may hold: its histograms are a few MiB for large models; more is no file of ours. */
    public static final long MAX_BYTES = 256L << 20;

    /**
     * The text of a partial file, read whole after its size was checked; decoded leniently, so a file that is not
     * text is refused by the parser as not JSON. Both ways in (the pods' phases, the CLI) read partial files here.
     */
    public static String text(Path file, String name, Stage stage) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new PipelineException(
                        stage,
                        "PartialInvalid",
                        name + ": " + size + " bytes is more than a partial file may be (" + MAX_BYTES + " bytes)",
                        null);
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PipelineException(stage, "PartialInvalid", name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The calibration shard in {@code file}; {@code name} names it in messages. */
    public static ShardSteps.CalibrationShard calibration(Path file, String name) {
        return calibration(text(file, name, Stage.QUANTIZE), name);
    }

    /** The evaluation shard in {@code file}; {@code name} names it in messages. */
    public static ShardSteps.EvaluationShard evaluation(Path file, String name) {
        return evaluation(text(file, name, Stage.EVALUATE), name);
    }

    /** The calibration shard in {@code json}; {@code name} names the file in messages. */
    public static ShardSteps.CalibrationShard calibration(String json, String name) {
        JsonNode n = read(json, name, CALIBRATION, "calibration statistics", Stage.QUANTIZE);
        try {
            CalibrationStats fit = CalibrationStats.fromJson(object(n, "fit").toString());
            CalibrationStats held = n.hasNonNull("held")
                    ? CalibrationStats.fromJson(object(n, "held").toString())
                    : null;
            return new ShardSteps.CalibrationShard(
                    text(n, "modelSha256"),
                    integer(n, "samples"),
                    integer(n, "shard"),
                    integer(n, "shards"),
                    integer(n, "from"),
                    integer(n, "to"),
                    fit,
                    held);
        } catch (IllegalArgumentException e) {
            throw invalid(Stage.QUANTIZE, name, e.getMessage());
        }
    }

    /** The evaluation shard in {@code json}; {@code name} names the file in messages. */
    public static ShardSteps.EvaluationShard evaluation(String json, String name) {
        JsonNode n = read(json, name, EVALUATION, "evaluation tallies", Stage.EVALUATE);
        try {
            String skipped = n.hasNonNull("skipped") ? n.get("skipped").asText() : null;
            EvaluationTotals totals = skipped != null && !n.hasNonNull("totals")
                    ? null
                    : EvaluationTotals.fromJson(object(n, "totals").toString());
            return new ShardSteps.EvaluationShard(
                    text(n, "modelSha256"),
                    text(n, "quantizedSha256"),
                    integer(n, "samples"),
                    integer(n, "shard"),
                    integer(n, "shards"),
                    integer(n, "from"),
                    integer(n, "to"),
                    totals,
                    skipped);
        } catch (IllegalArgumentException e) {
            throw invalid(Stage.EVALUATE, name, e.getMessage());
        }
    }

    private static ObjectNode header(
            String kind, String modelSha, String quantSha, int samples, int index, int count, int from, int to) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("formatVersion", FORMAT_VERSION);
        n.put("kind", kind);
        n.put("modelSha256", modelSha);
        if (quantSha != null) {
            n.put("quantizedSha256", quantSha);
        }
        n.put("samples", samples);
        n.put("shard", index);
        n.put("shards", count);
        n.put("from", from);
        n.put("to", to);
        return n;
    }

    private static JsonNode read(String json, String name, String kind, String what, Stage stage) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(
                    stage,
                    name,
                    "not JSON"
                            + (e.getLocation() == null
                                    ? ""
                                    : " (at line " + e.getLocation().getLineNr() + ", column "
                                            + e.getLocation().getColumnNr() + ")"));
        }
        if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
            throw invalid(stage, name, "not a Quanta shard file (no \"format\": \"" + FORMAT + "\")");
        }
        int version = n.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw invalid(
                    stage, name, "shard file format version " + version + ", this Quanta reads " + FORMAT_VERSION);
        }
        String found = n.path("kind").asText();
        if (!kind.equals(found)) {
            throw new PipelineException(
                    stage,
                    "PartialMismatch",
                    name + " holds " + (EVALUATION.equals(found) ? "evaluation tallies" : found) + ", not " + what,
                    null);
        }
        return n;
    }

    private static JsonNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException("no \"" + field + "\" object");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("no \"" + field + "\"");
        }
        return v.asText();
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw new IllegalArgumentException("\"" + field + "\" is not a whole number >= 0");
        }
        return v.asInt();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot embed a partial result", e);
        }
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a partial result", e);
        }
    }

    private static PipelineException invalid(Stage stage, String name, String message) {
        return new PipelineException(stage, "PartialInvalid", name + ": " + message, null);
    }
}
