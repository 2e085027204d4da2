package io.quanta.operator.dependent;

/**
 * The interface between the operator and the engine step it starts (documented in docs/operator.md).
 * Environment variables in, termination message and result log line out (see io.quanta.report.ResultCodec).
 */
public final class EngineContract {
    /** The QuantizationJob's {@code .spec} as JSON, exactly as the API server stored it (defaults applied). */
    public static final String ENV_SPEC = "QUANTA_JOB_SPEC";
    public static final String ENV_NAME = "QUANTA_JOB_NAME";
    public static final String ENV_NAMESPACE = "QUANTA_JOB_NAMESPACE";
    public static final String ENV_GENERATION = "QUANTA_JOB_GENERATION";
    /** Where the engine writes the compact result; the default terminationMessagePath of every container. */
    public static final String ENV_RESULT_FILE = "QUANTA_RESULT_FILE";
    public static final String RESULT_FILE = "/dev/termination-log";
    /** Each referenced Secret is mounted read-only at {@code SECRETS_DIR/<secret name>/<key>}. */
    public static final String SECRETS_DIR = "/var/run/secrets/quanta";
    /** The only writable path besides mounted volumes (read-only root filesystem). */
    public static final String TMP_DIR = "/tmp";
    /** Name of the engine container in the pod. */
    public static final String CONTAINER = "engine";

    private EngineContract() {}
}
