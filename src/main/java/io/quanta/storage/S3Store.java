package io.quanta.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 and S3-compatible stores through the AWS SDK v2. Downloads are capped and verified; uploads are atomic:
 * a single PutObject (S3 shows an object only once it is whole) or a multipart upload that is aborted on any
 * failure, so a partial object is never visible.
 */
final class S3Store implements AutoCloseable {
    /** User metadata key under which uploads record the content's sha256 (x-amz-meta-sha256). */
    static final String SHA256_METADATA = "sha256";

    private final StorageOptions options;
    private final LongAdder transferred;
    private S3Client client;

    S3Store(StorageOptions options, LongAdder transferred) {
        this.options = options;
        this.transferred = transferred;
    }

    synchronized S3Client client() {
        if (client == null) {
            client = buildClient();
        }
        return client;
    }

    private S3Client buildClient() {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(options.connectTimeout())
                .socketTimeout(options.readTimeout());
        options.trustStore().ifPresent(ts -> {
            TrustManager tm = TrustMaterial.trustManager(
                    ts, options.trustStorePassword().map(String::toCharArray).orElse(null));
            http.tlsTrustManagersProvider(() -> new TrustManager[] {tm});
        });
        AwsCredentialsProvider credentials = options.s3Credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        c.sessionToken() == null
                                ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                                : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        S3ClientBuilder b = S3Client.builder()
                .httpClient(http.build())
                .credentialsProvider(credentials)
                // S3-compatible stores (MinIO, Ceph, S3Proxy) do not all accept the newer default CRC trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(options.maxAttempts())
                        .build()));
        options.effectiveRegion().ifPresentOrElse(r -> b.region(Region.of(r)), () -> {
            b.region(Region.US_EAST_1);
            b.crossRegionAccessEnabled(true); // real AWS: follow the bucket's region whatever we guessed
        });
        options.s3Endpoint().ifPresent(endpoint -> {
            b.endpointOverride(endpoint);
            b.forcePathStyle(true); // S3-compatible stores rarely have wildcard DNS for virtual-host buckets
        });
        return b.build();
    }

    // ---------------------------------------------------------------- downloads

    Path fetch(Location.S3 loc, Path cacheDir, String expectedSha256) {
        requireObjectKey(loc);
        Path target = CachePaths.forS3(cacheDir, loc.bucket(), loc.key()); // a key that climbs out: no request
        HeadObjectResponse head = head(loc);
        SizeCap.checkAdvertised(loc.display(), options.maxDownloadBytes(), head.contentLength());
        download(loc, target, expectedSha256, options.maxDownloadBytes());
        return target;
    }

    /** Everything under the prefix (a folder), mirrored into the cache; files no longer listed are removed. */
    Path fetchTree(Location.S3 loc, Path cacheDir) {
        String prefix = loc.keyAsPrefix();
        Path root = prefix.isEmpty()
                ? cacheDir.resolve("s3").resolve(loc.bucket()).toAbsolutePath().normalize()
                : CachePaths.forS3(cacheDir, loc.bucket(), prefix); // a prefix that climbs out: no request
        List<S3Object> objects = list(loc.bucket(), prefix);
        if (objects.isEmpty()) {
            throw new StorageException("no objects under s3://" + loc.bucket() + "/" + prefix + " (bucket '"
                    + loc.bucket() + "', prefix '" + prefix + "')");
        }
        long total = objects.stream().mapToLong(S3Object::size).sum();
        SizeCap.checkAdvertised("s3://" + loc.bucket() + "/" + prefix, options.maxDownloadBytes(), total);
        long budget = options.maxDownloadBytes();
        Set<Path> wanted = new HashSet<>();
        for (S3Object o : objects) {
            Path target =
                    CachePaths.under(root, o.key().substring(prefix.length()), "s3://" + loc.bucket() + "/" + o.key());
            wanted.add(target);
            long before = transferred.sum();
            download(new Location.S3(loc.bucket(), o.key()), target, null, budget);
            budget -= transferred.sum() - before;
        }
        pruneStale(root, wanted);
        return root;
    }

    /** True when exactly this key exists (a HEAD); false on 404 with the bucket present. */
    boolean exists(Location.S3 loc) {
        try {
            client().headObject(r -> r.bucket(loc.bucket()).key(loc.key()));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                requireBucket(loc);
                return false;
            }
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        } catch (SdkClientException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        }
    }

    List<S3Object> list(String bucket, String prefix) {
        Location.S3 where = new Location.S3(bucket, prefix);
        try {
            List<S3Object> out = new ArrayList<>();
            client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).maxKeys(options.listPageSize()))
                    .contents()
                    .forEach(o -> {
                        if (!o.key().endsWith("/")) { // zero-byte "folder" markers made by consoles
                            out.add(o);
                        }
                    });
            return out;
        } catch (SdkException e) {
            throw S3Errors.translate(e, where, options.s3Endpoint());
        }
    }

    private HeadObjectResponse head(Location.S3 loc) {
        try {
            return client().headObject(r -> r.bucket(loc.bucket()).key(loc.key()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                requireBucket(loc); // a HEAD 404 has no body: tell a missing bucket from a missing key
            }
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        } catch (SdkClientException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        }
    }

    /**
     * A server may refuse a request (bad credentials, no permission) as soon as it has read the headers and close
     * the connection while the client is still sending the body: the client then sees only a broken write. A
     * request without a body asks the server for its real answer, so the user gets "access denied" rather than an
     * I/O error; when that request goes through, the original failure stands.
     */
    private StorageException refusedOrBroken(Location.S3 loc, SdkClientException writeFailure) {
        try {
            client().headObject(r -> r.bucket(loc.bucket()).key(loc.key()));
        } catch (S3Exception refusal) {
            if (refusal.statusCode() == 403) {
                return S3Errors.translate(refusal, loc, options.s3Endpoint());
            }
        } catch (SdkException ignored) {
            // the probe failed too: report the original failure below
        }
        return S3Errors.translate(writeFailure, loc, options.s3Endpoint());
    }

    private void requireBucket(Location.S3 loc) {
        try {
            client().headBucket(r -> r.bucket(loc.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw S3Errors.noSuchBucket(loc, options.s3Endpoint());
            }
            // other answers (403 on HEAD bucket is common with narrow policies) say nothing about the key
        } catch (SdkClientException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        }
    }

    private void download(Location.S3 loc, Path target, String expectedSha256, long cap) {
        String where = loc.display();
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = client().getObject(r -> r.bucket(loc.bucket()).key(loc.key()));
        } catch (SdkException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        }
        boolean complete = false;
        try {
            GetObjectResponse meta = body.response();
            SizeCap.checkAdvertised(where, cap, meta.contentLength());
            String recorded = meta.metadata().get(SHA256_METADATA);
            CappedInputStream in = new CappedInputStream(body, where, cap, transferred);
            AtomicFiles.write(target, out -> {
                in.transferTo(out);
                if (in.count() != meta.contentLength()) {
                    throw new IOException(
                            "connection ended after " + in.count() + " of " + meta.contentLength() + " bytes");
                }
                String actual = in.sha256();
                Sha256.check(where, expectedSha256, actual);
                if (recorded != null && !recorded.equalsIgnoreCase(actual)) {
                    throw new StorageException("sha256 mismatch for " + where + ": the object records " + recorded
                            + " (x-amz-meta-sha256) but its content hashes to " + actual);
                }
                return null;
            });
            complete = true;
        } catch (IOException e) {
            throw new StorageException(
                    "I/O error downloading " + where + " to " + target + ": " + Detail.of(e, "the connection failed"),
                    e);
        } catch (SdkException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        } finally {
            if (!complete) {
                body.abort(); // drop the connection instead of draining the rest of a refused object
            }
            try {
                body.close();
            } catch (IOException | RuntimeException ignored) {
                // the outcome is already decided
            }
        }
    }

    private static void requireObjectKey(Location.S3 loc) {
        if (loc.key().isEmpty() || loc.key().endsWith("/")) {
            throw new StorageException(loc.display() + " names a prefix (folder), not an object; "
                    + "give the full key, e.g. s3://" + loc.bucket() + "/models/model.tflite");
        }
    }

    private static void pruneStale(Path root, Set<Path> wanted) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (!wanted.contains(p)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot tidy the cache folder " + root + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- deletion

    void delete(Location.S3 loc) {
        requireObjectKey(loc);
        try {
            client().deleteObject(r -> r.bucket(loc.bucket()).key(loc.key()));
        } catch (SdkException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        }
    }

    /** Every object under the prefix, one request each (a work location holds a few dozen at most). */
    void deleteTree(Location.S3 loc) {
        String prefix = loc.keyAsPrefix();
        if (prefix.isEmpty()) {
            throw new StorageException("refusing to delete the whole bucket " + loc.bucket() + ": give a prefix");
        }
        for (S3Object o : list(loc.bucket(), prefix)) {
            delete(new Location.S3(loc.bucket(), o.key()));
        }
    }

    // ---------------------------------------------------------------- uploads

    PublishedObject publish(Path local, Location.S3 loc) {
        requireObjectKey(loc);
        try {
            long size = Files.size(local);
            if (size <= options.multipartThreshold()) {
                return putSingle(Files.readAllBytes(local), loc);
            }
            // The digest goes into the object's metadata, which a multipart upload takes at its start; the parts
            // are hashed again while they stream and must agree, so a file that changes mid-upload is refused.
            String sha = Sha256.of(local);
            try (InputStream in = Files.newInputStream(local)) {
                return putMultipart(in, size, sha, loc);
            }
        } catch (IOException e) {
            throw new StorageException(
                    "cannot read " + local + " to upload it to " + loc.display() + ": " + e.getMessage(), e);
        }
    }

    PublishedObject putSingle(byte[] content, Location.S3 loc) {
        MessageDigest d = Sha256.newDigest();
        d.update(content);
        String sha = Sha256.hex(d);
        try {
            client().putObject(
                            r -> r.bucket(loc.bucket())
                                    .key(loc.key())
                                    .contentLength((long) content.length)
                                    .metadata(Map.of(SHA256_METADATA, sha)),
                            RequestBody.fromBytes(content));
        } catch (SdkClientException e) {
            throw refusedOrBroken(loc, e);
        } catch (SdkException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        }
        return new PublishedObject(loc.display(), content.length, sha);
    }

    /**
     * Uploads {@code size} bytes from {@code source} in parts. Any failure (source error, short source, digest
     * disagreement, server error) aborts the upload, so S3 never assembles a partial object.
     */
    PublishedObject putMultipart(InputStream source, long size, String expectedSha256, Location.S3 loc) {
        String uploadId;
        try {
            uploadId = client().createMultipartUpload(r ->
                            r.bucket(loc.bucket()).key(loc.key()).metadata(Map.of(SHA256_METADATA, expectedSha256)))
                    .uploadId();
        } catch (SdkException e) {
            throw S3Errors.translate(e, loc, options.s3Endpoint());
        }
        try {
            MessageDigest digest = Sha256.newDigest();
            List<CompletedPart> parts = new ArrayList<>();
            long sent = 0;
            for (int number = 1; sent < size; number++) {
                int len = (int) Math.min(options.partSize(), size - sent);
                byte[] part = source.readNBytes(len);
                if (part.length < len) {
                    throw new IOException("the source ended after " + (sent + part.length) + " of " + size + " bytes");
                }
                digest.update(part);
                final int partNumber = number;
                String etag = client().uploadPart(
                                r -> r.bucket(loc.bucket())
                                        .key(loc.key())
                                        .uploadId(uploadId)
                                        .partNumber(partNumber)
                                        .contentLength((long) len),
                                RequestBody.fromBytes(part))
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(etag)
                        .build());
                sent += len;
            }
            String actual = Sha256.hex(digest);
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new StorageException(
                        "the content of the upload to " + loc.display() + " changed while uploading: sha256 was "
                                + expectedSha256 + " before, " + actual + " while sending");
            }
            client().completeMultipartUpload(r ->
                    r.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            return new PublishedObject(loc.display(), size, actual);
        } catch (IOException | RuntimeException | Error e) {
            abort(loc, uploadId, e);
            if (e instanceof SdkException sdk) {
                throw S3Errors.translate(sdk, loc, options.s3Endpoint());
            }
            if (e instanceof IOException io) {
                throw new StorageException(
                        "upload to " + loc.display() + " failed and was aborted (no object was written): "
                                + io.getMessage(),
                        io);
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e;
        }
    }

    private void abort(Location.S3 loc, String uploadId, Throwable cause) {
        try {
            client().abortMultipartUpload(
                            r -> r.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId));
        } catch (RuntimeException e) {
            cause.addSuppressed(e); // the parts expire by the bucket's lifecycle rules; the object never existed
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
