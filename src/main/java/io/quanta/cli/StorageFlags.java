package io.quanta.cli;

import io.quanta.storage.Storage;
import io.quanta.storage.StorageException;
import io.quanta.storage.StorageOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The storage flags shared by the commands that read and write locations. */
final class StorageFlags {
    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            description = "S3-compatible endpoint, e.g. http://127.0.0.1:9000 (default: AWS_ENDPOINT_URL_S3, else "
                    + "AWS_ENDPOINT_URL, else AWS). Buckets are then addressed path-style.")
    String s3Endpoint;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Where downloaded models and datasets are kept (default: quanta-cache in the temporary "
                    + "directory).")
    Path cacheDir;

    /** Storage configured from the environment (AWS_* variables), with --s3-endpoint winning. */
    Storage open(Map<String, String> environment) {
        try {
            StorageOptions.Builder b = StorageOptions.fromEnvironment(environment);
            if (s3Endpoint != null) {
                b.s3Endpoint(s3Endpoint);
            }
            return new Storage(b.build());
        } catch (StorageException | IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
    }

    Path cacheDir() {
        return cacheDir != null ? cacheDir : defaultCacheDir();
    }

    static Path defaultCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "quanta-cache");
    }

    /** Where staging directories of runs go: beside the cache, on the same (writable) file system. */
    Path workDir() {
        return cacheDir().resolveSibling(cacheDir().getFileName() + "-work");
    }
}
