package io.quanta.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Storage} against a real S3 server (S3Proxy) on 127.0.0.1. */
@Slow
class S3StorageTest {
    private static final String BUCKET = "quanta-test";

    @TempDir
    static Path backend;

    private static S3ProxyFixture server;

    @TempDir
    Path cache;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyFixture(backend);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static Storage storage() {
        return new Storage(server.options().build());
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void downloadsAnObjectIntoTheCache() throws IOException {
        byte[] content = randomBytes(300_000, 1);
        server.put(BUCKET, "models/a.tflite", content);
        try (Storage s = storage()) {
            Path p = s.fetch("s3://" + BUCKET + "/models/a.tflite", cache);
            assertArrayEquals(content, Files.readAllBytes(p));
            assertTrue(p.startsWith(cache), p + " should be under the cache " + cache);
            assertEquals(content.length, s.bytesDownloaded());
        }
    }

    @Test
    void aSharedModelGoesUpAndComesBackBitIdentical() throws IOException {
        Path model = SharedAssets.floatModel("tiny_vww_96_float.tflite");
        try (Storage s = storage()) {
            PublishedObject put = s.publish(model, "s3://" + BUCKET + "/shared/tiny_vww_96_float.tflite");
            assertEquals(Files.size(model), put.size());
            assertEquals(Sha256.of(model), put.sha256());
            Path back = s.fetch(put.location(), cache, put.sha256());
            assertEquals(-1, Files.mismatch(model, back), "downloaded model differs from the original");
        }
    }

    @Test
    void listsAPrefixOverSeveralPagesAndMirrorsItAsAFolder() throws IOException {
        Map<String, byte[]> inside = Map.of(
                "calib/0.npy",
                randomBytes(1000, 10),
                "calib/1.npy",
                randomBytes(1001, 11),
                "calib/2.npy",
                randomBytes(1002, 12),
                "calib/3.npy",
                randomBytes(1003, 13),
                "calib/sub/4.npy",
                randomBytes(1004, 14));
        inside.forEach((k, v) -> server.put(BUCKET, k, v));
        server.put(BUCKET, "calibration-notes.txt", randomBytes(10, 15)); // shares the text prefix, not the folder
        Path stale = cache.resolve("s3").resolve(BUCKET).resolve("calib/old.npy");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "left from an earlier run");

        try (Storage s = new Storage(server.options().listPageSize(2).build())) {
            Path dir = s.fetchTree("s3://" + BUCKET + "/calib", cache);
            Set<String> files;
            try (Stream<Path> w = Files.walk(dir)) {
                files = w.filter(Files::isRegularFile)
                        .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                        .collect(Collectors.toSet());
            }
            assertEquals(Set.of("0.npy", "1.npy", "2.npy", "3.npy", "sub/4.npy"), files);
            for (var e : inside.entrySet()) {
                assertArrayEquals(
                        e.getValue(), Files.readAllBytes(dir.resolve(e.getKey().substring("calib/".length()))));
            }
            // a key that is not an object is taken as a folder
            assertEquals(dir, s.fetchFileOrTree("s3://" + BUCKET + "/calib", cache));
        }
    }

    @Test
    void publishesSmallFilesInOnePutWithTheirSha256() throws IOException {
        Path f = work.resolve("report.json");
        Files.writeString(f, "{\"accuracy\": 0.91}");
        try (Storage s = storage()) {
            PublishedObject put = s.publish(f, "s3://" + BUCKET + "/out/report.json");
            assertEquals(new PublishedObject("s3://" + BUCKET + "/out/report.json", Files.size(f), Sha256.of(f)), put);
            var meta = server.blobs().blobMetadata(BUCKET, "out/report.json");
            assertEquals(Files.size(f), meta.getContentMetadata().getContentLength());
            assertEquals(put.sha256(), meta.getUserMetadata().get("sha256"));
        }
    }

    @Test
    void publishesLargeFilesAsMultipartUploads() throws IOException {
        byte[] content = randomBytes(11 << 20, 2); // three 5 MiB parts, the last one short
        Path f = work.resolve("big.tflite");
        Files.write(f, content);
        StorageOptions o =
                server.options().multipartThreshold(5 << 20).partSize(5 << 20).build();
        try (Storage s = new Storage(o)) {
            PublishedObject put = s.publish(f, "s3://" + BUCKET + "/out/big.tflite");
            assertEquals(content.length, put.size());
            assertEquals(Sha256.of(f), put.sha256());
            assertEquals(
                    put.sha256(),
                    server.blobs()
                            .blobMetadata(BUCKET, "out/big.tflite")
                            .getUserMetadata()
                            .get("sha256"));
            assertArrayEquals(content, Files.readAllBytes(s.fetch(put.location(), cache)));
        }
    }

