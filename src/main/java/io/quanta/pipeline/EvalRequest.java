package io.quanta.pipeline;

import io.quanta.data.Preprocessing;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code quanta eval} compares, whole ({@link Pipeline#evaluate}) or one shard at a time
 * ({@link ShardSteps#compareShard}): a float model and a quantized version of it, on the same samples.
 *
 * @param data    the dataset files (or folders)
 * @param labels  the labels file, null without (or when the folders name the classes)
 * @param samples how many of the samples to use, 0 for all
 * @param seed    the sampling seed, null for evenly spaced samples
 * @param threads worker threads, 0 for every processor
 */
public record EvalRequest(
        Path floatModel,
        Path quantizedModel,
        List<Path> data,
        Path labels,
        Preprocessing preprocessing,
        int samples,
        Long seed,
        int threads) {
    public EvalRequest {
        data = List.copyOf(data);
    }
}
