package io.quanta.job;

/**
 * The interface between the operator and the engine step it starts (documented in docs/operator.md).
 * Environment variables in; exit code, termination message and result log line out (see
 * io.quanta.report.ResultCodec).
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
    /** Overrides {@link #SECRETS_DIR} (a local run reads Secrets from a folder of its choice). */
    public static final String ENV_SECRETS_DIR = "QUANTA_SECRETS_DIR";
    /** Each referenced Secret is mounted read-only at {@code SECRETS_DIR/<secret name>/<key>}. */
    public static final String SECRETS_DIR = "/var/run/secrets/quanta";
    /** Overrides {@link #TMP_DIR} as the place of the download cache and staging files. */
    public static final String ENV_WORK_DIR = "QUANTA_WORK_DIR";
    /** The only writable path besides mounted volumes (read-only root filesystem). */
    public static final String TMP_DIR = "/tmp";
    /**
     * The most memory a model's tensors may take, in bytes (the CLI's {@code --max-memory}); the operator sets it
     * from the engine container's memory limit, so a model too large for the pod is refused before allocating.
     */
    public static final String ENV_MAX_MEMORY = "QUANTA_MAX_MEMORY";
    /**
     * Which part of a sharded run this pod does ({@link EnginePhase}, lower case): {@code all} (the default: the
     * whole run in one pod, as before sharding), {@code prepare}, {@code calibrate}, {@code quantize},
     * {@code evaluate}, {@code merge} or {@code cleanup}.
     */
    public static final String ENV_PHASE = "QUANTA_PHASE";
    /** N, the number of shards of the calibrate and evaluate phases (the spec's parallelism); default 1. */
    public static final String ENV_SHARD_COUNT = "QUANTA_SHARD_COUNT";
    /** This pod's shard, 0..N-1; when absent, {@link #ENV_JOB_COMPLETION_INDEX} is used. */
    public static final String ENV_SHARD_INDEX = "QUANTA_SHARD_INDEX";
    /** Set by Kubernetes in each pod of an Indexed Job (batch/v1 completionMode Indexed). */
    public static final String ENV_JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";
    /**
     * Storage location (a folder path, file:// or s3:// prefix, ending in '/') where the phases of one run keep
     * their intermediate files; the operator's default is {@link WorkLocations#defaultFor}.
     */
    public static final String ENV_WORK_LOCATION = "QUANTA_WORK_LOCATION";
    /** The reason of a prepare phase that cannot write (and delete) a marker in the work location. */
    public static final String REASON_WORK_LOCATION_NOT_WRITABLE = "WorkLocationNotWritable";
    /** The most shards a run may have (the spec's parallelism is 1..MAX_SHARDS). */
    public static final int MAX_SHARDS = 64;

    /** Name of the engine container in the pod. */
    public static final String CONTAINER = "engine";

    /** Exit codes of the engine step: success, an internal error (a bug), a failure the result explains. */
    public static final int EXIT_SUCCEEDED = 0;

    public static final int EXIT_INTERNAL_ERROR = 1;
    public static final int EXIT_FAILED = 2;

    private EngineContract() {}
}
