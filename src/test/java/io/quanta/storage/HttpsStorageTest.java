package io.quanta.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Storage} over https against a local TLS server whose self-signed CA the client trusts explicitly. */
class HttpsStorageTest {
    private static final byte[] MODEL = randomBytes(200_000, 7);
    private static final long HUGE = 256L << 20;

    @TempDir
    static Path certs;

    private static TlsTestServer server;
    private static final AtomicInteger flakyFailuresLeft = new AtomicInteger();
    private static final CompletableFuture<Long> chunkedWritten = new CompletableFuture<>();

    @TempDir
    Path cache;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TlsTestServer(certs);
        server.serve("/models/model.tflite", MODEL);
        server.route("/missing.tflite", ex -> TlsTestServer.respond(ex, 404, "not here".getBytes()));
        server.route("/forbidden.tflite", ex -> TlsTestServer.respond(ex, 403, new byte[0]));
        server.route("/flaky.tflite", ex -> {
            if (flakyFailuresLeft.getAndDecrement() > 0) {
                TlsTestServer.respond(ex, 503, "busy".getBytes());
            } else {
                TlsTestServer.respond(ex, 200, MODEL);
            }
        });
        server.route("/always-503.tflite", ex -> TlsTestServer.respond(ex, 503, new byte[0]));
        server.route("/huge-with-length.bin", ex -> {
            ex.sendResponseHeaders(200, HUGE); // advertised, never sent: the client must refuse on the header
        });
        server.route("/huge-chunked.bin", ex -> chunkedWritten.complete(TlsTestServer.streamChunked(ex, HUGE)));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static StorageOptions.Builder trusting(Path trustStore) {
        return StorageOptions.builder()
                .trustStore(trustStore)
                .trustStorePassword(TlsTestServer.trustStorePassword())
                .maxAttempts(3)
                .initialBackoff(Duration.ofMillis(10))
                .readTimeout(Duration.ofSeconds(20));
    }

    private static Storage storage() {
        return new Storage(trusting(server.caPem()).build());
    }

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void downloadsThroughAnExplicitlyTrustedCa() throws IOException {
        for (Path trust : new Path[] {server.caPem(), server.trustStoreP12()}) {
            try (Storage s = new Storage(trusting(trust).build())) {
                Path p = s.fetch(server.url("/models/model.tflite"), cache);
                assertArrayEquals(MODEL, Files.readAllBytes(p), "via " + trust.getFileName());
            }
        }
    }

    @Test
    void withoutTheTruststoreTheCertificateIsRefused() {
        try (Storage s = new Storage(StorageOptions.builder().maxAttempts(1).build())) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch(server.url("/models/model.tflite"), cache));
            assertTrue(
                    e.getMessage().startsWith("TLS with " + server.url("/models/model.tflite") + " failed"),
                    e.getMessage());
        }
    }

    @Test
    void aGoodPinIsAcceptedAndThenServedFromTheCache() throws Exception {
        String pinned =
                server.url("/models/model.tflite") + "#sha256=" + sha256(MODEL).toUpperCase();
        try (Storage s = storage()) {
            Path first = s.fetch(pinned, cache);
            assertArrayEquals(MODEL, Files.readAllBytes(first));
            int before = server.hits("/models/model.tflite");
            Path again = s.fetch(pinned, cache);
            assertEquals(first, again);
            assertEquals(before, server.hits("/models/model.tflite"), "a pinned file already cached needs no request");
        }
    }

    @Test
    void aBadPinIsRefusedAndNothingIsCached() throws Exception {
        String wrong = "0".repeat(64);
        try (Storage s = storage()) {
            StorageException e = assertThrows(
                    StorageException.class,
                    () -> s.fetch(server.url("/models/model.tflite") + "#sha256=" + wrong, cache));
            assertEquals(
                    "sha256 mismatch for " + server.url("/models/model.tflite") + ": expected " + wrong + ", got "
                            + sha256(MODEL) + " (the content changed, or the pinned digest is wrong)",
                    e.getMessage());
            assertEquals(0, filesIn(cache));
            // the same check through the separate option
            StorageException option = assertThrows(
                    StorageException.class, () -> s.fetch(server.url("/models/model.tflite"), cache, wrong));
            assertTrue(option.getMessage().startsWith("sha256 mismatch"), option.getMessage());
        }
    }

    @Test
    void notFoundIsNotRetried() {
        try (Storage s = storage()) {
            int before = server.hits("/missing.tflite");
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch(server.url("/missing.tflite"), cache));
            assertEquals("not found: " + server.url("/missing.tflite") + " (HTTP 404)", e.getMessage());
            assertEquals(before + 1, server.hits("/missing.tflite"));
            StorageException denied =
                    assertThrows(StorageException.class, () -> s.fetch(server.url("/forbidden.tflite"), cache));
            assertEquals("access denied to " + server.url("/forbidden.tflite") + " (HTTP 403)", denied.getMessage());
        }
    }

    @Test
    void retriesA503ThenSucceeds() throws IOException {
        flakyFailuresLeft.set(2);
        try (Storage s = storage()) {
            int before = server.hits("/flaky.tflite");
            Path p = s.fetch(server.url("/flaky.tflite"), cache);
            assertArrayEquals(MODEL, Files.readAllBytes(p));
            assertEquals(before + 3, server.hits("/flaky.tflite"), "two 503s, then the file");
        }
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        try (Storage s = storage()) {
            int before = server.hits("/always-503.tflite");
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch(server.url("/always-503.tflite"), cache));
            assertEquals(
                    "server error from " + server.url("/always-503.tflite") + " (HTTP 503) (gave up after 3 attempts)",
                    e.getMessage());
            assertEquals(before + 3, server.hits("/always-503.tflite"));
        }
    }

    @Test
    void anAdvertisedSizeOverTheCapIsRefusedBeforeTheBody() throws IOException {
        try (Storage s =
                new Storage(trusting(server.caPem()).maxDownloadBytes(1 << 20).build())) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch(server.url("/huge-with-length.bin"), cache));
            assertTrue(
                    e.getMessage().contains("size " + HUGE + " bytes")
                            && e.getMessage().contains("cap 1048576"),
                    e.getMessage());
            assertEquals(0, s.bytesDownloaded());
            assertEquals(0, filesIn(cache));
        }
    }

    @Test
    void aStreamWithoutLengthIsCutAtTheCap() throws Exception {
        int cap = 1 << 20;
        try (Storage s =
                new Storage(trusting(server.caPem()).maxDownloadBytes(cap).build())) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch(server.url("/huge-chunked.bin"), cache));
            assertTrue(e.getMessage().contains("more than " + cap + " bytes arrived"), e.getMessage());
            assertTrue(s.bytesDownloaded() <= cap + 1, "read " + s.bytesDownloaded() + " bytes past a cap of " + cap);
            assertEquals(0, filesIn(cache));
        }
        long written = chunkedWritten.get(60, TimeUnit.SECONDS);
        assertTrue(written < HUGE, "the server could send all " + HUGE + " bytes: the client kept reading");
    }

    @Test
    void httpsLocationsCannotBeListedOrWritten() throws IOException {
        Path f = Files.writeString(cache.resolve("x.txt"), "x");
        try (Storage s = storage()) {
            assertThrows(StorageException.class, () -> s.fetchTree(server.url("/models/"), cache));
            StorageException e = assertThrows(StorageException.class, () -> s.publish(f, server.url("/up/x.txt")));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
        assertFalse(Files.exists(cache.resolve("https")));
    }
}
