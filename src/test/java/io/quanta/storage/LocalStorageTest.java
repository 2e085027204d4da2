package io.quanta.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest {
    @TempDir
    Path dir;

    @Test
    void localFilesAreUsedInPlace() throws IOException {
        Path f = Files.writeString(dir.resolve("m.tflite"), "model");
        try (Storage s = new Storage(StorageOptions.builder().build())) {
            assertEquals(f, s.fetch(f.toString(), dir.resolve("cache")));
            assertEquals(f, s.fetch(f.toUri().toString(), dir.resolve("cache")));
            assertEquals(dir, s.fetchTree(dir.toString(), dir.resolve("cache")));
            assertEquals(dir, s.fetchFileOrTree(dir.toString(), dir.resolve("cache")));
            StorageException missing = assertThrows(
                    StorageException.class,
                    () -> s.fetch(dir.resolve("no.tflite").toString(), dir));
            assertEquals("no such file: " + dir.resolve("no.tflite"), missing.getMessage());
            StorageException pin =
                    assertThrows(StorageException.class, () -> s.fetch(f.toString(), dir, "1".repeat(64)));
            assertTrue(
                    pin.getMessage().startsWith("sha256 mismatch for " + f + ": expected " + "1".repeat(64)),
                    pin.getMessage());
        }
    }

    @Test
    void publishWritesWholeFilesAndRecordsTheirSha256() throws IOException {
        Path src = Files.writeString(dir.resolve("out.tflite"), "quantized");
        Path target = dir.resolve("results/run-1/model_int8.tflite");
        try (Storage s = new Storage(StorageOptions.builder().build())) {
            PublishedObject p = s.publish(src, "file://" + target);
            assertEquals(new PublishedObject(target.toString(), 9, Sha256.of(src)), p);
            assertEquals("quantized", Files.readString(target));
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("model_int8.tflite"), "previous good model");
        InputStream breaksMidway = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(new byte[200_000]);
            private int read;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 100_000) {
                    throw new IOException("volume unmounted");
                }
                int n = in.read(b, off, len);
                read += n;
                return n;
            }
        };
        IOException e =
                assertThrows(IOException.class, () -> LocalStore.publish(breaksMidway, new Location.Local(target)));
        assertEquals("volume unmounted", e.getMessage());
        assertEquals("previous good model", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file must be gone");
        }
    }

    @Test
    void cacheNamesCannotClimbOut() {
        StorageException e =
                assertThrows(StorageException.class, () -> CachePaths.forS3(dir, "b-1", "calib/../../etc/passwd"));
        assertTrue(e.getMessage().contains("'..'"), e.getMessage());
    }
}
