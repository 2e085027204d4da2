package io.quanta.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quanta.testing.Refusals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locations that try to leave where they belong: S3 keys that climb out of the cache, dataset folders whose
 * symbolic links lead elsewhere, and an S3 endpoint that stalls in the middle of a body.
 */
class StorageEscapeTest {
    @TempDir
    Path dir;

    @Test
    void cacheNamesStayInsideTheCache() {
        Path cache = dir.resolve("cache");
        for (String key :
                new String[] {"calib/../../etc/passwd", "..", "a/..", "a\\..\\..\\x", "..\\x", "a/b\\..", "a\u0000b"}) {
            StorageException e = assertThrows(StorageException.class, () -> CachePaths.forS3(cache, "b-1", key));
            assertTrue(e.getMessage().startsWith("refusing to download s3://b-1/"), e.getMessage());
            Refusals.assertOneLineUserMessage(e.getMessage());
        }
        Path root = cache.resolve("s3/b-1").toAbsolutePath();
        // Literal names, absolute-looking keys and encodings S3 does not decode all stay under the bucket folder.
        assertEquals(root.resolve("etc/passwd"), CachePaths.forS3(cache, "b-1", "//etc/passwd"));
        assertEquals(root.resolve("%2e%2e/x"), CachePaths.forS3(cache, "b-1", "%2e%2e/x"));
        assertEquals(root.resolve("a\\b"), CachePaths.forS3(cache, "b-1", "a\\b"));
        assertEquals(root.resolve("...").resolve("x"), CachePaths.forS3(cache, "b-1", ".../x"));
    }

    @Test
    void s3KeysThatClimbOutAreRefusedBeforeAnyRequest() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s3.createContext("/", ex -> {
            requests.incrementAndGet();
            try (ex) {
                ex.sendResponseHeaders(500, -1);
            }
        });
        s3.start();
        try (Storage s = new Storage(options(s3).build())) {
            String location = "s3://bucket-1/data/../../../../etc/cron.d/x";
            for (org.junit.jupiter.api.function.Executable fetch : new org.junit.jupiter.api.function.Executable[] {
                () -> s.fetch(location, dir), () -> s.fetchTree(location, dir), () -> s.fetchFileOrTree(location, dir)
            }) {
                StorageException e = assertThrows(StorageException.class, fetch);
                assertTrue(e.getMessage().contains("'..'"), e.getMessage());
            }
        } finally {
            s3.stop(0);
        }
        assertEquals(0, requests.get());
    }

    private static StorageOptions.Builder options(HttpServer s3) {
        return StorageOptions.builder()
                .s3Endpoint("http://127.0.0.1:" + s3.getAddress().getPort())
                .s3Credentials("test-access", "test-secret")
                .maxAttempts(1);
    }

    @Test
    void aStalledS3BodyTimesOut() throws Exception {
        CountDownLatch over = new CountDownLatch(1);
        HttpServer s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s3.createContext("/", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Content-Length", "100000");
                    ex.sendResponseHeaders(200, -1);
                    return;
                }
                ex.sendResponseHeaders(200, 100_000);
                ex.getResponseBody().write(new byte[1000]);
                ex.getResponseBody().flush();
                over.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s3.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        s3.start();
        try (Storage s =
                new Storage(options(s3).readTimeout(Duration.ofMillis(500)).build())) {
            // A safety net for the build, far above the timeout: without it the read would never end.
            StorageException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> assertThrows(StorageException.class, () -> s.fetch("s3://bucket-1/model.tflite", dir)));
            assertTrue(e.getMessage().startsWith("I/O error downloading s3://bucket-1/model.tflite"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
            Refusals.assertOneLineUserMessage(e.getMessage());
        } finally {
            over.countDown();
            s3.stop(0);
        }
    }

    private Path dataset() throws IOException {
        Path ds = Files.createDirectories(dir.resolve("ds/cats"));
        Files.write(ds.resolve("1.png"), new byte[] {1});
        return ds.getParent();
    }

    @Test
    void aDatasetFolderWithALinkOutIsRefused() throws IOException {
        Path ds = dataset();
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s");
        Files.createSymbolicLink(ds.resolve("cats/2.png"), secret);
        try (Storage s = new Storage(StorageOptions.builder().build())) {
            for (String location : new String[] {ds.toString(), ds + "/", "file://" + ds}) {
                StorageException e = assertThrows(StorageException.class, () -> s.fetchFileOrTree(location, dir));
                assertTrue(
                        e.getMessage()
                                .endsWith(ds.resolve("cats/2.png") + " is a symbolic link to " + secret.toRealPath()
                                        + ", outside the folder"),
                        e.getMessage());
            }
            assertThrows(StorageException.class, () -> s.fetchTree(ds.toString(), dir));
        }
    }

    @Test
    void linksToFoldersOutsideAndToNothingAreRefused() throws IOException {
        Path ds = dataset();
        Files.createSymbolicLink(ds.resolve("etc"), Path.of("/etc"));
        try (Storage s = new Storage(StorageOptions.builder().build())) {
            StorageException e = assertThrows(StorageException.class, () -> s.fetchTree(ds.toString(), dir));
            assertTrue(e.getMessage().contains("is a symbolic link to /etc, outside the folder"), e.getMessage());
            Files.delete(ds.resolve("etc"));
            Files.createSymbolicLink(ds.resolve("gone.png"), dir.resolve("nothing-here.png"));
            e = assertThrows(StorageException.class, () -> s.fetchTree(ds.toString(), dir));
            assertTrue(e.getMessage().contains("gone.png is a symbolic link to nothing"), e.getMessage());
        }
    }

    @Test
    void linksWithinTheFolderAndALinkedFolderAreFine() throws IOException {
        Path ds = dataset();
        Files.createSymbolicLink(ds.resolve("cats/again.png"), ds.resolve("cats/1.png"));
        Files.createSymbolicLink(ds.resolve("dogs"), Path.of("cats")); // relative, inside
        Path link = Files.createSymbolicLink(dir.resolve("ds-link"), ds);
        try (Storage s = new Storage(StorageOptions.builder().build())) {
            assertEquals(ds, s.fetchTree(ds.toString(), dir));
            assertEquals(link, s.fetchFileOrTree(link.toString(), dir));
        }
    }

    @Test
    void theReadTimeoutComesFromTheEnvironment() {
        assertEquals(
                Duration.ofSeconds(60),
                StorageOptions.fromEnvironment(java.util.Map.of()).build().readTimeout());
        assertEquals(
                Duration.ofMillis(2500),
                StorageOptions.fromEnvironment(java.util.Map.of(StorageOptions.READ_TIMEOUT_ENV, "2.5"))
                        .build()
                        .readTimeout());
        for (String bad : new String[] {"0", "-1", "soon", "1e9"}) {
            StorageException e = assertThrows(
                    StorageException.class,
                    () -> StorageOptions.fromEnvironment(java.util.Map.of(StorageOptions.READ_TIMEOUT_ENV, bad)));
            assertTrue(e.getMessage().startsWith("QUANTA_READ_TIMEOUT_SECONDS must be a number of seconds"), bad);
        }
    }
}
