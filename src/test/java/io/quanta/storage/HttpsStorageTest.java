package io.quanta.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.Refusals;
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
        server.route("/hop/", ex -> redirect(ex, "/models/model.tflite")); // relative, to https
        server.route("/loop/", ex -> redirect(ex, ex.getRequestURI().getPath()));
        plain = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        plain.createContext("/", ex -> {
            plainHits.incrementAndGet();
            try (ex) {
                TlsTestServer.respond(ex, 200, MODEL);
            }
        });
        plain.start();
        server.route(
                "/down-to-http/",
                ex -> redirect(ex, "http://127.0.0.1:" + plain.getAddress().getPort() + "/models/model.tflite"));
        server.route("/stall.bin", ex -> {
            // Headers and the first bytes, then silence until the test is over.
            ex.sendResponseHeaders(200, MODEL.length);
            ex.getResponseBody().write(MODEL, 0, 1000);
            ex.getResponseBody().flush();
            try {
                testsOver.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.route("/escape/", ex -> TlsTestServer.respond(ex, 200, MODEL));
    }

    private static com.sun.net.httpserver.HttpServer plain;
    private static final AtomicInteger plainHits = new AtomicInteger();
    private static final java.util.concurrent.CountDownLatch testsOver = new java.util.concurrent.CountDownLatch(1);

    private static void redirect(com.sun.net.httpserver.HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        TlsTestServer.respond(ex, 302, new byte[0]);
    }

    @AfterAll
    static void stopServer() {
        testsOver.countDown();
        plain.stop(0);
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

    @Test
    void redirectsAreFollowedWithinHttps() throws IOException {
        try (Storage s = storage()) {
            Path p = s.fetch(server.url("/hop/model.tflite"), cache);
            assertArrayEquals(MODEL, Files.readAllBytes(p));
            // Cached under the name asked for, not the one redirected to.
            assertTrue(p.endsWith(Path.of("hop", "model.tflite")), p.toString());
        }
    }

    @Test
    void aRedirectDownToHttpIsRefusedWithoutContactingIt() {
        try (Storage s = storage()) {
            StorageException e = assertThrows(
                    StorageException.class, () -> s.fetch(server.url("/down-to-http/model.tflite"), cache));
            assertTrue(e.getMessage().endsWith(": downloads never leave https://"), e.getMessage());
            Refusals.assertOneLineUserMessage(e.getMessage());
        }
        assertEquals(0, plainHits.get());
    }

    @Test
    void redirectsAreCapped() {
        try (Storage s = storage()) {
            StorageException e =
                    assertThrows(StorageException.class, () -> s.fetch(server.url("/loop/model.tflite"), cache));
            assertTrue(
                    e.getMessage()
                            .contains("too many redirects from " + server.url("/loop/model.tflite") + " (more than "
                                    + HttpsStore.MAX_REDIRECTS + ")"),
                    e.getMessage());
        }
        assertEquals(1 + HttpsStore.MAX_REDIRECTS, server.hits("/loop/"));
    }

    @Test
    void aStalledBodyTimesOut() {
        StorageOptions options = trusting(server.caPem())
                .readTimeout(Duration.ofMillis(500))
                .maxAttempts(2)
                .build();
        // A safety net for the build, far above the timeout: without the idle timeout the read would never end.
        StorageException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Storage s = new Storage(options)) {
                return assertThrows(StorageException.class, () -> s.fetch(server.url("/stall.bin"), cache));
            }
        });
        assertTrue(
                e.getMessage().contains("the server sent nothing for 500 ms in the middle of the body")
                        && e.getMessage().endsWith("(gave up after 2 attempts)"),
                e.getMessage());
        Refusals.assertOneLineUserMessage(e.getMessage());
        assertEquals(2, server.hits("/stall.bin"));
    }

    @Test
    void encodedDotDotInAUrlCannotLeaveTheCache() throws IOException {
        try (Storage s = storage()) {
            for (String path : new String[] {
                "/escape/%2e%2e/%2e%2e/%2e%2e/outside.bin",
                "/escape/%2E%2E%2F%2E%2E%2Foutside.bin",
                "/escape/..%5C..%5Coutside.bin",
                "/escape/a%00b.bin"
            }) {
                StorageException e = assertThrows(StorageException.class, () -> s.fetch(server.url(path), cache));
                assertTrue(e.getMessage().startsWith("refusing to download " + server.url("/escape/")), e.getMessage());
            }
            // Doubled slashes only make empty parts: the file lands under the cache.
            Path p = s.fetch(server.url("/escape//etc/passwd"), cache);
            assertTrue(p.startsWith(cache.toAbsolutePath()), p.toString());
        }
        assertEquals(1, server.hits("/escape/"));
        assertFalse(Files.exists(cache.getParent().resolve("outside.bin")));
    }
}
