package io.quanta.cli;

import io.quanta.job.EngineContract;
import io.quanta.pipeline.PipelineException;
import io.quanta.storage.PublishedObject;
import io.quanta.storage.Storage;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --shard I/N} of the commands that do one shard of a sharded run ({@code calibrate}, {@code eval}), and the
 * edges they share with the commands that merge shards ({@code quantize --stats}, {@code merge}): reading and writing
 * partial files through the storage layer, and failures of a shard set as one typed line.
 */
final class ShardOption {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

    /** Shard {@code index} (zero-based) of {@code count}. */
    record Shard(int index, int count) {}

    @Option(
            names = "--shard",
            paramLabel = "I/N",
            description = "Do only shard I of N: the I-th of N contiguous slices of the (sampled) samples, so N runs "
                    + "with I = 0..N-1 cover every sample once. I is zero-based, as QUANTA_SHARD_INDEX in the "
                    + "operator's pods; N is 1.." + EngineContract.MAX_SHARDS + " (default: 0/1, every sample).")
    String shard;

    boolean given() {
        return shard != null;
    }

    /** The shard asked for; 0/1 when none. */
    Shard get() {
        return shard == null ? new Shard(0, 1) : parse(shard);
    }

    /** "I/N" with 0 <= I < N <= 64; a one-line user error otherwise. */
    static Shard parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new UserException("--shard: expected I/N (shard I of N, I zero-based), found '" + text + "'");
        }
        int index = Integer.parseInt(m.group(1));
        int count = Integer.parseInt(m.group(2));
        if (count < 1 || count > EngineContract.MAX_SHARDS) {
            throw new UserException(
                    "--shard " + text.strip() + ": N must be 1.." + EngineContract.MAX_SHARDS + ", got " + count);
        }
        if (index >= count) {
            throw new UserException("--shard " + text.strip() + ": I is zero-based, 0.." + (count - 1) + " for " + count
                    + " shards, got " + index);
        }
        return new Shard(index, count);
    }

    /**
     * The partial files at {@code locations}, fetched and read by {@code reader} (file, name: ShardFiles'
     * {@code calibration} or {@code evaluation}); a file that cannot be fetched is {@code ShardMissing}. Each is named
     * in messages by its location as given.
     */
    static <T> List<T> read(Storage store, Path cacheDir, List<String> locations, BiFunction<Path, String, T> reader) {
        List<T> parsed = new ArrayList<>();
        for (String location : locations) {
            Path file;
            try {
                file = store.fetch(location, cacheDir);
            } catch (StorageException e) {
                throw new UserException("ShardMissing: " + location + " cannot be read: " + e.getMessage(), e);
            }
            parsed.add(typed(() -> reader.apply(file, location)));
        }
        return parsed;
    }

    /** Writes a partial file to {@code location} (a path or s3://, atomically) through a staged file. */
    static PublishedObject write(Storage store, Path workDir, String text, String location) throws IOException {
        Files.createDirectories(workDir);
        Path staged = Files.createTempFile(workDir, "shard-", ".json");
        try {
            Files.writeString(staged, text, StandardCharsets.UTF_8);
            return store.publish(staged, location);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /**
     * Runs {@code work}; a bad shard set (PartialInvalid, PartialMismatch, ShardDuplicate, ShardMissing) becomes one
     * line that leads with its type, as the operator's status shows it.
     */
    static <T> T typed(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (PipelineException e) {
            String code = e.errorCode();
            if (code != null && (code.startsWith("Partial") || code.startsWith("Shard"))) {
                throw new UserException(code + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
