package io.quanta.operator.api;

/** Life cycle of a QuantizationJob's current generation. */
public enum Phase {
    /**
     * Waiting for a slot under maxConcurrentJobs or a namespace limit (no Job yet), or with spec.queueName for Kueue
     * to admit its suspended Job.
     */
    Queued,
    /** Accepted, the engine is not running yet (Job being created, pod scheduling or pulling its image). */
    Pending,
    /** The engine container runs. */
    Running,
    /** The run finished and its result is accepted. */
    Succeeded,
    /** The run failed or its result missed the acceptance threshold; {@code Ready}'s reason says why. */
    Failed;

    public boolean terminal() {
        return this == Succeeded || this == Failed;
    }
}
