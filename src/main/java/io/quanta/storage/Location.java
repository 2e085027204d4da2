package io.quanta.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a model, dataset or output lives: a local path (plain or {@code file://}, which covers PVC mounts),
 * an {@code https://} URL (optionally pinned with {@code #sha256=<hex>}) or an {@code s3://bucket/key}.
 */
public sealed interface Location {

    /** The text the user wrote, normalised (used in messages). */
    String display();

    /** A path on this machine's file system (a volume mount included). */
    record Local(Path path) implements Location {
        @Override
        public String display() {
            return path.toString();
        }
    }

    /** An https URL; {@code sha256} is the pinned content digest (lower-case hex), if any. */
    record Https(URI uri, Optional<String> sha256) implements Location {
        @Override
        public String display() {
            return uri.toString();
        }
    }

    /** An object (or, for trees, a prefix) in an S3 bucket; {@code key} may be empty for the whole bucket. */
    record S3(String bucket, String key) implements Location {
        @Override
        public String display() {
            return "s3://" + bucket + "/" + key;
        }

        /** The key as a folder prefix: empty (whole bucket) or ending in '/'. */
        public String keyAsPrefix() {
            return key.isEmpty() || key.endsWith("/") ? key : key + "/";
        }
    }

    Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
    Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    // Bucket naming rules of S3 (and MinIO/Ceph): 3-63 characters, lower case letters, digits, dots, hyphens.
    Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** Parses a location; a malformed one throws a {@link StorageException} that says what is accepted. */
    static Location parse(String text) {
        if (text == null || text.isBlank()) {
            throw new StorageException("empty location: give a path, file://, https:// or s3://bucket/key");
        }
        String s = text.strip();
        var m = SCHEME.matcher(s);
        if (!m.find()) {
            try {
                return new Local(Path.of(s));
            } catch (InvalidPathException e) {
                throw new StorageException("malformed path '" + s + "': " + e.getReason());
            }
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> parseFile(s);
            case "https" -> parseHttps(s);
            case "s3" -> parseS3(s);
            case "http" ->
                throw new StorageException("plain http is not accepted for '" + s
                        + "': use https:// (models and data must not travel unauthenticated)");
            default ->
                throw new StorageException("unsupported location scheme '" + scheme + "' in '" + s
                        + "': use a path, file://, https:// or s3://bucket/key");
        };
    }

    private static Location parseFile(String s) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new StorageException("malformed file location '" + s + "': " + e.getReason());
        }
        String host = uri.getHost();
        if (host != null && !host.isEmpty() && !host.equals("localhost")) {
            throw new StorageException("malformed file location '" + s
                    + "': file:// names a path on this machine, e.g. file:///data/model.tflite (found host '" + host
                    + "')");
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            throw new StorageException("malformed file location '" + s + "': no path after file://");
        }
        return new Local(Path.of(path));
    }

    private static Location parseHttps(String s) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new StorageException("malformed URL '" + s + "': " + e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new StorageException("malformed URL '" + s + "': no host");
        }
        Optional<String> sha = Optional.empty();
        String fragment = uri.getFragment();
        if (fragment != null) {
            if (!fragment.startsWith("sha256=")
                    || !HEX_SHA256.matcher(fragment.substring(7)).matches()) {
                throw new StorageException(
                        "malformed URL '" + s + "': the only fragment accepted is #sha256=<64 hex digits>");
            }
            sha = Optional.of(fragment.substring(7).toLowerCase(Locale.ROOT));
            try {
                uri = new URI(
                        uri.getScheme(),
                        uri.getRawAuthority() == null ? null : uri.getAuthority(),
                        uri.getPath(),
                        uri.getQuery(),
                        null);
            } catch (URISyntaxException e) {
                throw new StorageException("malformed URL '" + s + "': " + e.getReason());
            }
        }
        return new Https(uri, sha);
    }

    private static Location parseS3(String s) {
        String rest = s.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new StorageException("malformed S3 location '" + s + "': expected s3://bucket/key");
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new StorageException("malformed S3 location '" + s + "': bucket '" + bucket
                    + "' is not a valid bucket name (3-63 lower-case letters, digits, '.' and '-')");
        }
        if (key.startsWith("/")) {
            throw new StorageException("malformed S3 location '" + s + "': the key starts with '/' (write s3://"
                    + bucket + "/" + key.replaceFirst("^/+", "") + ")");
        }
        return new S3(bucket, key);
    }
}
