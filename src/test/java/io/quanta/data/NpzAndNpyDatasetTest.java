package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzAndNpyDatasetTest {
    @TempDir
    Path dir;

    private static final NdArray IMAGES =
            NdArray.ofFloats(new int[] {3, 2, 2}, new float[] {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23});
    private static final NdArray IDS =
            NdArray.ofInts(new int[] {3, 4}, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

    /** Writes an .npz with entries in the given order, stored (uncompressed) or deflated. */
    private Path npz(String name, boolean deflated, Object... nameThenArray) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream fo = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(fo)) {
            for (int k = 0; k < nameThenArray.length; k += 2) {
                byte[] bytes = Npy.toBytes((NdArray) nameThenArray[k + 1]);
                ZipEntry e = new ZipEntry(nameThenArray[k] + ".npy");
                if (!deflated) {
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(bytes.length);
                    e.setCompressedSize(bytes.length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void npzMapsArraysToInputsByName() throws IOException {
        for (boolean deflated : new boolean[] {false, true}) {
            Path file = npz("named" + deflated + ".npz", deflated, "ids", IDS, "image", IMAGES);
            Dataset ds = NpzFile.dataset(file, List.of("serving_default_image:0", "ids"));
            assertEquals(3, ds.size());
            assertEquals(2, ds.inputCount());
            List<NdArray> s = ds.sample(2);
            assertArrayEquals(new float[] {20, 21, 22, 23}, s.get(0).floats());
            assertArrayEquals(new int[] {9, 10, 11, 12}, s.get(1).ints());
        }
    }

    @Test
    void npzFallsBackToPositionalArrNames() throws IOException {
        Path file = npz("positional.npz", true, "arr_1", IDS, "arr_0", IMAGES);
        Dataset ds = NpzFile.dataset(file, List.of("a", "b"));
        assertArrayEquals(new float[] {10, 11, 12, 13}, ds.sample(1).get(0).floats());
        assertArrayEquals(new int[] {5, 6, 7, 8}, ds.sample(1).get(1).ints());
    }

    @Test
    void npzErrorsNameTheFile() throws IOException {
        Path file = npz("three.npz", false, "x", IMAGES, "y", IDS, "z", IDS);
        DatasetException e = assertThrows(DatasetException.class, () -> NpzFile.dataset(file, List.of("input")));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("[x, y, z]"), e.getMessage());

        Path notZip = Files.write(dir.resolve("garbage.npz"), new byte[] {1, 2, 3, 4, 5});
        e = assertThrows(DatasetException.class, () -> NpzFile.read(notZip));
        assertTrue(e.getMessage().startsWith(notZip.toString()), e.getMessage());

        Path mismatch = npz("mismatch.npz", true, "a", IMAGES, "b", NdArray.ofInts(new int[] {2, 1}, new int[] {1, 2}));
        e = assertThrows(DatasetException.class, () -> NpzFile.dataset(mismatch, List.of("a", "b")));
        assertTrue(
                e.getMessage().contains("has 2 samples but") && e.getMessage().contains(mismatch.toString()),
                e.getMessage());
    }

    @Test
    void npyFilesOnePerInputFirstAxisSamples() throws IOException {
        Path x = dir.resolve("x.npy");
        Path ids = dir.resolve("ids.npy");
        Npy.write(x, IMAGES);
        Npy.write(ids, IDS);
        Dataset ds = Datasets.open(List.of(x, ids), List.of("x", "ids"));
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {2, 2}, ds.sample(0).get(0).shape());
        assertArrayEquals(new int[] {1, 2, 3, 4}, ds.sample(0).get(1).ints());
    }

    @Test
    void emptyTruncatedOrUnequalNpyFilesFailNamingTheFile() throws IOException {
        Path empty = dir.resolve("empty.npy");
        Npy.write(empty, NdArray.zeros(NdArray.DType.FLOAT32, new int[] {0, 28, 28}));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.npyFiles(List.of(empty)));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("empty"), e.getMessage());

        Path good = dir.resolve("good.npy");
        Npy.write(good, IMAGES);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(bytes, bytes.length - 5));
        e = assertThrows(DatasetException.class, () -> Datasets.npyFiles(List.of(cut)));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());

        Path zero = Files.write(dir.resolve("zero.npy"), new byte[0]);
        e = assertThrows(DatasetException.class, () -> Datasets.npyFiles(List.of(zero)));
        assertTrue(e.getMessage().contains(zero.toString()), e.getMessage());

        Path other = dir.resolve("other.npy");
        Npy.write(other, NdArray.ofInts(new int[] {2, 1}, new int[] {1, 2}));
        e = assertThrows(DatasetException.class, () -> Datasets.npyFiles(List.of(good, other)));
        assertTrue(e.getMessage().contains(other.toString()) && e.getMessage().contains("2 samples"), e.getMessage());

        Path unknown = Files.write(dir.resolve("data.bin"), new byte[4]);
        e = assertThrows(DatasetException.class, () -> Datasets.open(List.of(unknown), List.of("x")));
        assertTrue(e.getMessage().contains(unknown.toString()), e.getMessage());
    }
}
