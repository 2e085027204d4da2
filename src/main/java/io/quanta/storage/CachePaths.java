package io.quanta.storage;

import java.nio.file.Path;

/**
 * Where a remote object lands in the local cache directory: {@code <cache>/s3/<bucket>/<key>} and
 * {@code <cache>/https/<host>[_port]/<path>}. Names that would climb out of the cache ("..", absolute parts)
 * are refused, so a hostile key cannot write elsewhere on disk.
 */
final class CachePaths {
    private CachePaths() {}

    static Path forS3(Path cacheDir, String bucket, String key) {
        return under(cacheDir.resolve("s3").resolve(bucket), key, "s3://" + bucket + "/" + key);
    }

    static Path forHttps(Path cacheDir, java.net.URI uri) {
        String host = uri.getHost() + (uri.getPort() > 0 ? "_" + uri.getPort() : "");
        String path = uri.getPath() == null
                        || uri.getPath().isEmpty()
                        || uri.getPath().endsWith("/")
                ? (uri.getPath() == null ? "" : uri.getPath()) + "index"
                : uri.getPath();
        return under(cacheDir.resolve("https").resolve(host), path, uri.toString());
    }

    static Path under(Path root, String relative, String location) {
        Path r = root.toAbsolutePath().normalize();
        Path p = r;
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new StorageException("refusing to download " + location
                        + ": its name contains '..' and would land outside the cache directory " + r);
            }
            p = p.resolve(part);
        }
        if (!p.normalize().startsWith(r) || p.equals(r)) {
            throw new StorageException("refusing to download " + location + ": its name maps to no file under " + r);
        }
        return p;
    }
}
