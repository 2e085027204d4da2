package io.quanta.storage;

import java.nio.file.Path;

/**
 * Where a remote object lands in the local cache directory: {@code <cache>/s3/<bucket>/<key>} and
 * {@code <cache>/https/<host>[_port]/<path>}. Names that would climb out of the cache are refused, so a hostile
 * key or URL cannot write elsewhere on disk: a ".." part (also when it was written {@code %2e%2e} in a URL, which
 * arrives here decoded, or between backslashes, which Windows would take as separators); a character no file name
 * may hold (NUL). Leading and doubled slashes only make empty parts, which are skipped, so an absolute-looking
 * name stays under the cache. A backslash is otherwise an ordinary character of one file name.
 */
final class CachePaths {
    private CachePaths() {}

    static Path forS3(Path cacheDir, String bucket, String key) {
        return under(cacheDir.resolve("s3").resolve(bucket), key, "s3://" + bucket + "/" + key);
    }

    static Path forHttps(Path cacheDir, java.net.URI uri) {
        // URI has checked the host's syntax: letters, digits, '-', '.' (never a ".." label) or a bracketed IPv6.
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
            if (java.util.Arrays.asList(part.split("\\\\", -1)).contains("..")) {
                throw new StorageException("refusing to download " + location
                        + ": its name contains '..' and would land outside the cache directory " + r);
            }
            try {
                p = p.resolve(part);
            } catch (java.nio.file.InvalidPathException e) {
                throw new StorageException("refusing to download " + location
                        + ": its name holds a character no file name may hold (" + e.getReason() + ")");
            }
        }
        if (!p.normalize().startsWith(r) || p.equals(r)) {
            throw new StorageException("refusing to download " + location + ": its name maps to no file under " + r);
        }
        return p;
    }
}
