package io.quanta.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one way Quanta reads models and datasets and writes outputs, whatever the location: a path or
 * {@code file://} (PVC mounts too), {@code https://} or {@code s3://bucket/key}. Remote inputs are downloaded into
 * a local cache directory so that readers taking a {@link Path} work unchanged.
 *
 * <p>Guarantees: downloads are capped ({@link StorageOptions#maxDownloadBytes()}) and refused before being
 * read whole; a pinned sha256 is verified before the file appears in the cache; outputs become visible whole
 * or not at all; every output's sha256 is computed from the bytes as they are written and returned.
 *
 * <p>Hostile locations: a remote name that would land outside {@code cacheDir} is refused before any request
 * (see {@code CachePaths}); https redirects are followed only to https, at most 5 of them; a download fails when
 * the server stays silent for the read timeout, in the headers or mid-body; a local folder is refused when a
 * symbolic link in it leads outside it (see {@code LocalStore}).
 *
 * <p>Thread-safe; close it to release the S3 client's connections.
 */
public final class Storage implements AutoCloseable {
    private final StorageOptions options;
    private final LongAdder transferred = new LongAdder();
    private final HttpsStore https;
    private final S3Store s3;

    public Storage(StorageOptions options) {
        this.options = options;
        this.https = new HttpsStore(options, transferred);
        this.s3 = new S3Store(options, transferred);
    }

    /** Options from the process environment (AWS_ENDPOINT_URL_S3, AWS_REGION, ...) and defaults otherwise. */
    public static Storage fromEnvironment() {
        return new Storage(
                StorageOptions.fromEnvironment(Map.copyOf(System.getenv())).build());
    }

    public StorageOptions options() {
        return options;
    }

    /** One file: a local path is returned as is; a remote object is downloaded under {@code cacheDir}. */
    public Path fetch(String location, Path cacheDir) {
        return fetch(location, cacheDir, null);
    }

    /**
     * As {@link #fetch(String, Path)}, verifying the content's sha256 (hex) when {@code expectedSha256} is not null
     * (for https it may also be pinned in the URL as {@code #sha256=<hex>}).
     */
    public Path fetch(String location, Path cacheDir, String expectedSha256) {
        if (expectedSha256 != null
                && !Location.HEX_SHA256.matcher(expectedSha256).matches()) {
            throw new StorageException("malformed sha256 '" + expectedSha256 + "': expected 64 hex digits");
        }
        Location loc = Location.parse(location);
        if (loc instanceof Location.Https h) {
            return https.fetch(h, cacheDir, expectedSha256);
        }
        if (loc instanceof Location.S3 o) {
            return s3.fetch(o, cacheDir, expectedSha256);
        }
        return LocalStore.fetch((Location.Local) loc, expectedSha256);
    }

    /** A folder: a local directory as is, or every object under an S3 prefix mirrored under {@code cacheDir}. */
    public Path fetchTree(String prefix, Path cacheDir) {
        Location loc = Location.parse(prefix);
        if (loc instanceof Location.Https h) {
            throw new StorageException(h.display()
                    + ": an https URL names one file and cannot be listed; put a dataset folder on S3 or a volume");
        }
        if (loc instanceof Location.S3 o) {
            return s3.fetchTree(o, cacheDir);
        }
        return LocalStore.fetchTree((Location.Local) loc);
    }

    /**
     * A dataset location that may be a file or a folder: a trailing '/' means a folder; for S3 an existing key
     * is a file, otherwise the key is taken as a folder prefix.
     */
    public Path fetchFileOrTree(String location, Path cacheDir) {
        Location loc = Location.parse(location);
        if (loc instanceof Location.Https h) {
            return https.fetch(h, cacheDir, null);
        }
        if (loc instanceof Location.S3 o) {
            if (!o.key().isEmpty()) {
                CachePaths.forS3(cacheDir, o.bucket(), o.key()); // a key that climbs out is refused before a request
            }
            boolean folder = o.key().isEmpty() || o.key().endsWith("/") || !s3.exists(o);
            return folder ? s3.fetchTree(o, cacheDir) : s3.fetch(o, cacheDir, null);
        }
        return LocalStore.fetchFileOrTree((Location.Local) loc);
    }

    /** Stores a local file at the location atomically and returns its size and sha256. */
    public PublishedObject publish(Path local, String location) {
        if (!Files.isRegularFile(local)) {
            throw new StorageException("cannot publish " + local + ": no such file");
        }
        Location loc = Location.parse(location);
        if (loc instanceof Location.Https h) {
            throw new StorageException("cannot write to " + h.display()
                    + ": https locations are read-only; write outputs to a path or s3://bucket/key");
        }
        if (loc instanceof Location.S3 o) {
            return s3.publish(local, o);
        }
        return LocalStore.publish(local, (Location.Local) loc);
    }

    /** Deletes one file or object; one that is not there is no error. */
    public void delete(String location) {
        Location loc = Location.parse(location);
        if (loc instanceof Location.Https h) {
            throw new StorageException("cannot delete " + h.display() + ": https locations are read-only");
        }
        if (loc instanceof Location.S3 o) {
            s3.delete(o);
        } else {
            LocalStore.delete((Location.Local) loc);
        }
    }

    /**
     * Deletes a folder and everything in it, or every object under an S3 prefix (the location should end in
     * '/'); one that is not there is no error.
     */
    public void deleteTree(String prefix) {
        Location loc = Location.parse(prefix);
        if (loc instanceof Location.Https h) {
            throw new StorageException("cannot delete " + h.display() + ": https locations are read-only");
        }
        if (loc instanceof Location.S3 o) {
            s3.deleteTree(o);
        } else {
            LocalStore.deleteTree((Location.Local) loc);
        }
    }

    /** Bytes received from remote locations so far (for progress lines and to prove a refusal read little). */
    public long bytesDownloaded() {
        return transferred.sum();
    }

    @Override
    public void close() {
        s3.close();
    }
}
