package io.quanta.job;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * What is known about one engine run, whoever watched it: the operator reads it off a batch/v1 Job and its latest
 * pod, a local {@code job run} off the step it just ran. {@link RunClassifier} decides from this alone.
 *
 * @param jobName   the run's Job name (for messages)
 * @param startTime RFC 3339 time the run started, or null
 * @param end       how the run ended; null while it runs
 * @param attempt   the latest attempt (engine pod); null before one exists
 */
public record RunObservation(String jobName, String startTime, End end, Attempt attempt) {

    /** How a run ended, as the Job controller reports it. */
    public enum Ending {
        COMPLETE,
        FAILED,
        DEADLINE_EXCEEDED
    }

    /**
     * @param ending                how it ended
     * @param time                  RFC 3339 time it ended, or null
     * @param message               the Job controller's message, or null
     * @param activeDeadlineSeconds the run's time limit, when it had one
     */
    public record End(Ending ending, String time, String message, Long activeDeadlineSeconds) {}

    /**
     * One attempt at the run (one engine pod).
     *
     * @param name       the pod's name
     * @param phase      the pod's phase (Pending, Running, Succeeded, Failed), or null
     * @param engine     the engine container's state; null while it has none
     * @param resultLog  reads the end of the engine's log (it holds the full result line); called only when needed
     * @param podReason  the pod's own status reason (e.g. Evicted), or null
     * @param podMessage the pod's own status message (e.g. which limit an eviction exceeded), or null
     * @param unschedulable the scheduler's message while the pod cannot be scheduled, or null
     * @param sidecarsRunning whether containers other than the engine still run (they keep the pod alive)
     */
    public record Attempt(
            String name,
            String phase,
            Engine engine,
            Supplier<Optional<String>> resultLog,
            String podReason,
            String podMessage,
            String unschedulable,
            boolean sidecarsRunning) {

        /** An attempt that is only its engine container (a local run, or a pod with nothing more to say). */
        public Attempt(String name, String phase, Engine engine, Supplier<Optional<String>> resultLog) {
            this(name, phase, engine, resultLog, null, null, null, false);
        }
    }

    /**
     * The engine container: its image, and its current or last state.
     *
     * @param image          the image it runs
     * @param waitingReason  why it waits (e.g. ImagePullBackOff), or null
     * @param waitingMessage the waiting state's message, or null
     * @param running        whether it runs now
     * @param terminated     how it (or its last instance) ended, or null
     */
    public record Engine(
            String image, String waitingReason, String waitingMessage, boolean running, Terminated terminated) {}

    /** An ended engine container: exit code, reason (e.g. OOMKilled) and termination message. */
    public record Terminated(Integer exitCode, String reason, String message) {}
}
