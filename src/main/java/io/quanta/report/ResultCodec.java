package io.quanta.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link RunResult} travels from the engine process to the operator, in two encodings:
 *
 * <ul>
 *   <li>the <b>termination message</b>: compact JSON without the scale statistics, at most
 *       {@link #TERMINATION_MESSAGE_LIMIT} bytes (Kubernetes keeps at most 4 KiB of a container's termination
 *       message). Long messages and op lists are shortened until it fits, so the outcome, reason, sizes and
 *       accuracy always arrive;</li>
 *   <li>the <b>result log line</b>: the complete result (scale statistics included, already capped at
 *       {@link RunResult.ScaleStats#MAX_TENSORS}) on one line of standard output starting with
 *       {@link #LOG_LINE_PREFIX}; the engine prints it last.</li>
 * </ul>
 */
public final class ResultCodec {

    /** Kubernetes truncates a termination message to 4096 bytes; we stay within it so the JSON stays whole. */
    public static final int TERMINATION_MESSAGE_LIMIT = 4096;

    /** Marks the log line that carries the full result. */
    public static final String LOG_LINE_PREFIX = "QUANTA-RESULT ";

    private static final int MIN_MESSAGE_CHARS = 200;

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ResultCodec() {}

    /** Compact JSON for the container termination message; never longer than {@link #TERMINATION_MESSAGE_LIMIT}. */
    public static String toTerminationMessage(RunResult result) {
        RunResult compact = result.scales() == null
                ? result
                : result.withScales(new RunResult.ScaleStats(result.scales().totalTensors(), List.of()));
        String json = write(compact);
        // Shrink the free-text parts, longest first, until the document fits.
        while (utf8Length(json) > TERMINATION_MESSAGE_LIMIT) {
            RunResult smaller = shrink(compact, utf8Length(json) - TERMINATION_MESSAGE_LIMIT);
            if (smaller == compact) {
                break;
            }
            compact = smaller;
            json = write(compact);
        }
        if (utf8Length(json) > TERMINATION_MESSAGE_LIMIT) {
            // Only reachable with absurdly long locations: keep the outcome and reason at least.
            json = write(RunResult.builder()
                    .schemaVersion(result.schemaVersion())
                    .outcome(result.outcome())
                    .failedStage(result.failedStage())
                    .errorCode(result.errorCode())
                    .message("result too large for the termination message")
                    .build());
        }
        return json;
    }

    /** The full result as one log line (prefix + JSON, no line breaks). */
    public static String toLogLine(RunResult result) {
        return LOG_LINE_PREFIX + write(result);
    }

    /** Parses a termination message; empty when it is not a result (e.g. the log tail of a crashed JVM). */
    public static Optional<RunResult> parseTerminationMessage(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.empty();
        }
        return read(trimmed);
    }

    /** Finds the last result line in a log excerpt; empty when there is none. */
    public static Optional<RunResult> parseLog(String log) {
        if (log == null) {
            return Optional.empty();
        }
        String[] lines = log.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith(LOG_LINE_PREFIX)) {
                return read(lines[i].substring(LOG_LINE_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    private static RunResult shrink(RunResult r, int excessBytes) {
        String message = r.message();
        // keep + 1 (the ellipsis) must be shorter than the message, or shrinking would not terminate.
        int keep = message == null ? 0 : Math.max(MIN_MESSAGE_CHARS, message.length() - excessBytes - 16);
        if (message != null && keep + 1 < message.length()) {
            return r.withMessage(message.substring(0, keep) + "…");
        }
        RunResult.Coverage c = r.coverage();
        if (c != null && c.unsupportedOps() != null && !c.unsupportedOps().isEmpty()) {
            List<String> ops = c.unsupportedOps();
            return r.withCoverage(new RunResult.Coverage(
                    c.totalOps(), c.quantizedOps(), c.floatOps(), ops.subList(0, ops.size() / 2)));
        }
        return r;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String write(RunResult result) {
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise run result: " + e.getMessage(), e);
        }
    }

    private static Optional<RunResult> read(String json) {
        try {
            RunResult result = JSON.readValue(json, RunResult.class);
            return result.outcome() == null ? Optional.empty() : Optional.of(result);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