    @Test
    void anInterruptedMultipartUploadLeavesNothingVisible() throws IOException {
        server.createBucket("interrupted");
        byte[] content = randomBytes(12 << 20, 3);
        InputStream failsAfterSevenMiB = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(content);
            private long read;

            @Override
            public int read() throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= (7 << 20)) {
                    throw new IOException("disk went away");
                }
                int n = in.read(b, off, (int) Math.min(len, (7 << 20) - read));
                read += n;
                return n;
            }
        };
        StorageOptions o =
                server.options().multipartThreshold(5 << 20).partSize(5 << 20).build();
        try (Storage s = new Storage(o);
                S3Store store = new S3Store(o, new java.util.concurrent.atomic.LongAdder())) {
            Location.S3 target = new Location.S3("interrupted", "out/model_int8.tflite");
            StorageException e = assertThrows(
                    StorageException.class,
                    () -> store.putMultipart(failsAfterSevenMiB, content.length, "00".repeat(32), target));
            assertTrue(e.getMessage().contains("aborted") && e.getMessage().contains("disk went away"), e.getMessage());

            // Nothing at all in the bucket: no object, and no leftover parts of the aborted upload.
            var listed = server.blobs().list("interrupted", ListContainerOptions.Builder.recursive());
            assertEquals(Set.of(), listed.stream().map(StorageMetadata::getName).collect(Collectors.toSet()));
            StorageException missing = assertThrows(StorageException.class, () -> s.fetch(target.display(), cache));
            assertTrue(
                    missing.getMessage().contains("no object with key 'out/model_int8.tflite'"), missing.getMessage());
        }
    }

    @Test
    void wrongSecretKeyIsAClearAccessDenied() {
        StorageOptions o = server.options()
                .s3Credentials(S3ProxyFixture.ACCESS_KEY, "not-the-secret")
                .build();
        server.put(BUCKET, "models/secret.tflite", new byte[10]);
        try (Storage s = new Storage(o)) {
            StorageException e = assertThrows(
                    StorageException.class, () -> s.fetch("s3://" + BUCKET + "/models/secret.tflite", cache));
            assertTrue(
                    e.getMessage().startsWith("access denied to s3://" + BUCKET + "/models/secret.tflite"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("AWS_ACCESS_KEY_ID"), e.getMessage());
        }
    }

    @Test
    void unknownAccessKeyIsAClearAccessDenied() {
        StorageOptions o = server.options()
                .s3Credentials("nobody", S3ProxyFixture.SECRET_KEY)
                .build();
        Path f = work.resolve("x.bin");
        try (Storage s = new Storage(o)) {
            Files.write(f, new byte[3]);
            StorageException e = assertThrows(StorageException.class, () -> s.publish(f, "s3://" + BUCKET + "/x.bin"));
            assertTrue(e.getMessage().startsWith("access denied to s3://" + BUCKET + "/x.bin"), e.getMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(server.blobs().blobExists(BUCKET, "x.bin"));
    }

    @Test
    void missingKeyNamesBucketAndKey() {
        try (Storage s = storage()) {
            StorageException e = assertThrows(
                    StorageException.class, () -> s.fetch("s3://" + BUCKET + "/models/nope.tflite", cache));
            assertEquals(
                    "no object with key 'models/nope.tflite' in bucket '" + BUCKET + "' (s3://" + BUCKET
                            + "/models/nope.tflite) [endpoint " + server.endpoint() + "]",
                    e.getMessage());
        }
    }

    @Test
    void missingBucketIsNamed() {
        try (Storage s = storage()) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch("s3://no-such-bucket/m.tflite", cache));
            assertTrue(e.getMessage().startsWith("bucket 'no-such-bucket' does not exist"), e.getMessage());
            StorageException tree =
                    assertThrows(StorageException.class, () -> s.fetchTree("s3://no-such-bucket/calib/", cache));
            assertTrue(tree.getMessage().startsWith("bucket 'no-such-bucket' does not exist"), tree.getMessage());
        }
    }

    @Test
    void emptyPrefixIsAnError() {
        try (Storage s = storage()) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetchTree("s3://" + BUCKET + "/nothing-here/", cache));
            assertTrue(e.getMessage().startsWith("no objects under s3://" + BUCKET + "/nothing-here/"), e.getMessage());
        }
    }

    @Test
    void objectOverTheSizeCapIsRefusedWithoutReadingIt() throws IOException {
        int size = 3 << 20;
        server.put(BUCKET, "models/huge.tflite", randomBytes(size, 4));
        try (Storage s = new Storage(server.options().maxDownloadBytes(1 << 20).build())) {
            StorageException e = assertThrows(
                    StorageException.class, () -> s.fetch("s3://" + BUCKET + "/models/huge.tflite", cache));
            assertTrue(
                    e.getMessage().contains("larger than the download size cap")
                            && e.getMessage().contains("cap 1048576"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("size " + size), e.getMessage());
            assertEquals(0, s.bytesDownloaded(), "the refusal must come before the body is read");
            try (Stream<Path> left = Files.walk(cache)) {
                assertEquals(0, left.filter(Files::isRegularFile).count(), "nothing may be left in the cache");
            }
        }
    }

    @Test
    void folderOverTheSizeCapIsRefusedFromTheListing() {
        for (int i = 0; i < 3; i++) {
            server.put(BUCKET, "bigset/" + i + ".npy", randomBytes(600_000, 20 + i));
        }
        try (Storage s = new Storage(server.options().maxDownloadBytes(1 << 20).build())) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetchTree("s3://" + BUCKET + "/bigset/", cache));
            assertTrue(e.getMessage().contains("size 1800000 bytes"), e.getMessage());
            assertEquals(0, s.bytesDownloaded());
        }
    }

    @Test
    void unreachableEndpointIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        StorageOptions o = server.options()
                .s3Endpoint("http://127.0.0.1:" + closedPort)
                .maxAttempts(1)
                .build();
        try (Storage s = new Storage(o)) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch("s3://" + BUCKET + "/m.tflite", cache));
            assertTrue(
                    e.getMessage().startsWith("cannot reach the S3 endpoint http://127.0.0.1:" + closedPort),
                    e.getMessage());
        }
    }

    @Test
    void endpointAndRegionComeFromTheStandardEnvironment() throws IOException {
        server.put(BUCKET, "env/m.bin", new byte[] {1, 2, 3});
        StorageOptions o = StorageOptions.fromEnvironment(
                        Map.of("AWS_ENDPOINT_URL_S3", server.endpoint(), "AWS_ENDPOINT_URL", "http://127.0.0.1:9"))
                .s3Credentials(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY)
                .build();
        assertEquals(server.endpoint(), o.s3Endpoint().orElseThrow().toString());
        assertEquals("us-east-1", o.effectiveRegion().orElseThrow());
        try (Storage s = new Storage(o)) {
            assertArrayEquals(
                    new byte[] {1, 2, 3}, Files.readAllBytes(s.fetch("s3://" + BUCKET + "/env/m.bin", cache)));
        }
    }

    @Test
    void credentialsAndEndpointFromAMountedSecret() throws IOException {
        server.put(BUCKET, "secret/m.bin", new byte[] {4, 5});
        Path secret = Files.createDirectories(work.resolve("secrets/minio-creds"));
        Files.writeString(secret.resolve("AWS_ACCESS_KEY_ID"), S3ProxyFixture.ACCESS_KEY + "\n");
        Files.writeString(secret.resolve("AWS_SECRET_ACCESS_KEY"), S3ProxyFixture.SECRET_KEY);
        Files.writeString(secret.resolve("AWS_ENDPOINT_URL_S3"), server.endpoint());
        StorageOptions o = StorageOptions.builder()
                .s3Endpoint("http://127.0.0.1:9")
                .secretFiles(secret)
                .build();
        try (Storage s = new Storage(o)) {
            assertArrayEquals(
                    new byte[] {4, 5}, Files.readAllBytes(s.fetch("s3://" + BUCKET + "/secret/m.bin", cache)));
        }
        Files.delete(secret.resolve("AWS_SECRET_ACCESS_KEY"));
        StorageException e = assertThrows(
                StorageException.class, () -> StorageOptions.builder().secretFiles(secret));
        assertTrue(
                e.getMessage().endsWith("has AWS_ACCESS_KEY_ID but no AWS_SECRET_ACCESS_KEY: both are needed"),
                e.getMessage());
    }

    @Test
    void aRecordedSha256ThatDisagreesWithTheContentIsRefused() {
        byte[] content = {9, 9, 9};
        server.blobs()
                .putBlob(
                        BUCKET,
                        server.blobs()
                                .blobBuilder("tampered.bin")
                                .payload(content)
                                .contentLength(3)
                                .userMetadata(Map.of("sha256", "ab".repeat(32)))
                                .build());
        try (Storage s = storage()) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch("s3://" + BUCKET + "/tampered.bin", cache));
            assertTrue(
                    e.getMessage().startsWith("sha256 mismatch for s3://" + BUCKET + "/tampered.bin"), e.getMessage());
            assertFalse(Files.exists(cache.resolve("s3").resolve(BUCKET).resolve("tampered.bin")));
        }
    }
}
