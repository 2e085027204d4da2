package io.quanta.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How {@link Storage} reaches remote locations. Build with {@link #builder()} or start from the standard
 * environment with {@link #fromEnvironment(Map)}; explicit builder calls (CLI options) win over the environment.
 *
 * @param maxDownloadBytes  refuse any single fetch (one object, or a whole tree) larger than this
 * @param connectTimeout    time to open a connection
 * @param readTimeout       the longest wait for an answer's headers and the longest silence in its body (https and
 *                          S3 alike): a server that stalls mid-download fails the attempt after this long
 * @param maxAttempts       attempts per request, retrying 5xx and I/O errors (never 4xx)
 * @param initialBackoff    pause after the first failed attempt; doubles each time, up to {@code maxBackoff}
 * @param s3Endpoint        an S3-compatible endpoint (MinIO, Ceph); when set, path-style addressing is used
 * @param region            the S3 region; us-east-1 when an endpoint is set and no region is given
 * @param s3Credentials     explicit keys (tests, embedding); empty means the AWS default provider chain
 * @param trustStore        extra CA certificates (PKCS12, JKS or PEM), trusted besides the JDK's own
 * @param multipartThreshold uploads larger than this go as an S3 multipart upload
 * @param partSize          multipart part size (S3 requires at least 5 MiB for all but the last part)
 * @param listPageSize      keys per ListObjectsV2 page (1000 is the S3 maximum)
 */
public record StorageOptions(
        long maxDownloadBytes,
        Duration connectTimeout,
        Duration readTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Optional<URI> s3Endpoint,
        Optional<String> region,
        Optional<Credentials> s3Credentials,
        Optional<Path> trustStore,
        Optional<String> trustStorePassword,
        long multipartThreshold,
        long partSize,
        int listPageSize) {

    public static final long MIN_PART_SIZE = 5L << 20;

    /** Seconds of silence (no headers, or no body bytes) after which a download attempt fails. */
    public static final String READ_TIMEOUT_ENV = "QUANTA_READ_TIMEOUT_SECONDS";

    /** Keys given explicitly instead of through the provider chain; {@code sessionToken} may be null. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", secret hidden]";
        }
    }

    @Override
    public String toString() {
        return "StorageOptions[maxDownloadBytes=" + maxDownloadBytes + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", maxAttempts=" + maxAttempts + ", s3Endpoint=" + s3Endpoint
                + ", region=" + region + ", s3Credentials=" + s3Credentials + ", trustStore=" + trustStore
                + ", multipartThreshold=" + multipartThreshold + ", partSize=" + partSize + "]";
    }

    public StorageOptions {
        if (maxDownloadBytes <= 0) {
            throw new IllegalArgumentException("maxDownloadBytes must be positive, got " + maxDownloadBytes);
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least 5 MiB (an S3 rule), got " + partSize);
        }
        if (multipartThreshold < partSize) {
            throw new IllegalArgumentException(
                    "multipartThreshold (" + multipartThreshold + ") must be at least partSize (" + partSize + ")");
        }
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("listPageSize must be 1..1000, got " + listPageSize);
        }
    }

    Backoff backoff() {
        return new Backoff(maxAttempts, initialBackoff, maxBackoff);
    }

    /** The region to sign with: the explicit one, else us-east-1 when an endpoint is set, else empty (SDK chain). */
    Optional<String> effectiveRegion() {
        if (region.isPresent()) {
            return region;
        }
        return s3Endpoint.isPresent() ? Optional.of("us-east-1") : Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults plus the standard variables: {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL} (endpoint);
     * {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}; {@code QUANTA_TRUSTSTORE} and
     * {@code QUANTA_TRUSTSTORE_PASSWORD} (extra CAs); {@code QUANTA_MAX_DOWNLOAD_BYTES};
     * {@code QUANTA_READ_TIMEOUT_SECONDS} (default 60). Credentials are not read
     * here: the AWS provider chain reads {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} itself.
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        firstSet(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").ifPresent(b::s3Endpoint);
        firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION").ifPresent(b::region);
        firstSet(env, "QUANTA_TRUSTSTORE").ifPresent(p -> b.trustStore(Path.of(p)));
        firstSet(env, "QUANTA_TRUSTSTORE_PASSWORD").ifPresent(b::trustStorePassword);
        firstSet(env, "QUANTA_MAX_DOWNLOAD_BYTES").ifPresent(v -> {
            try {
                b.maxDownloadBytes(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                throw new StorageException("QUANTA_MAX_DOWNLOAD_BYTES must be a number of bytes, got '" + v + "'");
            }
        });
        firstSet(env, READ_TIMEOUT_ENV).ifPresent(v -> {
            try {
                double seconds = Double.parseDouble(v.strip());
                if (!(seconds > 0) || seconds > 86_400) {
                    throw new NumberFormatException();
                }
                b.readTimeout(Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))));
            } catch (NumberFormatException e) {
                throw new StorageException(
                        READ_TIMEOUT_ENV + " must be a number of seconds between 0 and 86400, got '" + v + "'");
            }
        });
        return b;
    }

    private static Optional<String> firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    public static final class Builder {
        private long maxDownloadBytes = 2L << 30;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private URI s3Endpoint;
        private String region;
        private Credentials s3Credentials;
        private Path trustStore;
        private String trustStorePassword;
        private long multipartThreshold = 16L << 20;
        private long partSize = 8L << 20;
        private int listPageSize = 1000;

        public Builder maxDownloadBytes(long v) {
            maxDownloadBytes = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder readTimeout(Duration v) {
            readTimeout = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        public Builder initialBackoff(Duration v) {
            initialBackoff = v;
            return this;
        }

        public Builder maxBackoff(Duration v) {
            maxBackoff = v;
            return this;
        }

        public Builder region(String v) {
            region = v;
            return this;
        }

        public Builder trustStore(Path v) {
            trustStore = v;
            return this;
        }

        public Builder trustStorePassword(String v) {
            trustStorePassword = v;
            return this;
        }

        public Builder multipartThreshold(long v) {
            multipartThreshold = v;
            return this;
        }

        public Builder partSize(long v) {
            partSize = v;
            return this;
        }

        public Builder listPageSize(int v) {
            listPageSize = v;
            return this;
        }

        public Builder s3Credentials(String accessKeyId, String secretAccessKey) {
            s3Credentials = new Credentials(accessKeyId, secretAccessKey, null);
            return this;
        }

        /**
         * Overlays settings from a mounted Secret, one file per key (how the operator mounts a location's
         * {@code secretRef}): {@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN}),
         * {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}, {@code AWS_REGION}, and {@code ca.crt} (PEM
         * certificate authorities for the endpoint). Keys that are absent leave the current setting alone.
         */
        public Builder secretFiles(Path dir) {
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new StorageException(
                        "the credentials folder " + dir + " does not exist (is the Secret mounted?)");
            }
            Map<String, String> values = new java.util.HashMap<>();
            for (String key : new String[] {
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_ENDPOINT_URL_S3",
                "AWS_ENDPOINT_URL",
                "AWS_REGION"
            }) {
                Path f = dir.resolve(key);
                if (java.nio.file.Files.isRegularFile(f)) {
                    try {
                        values.put(key, java.nio.file.Files.readString(f).strip());
                    } catch (java.io.IOException e) {
                        throw new StorageException("cannot read " + f + ": " + e.getMessage(), e);
                    }
                }
            }
            String id = values.get("AWS_ACCESS_KEY_ID");
            String secret = values.get("AWS_SECRET_ACCESS_KEY");
            if ((id == null) != (secret == null)) {
                throw new StorageException("the Secret at " + dir + " has "
                        + (id == null
                                ? "AWS_SECRET_ACCESS_KEY but no" + " AWS_ACCESS_KEY_ID"
                                : "AWS_ACCESS_KEY_ID but no AWS_SECRET_ACCESS_KEY")
                        + ": both are needed");
            }
            if (id != null) {
                s3Credentials = new Credentials(id, secret, values.get("AWS_SESSION_TOKEN"));
            }
            firstSet(values, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").ifPresent(this::s3Endpoint);
            firstSet(values, "AWS_REGION").ifPresent(this::region);
            if (java.nio.file.Files.isRegularFile(dir.resolve("ca.crt"))) {
                trustStore = dir.resolve("ca.crt");
            }
            return this;
        }

        /** An http(s) URL of an S3-compatible endpoint, e.g. {@code http://minio.storage:9000}. */
        public Builder s3Endpoint(String url) {
            URI u;
            try {
                u = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw new StorageException("malformed S3 endpoint '" + url + "': " + e.getReason());
            }
            if (u.getScheme() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new StorageException("malformed S3 endpoint '" + url
                        + "': expected http(s)://host[:port], e.g. http://minio.storage:9000");
            }
            s3Endpoint = u;
            return this;
        }

        public StorageOptions build() {
            return new StorageOptions(
                    maxDownloadBytes,
                    connectTimeout,
                    readTimeout,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    Optional.ofNullable(s3Endpoint),
                    Optional.ofNullable(region),
                    Optional.ofNullable(s3Credentials),
                    Optional.ofNullable(trustStore),
                    Optional.ofNullable(trustStorePassword),
                    multipartThreshold,
                    partSize,
                    listPageSize);
        }
    }
}
