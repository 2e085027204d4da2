package io.quanta.operator.dependent;

/** The environment a sharded run's phase pods read (the engine's side: io.quanta.job.EngineContract). */
final class ShardEnv {
    static final String PHASE = "QUANTA_PHASE";
    static final String SHARD_COUNT = "QUANTA_SHARD_COUNT";
    static final String SHARD_INDEX = "QUANTA_SHARD_INDEX";
    static final String WORK_LOCATION = "QUANTA_WORK_LOCATION";

    private ShardEnv() {}
}
