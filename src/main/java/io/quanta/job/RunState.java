package io.quanta.job;

import io.quanta.operator.api.Phase;
import io.quanta.report.RunResult;

/**
 * What one engine run looks like right now, reduced from a {@link RunObservation}.
 *
 * @param phase          the phase to report
 * @param reason         CamelCase reason for the Ready condition and Events (e.g. OOMKilled, DeadlineExceeded)
 * @param message        one sentence for humans
 * @param result         the engine's result when it reported one
 * @param startTime      RFC 3339 time the engine started, or null
 * @param completionTime RFC 3339 time the run ended, or null
 * @param stopJob        true when the run is over but its Job is still active (e.g. an image that never pulls)
 */
public record RunState(
        Phase phase,
        String reason,
        String message,
        RunResult result,
        String startTime,
        String completionTime,
        boolean stopJob) {

    public static RunState of(Phase phase, String reason, String message) {
        return new RunState(phase, reason, message, null, null, null, false);
    }

    public RunState withTimes(String start, String completion) {
        return new RunState(phase, reason, message, result, start, completion, stopJob);
    }

    RunState withResult(RunResult newResult) {
        return new RunState(phase, reason, message, newResult, startTime, completionTime, stopJob);
    }

    RunState stoppingJob() {
        return new RunState(phase, reason, message, result, startTime, completionTime, true);
    }
}
