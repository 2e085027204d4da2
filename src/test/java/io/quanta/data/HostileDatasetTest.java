package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile dataset files: each is refused with a typed one-line error before memory is committed. The memory
 * bound is checked by counting the bytes this thread allocates while the reader refuses the file.
 */
class HostileDatasetTest {
    /** What a refusal may allocate: headers, a read buffer, the message; never the declared payload. */
    private static final long BOUND = 8L << 20;

    @TempDir
    Path dir;

    @AfterEach
    void restoreLimits() {
        DataLimits.set(0, 0);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Runs the reader, expecting the typed error, and checks what it allocated meanwhile. */
    private static <T extends Throwable> String refused(Class<T> type, Executable read) {
        long before = allocated();
        T e = assertThrows(type, read);
        long used = allocated() - before;
        assertTrue(used < BOUND, "refusing took " + used + " bytes");
        String m = e.getMessage();
        assertTrue(m != null && !m.contains("\n") && !m.contains("Exception"), "not a one-line user message: " + m);
        return m;
    }

    private static byte[] npy(String header, int dataBytes) {
        String dict = header;
        int total = 10 + dict.length() + 1;
        String padded = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + padded.length() + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void npyHugeShape() throws IOException {
        Path f = write(
                "huge.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", 16));
        assertTrue(refused(NpyFormatException.class, () -> Npy.read(f)).contains("more than one array can hold"));
    }

    @Test
    void npyShapeLargerThanTheLimit() throws IOException {
        DataLimits.set(1 << 20, 0);
        Path f =
                write("big.npy", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2048, 1024), }", 2048 * 1024));
        assertTrue(refused(NpyFormatException.class, () -> Npy.read(f)).contains("allowed"));
    }

    @Test
    void npyNegativeShape() throws IOException {
        Path f = write("neg.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 4), }", 16));
        refused(NpyFormatException.class, () -> Npy.read(f));
    }

    @Test
    void npyWrongDtype() throws IOException {
        Path f = write("obj.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16));
        assertTrue(refused(NpyFormatException.class, () -> Npy.read(f)).contains("dtype"));
    }

    @Test
    void npyFortranOrder() throws IOException {
        Path f = write("f.npy", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16));
        assertTrue(refused(NpyFormatException.class, () -> Npy.read(f)).contains("Fortran"));
    }

    @Test
    void npyTruncated() throws IOException {
        byte[] full = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }", 4000);
        Path f = write("t.npy", Arrays.copyOf(full, full.length - 1));
        assertTrue(refused(NpyFormatException.class, () -> Npy.read(f)).contains("truncated"));
    }

    /** An .npz of one deflated entry of zeros: tiny on disk, large once inflated. */
    private Path zipOf(String name, byte[]... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int k = 0; k < entries.length; k++) {
                zip.putNextEntry(new ZipEntry(entries.length == 1 ? name : name.replace("#", String.valueOf(k))));
                zip.write(entries[k]);
                zip.closeEntry();
            }
        }
        return write("a.npz", out.toByteArray());
    }

    @Test
    void npzZipBomb() throws IOException {
        DataLimits.set(1 << 20, 0);
        byte[] bomb = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (33554432,), }", 32 << 20);
        Path f = zipOf("x.npy", bomb);
        assertTrue(Files.size(f) < 100_000, "the bomb should be small on disk");
        assertTrue(refused(DatasetException.class, () -> NpzFile.read(f)).contains("more than the"));
    }

    @Test
    void npzEntryEscapingWithDotDot() throws IOException {
        Path f = zipOf("../../x.npy", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", 1));
        assertTrue(refused(DatasetException.class, () -> NpzFile.read(f)).contains("not a plain array name"));
    }

    @Test
    void npzDuplicateEntries() throws IOException {
        byte[] one = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", 1);
        Path f = zipOf("x#.npy", one, one);
        // Zip writers refuse duplicate names, a hostile file need not: rename entry 1 to entry 0 in place.
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("x1.npy", "x0.npy");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(refused(DatasetException.class, () -> NpzFile.read(f)).contains("more than once"));
    }

    private static byte[] gzip(byte[] header, long zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(header);
            byte[] chunk = new byte[1 << 16];
            for (long k = 0; k < zeros; k += chunk.length) {
                gz.write(chunk, 0, (int) Math.min(chunk.length, zeros - k));
            }
        }
        return out.toByteArray();
    }

    @Test
    void idxGzipDecompressionBomb() throws IOException {
        DataLimits.set(1 << 20, 0);
        byte[] header = ByteBuffer.allocate(16)
                .putInt(0x00000803)
                .putInt(65536)
                .putInt(32)
                .putInt(32)
                .array();
        Path f = write("bomb-idx3-ubyte.gz", gzip(header, 64L << 20));
        assertTrue(Files.size(f) < 200_000, "the bomb should be small on disk");
        assertTrue(refused(DatasetException.class, () -> IdxFile.read(f)).contains("more than the"));
    }

    @Test
    void idxWrongMagic() throws IOException {
        byte[] header = ByteBuffer.allocate(12)
                .putInt(0x01020801)
                .putInt(2)
                .put(new byte[] {1, 2, 3, 4})
                .array();
        Path f = write("bad-idx1-ubyte.gz", gzip(header, 0));
        assertTrue(refused(DatasetException.class, () -> IdxFile.read(f)).contains("not an IDX file"));
    }

    @Test
    void idxShapeOverflowingLong() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * 5).putInt(0x00000805);
        for (int d = 0; d < 5; d++) {
            b.putInt(Integer.MAX_VALUE);
        }
        Path f = write("overflow-idx", b.array());
        refused(DatasetException.class, () -> IdxFile.read(f));
    }

    /** A PNG whose header declares width x height, with one tiny (wrong) IDAT chunk. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(
                b,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put(new byte[] {8, 2, 0, 0, 0})
                        .array());
        chunk(b, "IDAT", new byte[0]);
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }

    @Test
    void pngDimensionBomb() throws IOException {
        Path f = write("bomb.png", pngHeader(30000, 30000));
        String m = refused(DatasetException.class, () -> Images.decode(f));
        assertTrue(m.contains("30000 x 30000"), m);
    }

    @Test
    void truncatedJpeg() throws IOException {
        byte[] jpg = Files.readAllBytes(SharedAssets.data("images/burger.jpg"));
        Path f = write("half.jpg", Arrays.copyOf(jpg, jpg.length / 2));
        refused(DatasetException.class, () -> Images.decode(f));
    }

    @Test
    void cmykJpeg() throws IOException {
        // A four-component JPEG, as CMYK scans are; javax.imageio would convert it naively.
        java.awt.image.WritableRaster raster =
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageWriter writer =
                ImageIO.getImageWritersByFormatName("jpeg").next();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(raster, null, null), null);
        }
        Path f = write("cmyk.jpg", out.toByteArray());
        assertTrue(refused(DatasetException.class, () -> Images.decode(f)).contains("CMYK"));
    }

    @Test
    void sixteenBitGrayPngReadsAsEightBits() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 0x8000, 0xffff});
        Path f = dir.resolve("gray16.png");
        ImageIO.write(img, "png", f.toFile());
        NdArray a = Images.decode(f);
        assertArrayEquals(new int[] {1, 3, 1}, a.shape());
        assertEquals(0x80, a.bytes()[1] & 0xff);
        assertEquals(0xff, a.bytes()[2] & 0xff);
    }

    /** A sparse file of {@code size} bytes: nothing on disk, but Files.size and a reader see them all. */
    private Path sparse(String name, long size) throws IOException {
        Path f = dir.resolve(name);
        try (var ch = Files.newByteChannel(
                f, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.position(size - 1).write(ByteBuffer.wrap(new byte[] {0}));
        }
        return f;
    }

    @Test
    void idxFileLargerThanTheLimitIsRefusedBeforeReadingIt() throws IOException {
        // Uncompressed: only the gzip stream was capped, and the raw bytes were read whole first.
        DataLimits.set(1 << 20, 0);
        Path f = sparse("huge-idx3-ubyte", (64L << 20) + 1);
        assertEquals(
                f + ": an IDX file of 67108865 bytes is larger than the 1048576 bytes allowed for one dataset",
                refused(DatasetException.class, () -> IdxFile.read(f)));
    }

    @Test
    void labelsFileLargerThanTheLimitIsRefusedBeforeReadingIt() throws IOException {
        // Lines are held as strings (some 30 bytes per short line): the cap is a 32nd of the dataset cap.
        DataLimits.set(1 << 20, 0);
        Path f = write("labels.txt", "1\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                f + ": a labels file of 40000 bytes is larger than the 32768 bytes allowed for one dataset",
                refused(DatasetException.class, () -> Labels.read(f, null)));
        Path classes = sparse("classes.txt", 1L << 30);
        assertTrue(refused(DatasetException.class, () -> Labels.readClassNames(classes))
                .endsWith("bytes allowed for one dataset"));
    }

    @Test
    void labelsThatAreNotUtf8AreOneLineWithoutAJavaClassName() throws IOException {
        Path f = write("labels.txt", new byte[] {'1', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals(f + ": cannot read: not UTF-8 text", refused(DatasetException.class, () -> Labels.read(f, null)));
    }

    @Test
    void aMissingIdxFileSaysSoInWords() {
        Path f = dir.resolve("missing-idx1-ubyte");
        assertEquals(
                f + ": cannot read: no such file or folder", refused(DatasetException.class, () -> IdxFile.read(f)));
    }

    @Test
    void pngTextChunkBombIsNotInflated() throws IOException {
        // A zTXt chunk of 256 MiB of zeros deflated to ~256 KiB, before a valid 4x4 image: metadata is skipped.
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.DeflaterOutputStream(z)) {
            byte[] zeros = new byte[1 << 20];
            for (int k = 0; k < 256; k++) {
                out.write(zeros);
            }
        }
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        byte[] plain = png.toByteArray();
        byte[] text = z.toByteArray();
        // keyword "bomb", NUL, compression method 0, the deflated text
        byte[] ztxt = new byte[6 + text.length];
        System.arraycopy("bomb".getBytes(StandardCharsets.US_ASCII), 0, ztxt, 0, 4);
        System.arraycopy(text, 0, ztxt, 6, text.length);
        ByteBuffer chunk = ByteBuffer.allocate(12 + ztxt.length);
        chunk(chunk, "zTXt", ztxt);
        int afterHeader = 8 + 25; // signature, IHDR
        ByteBuffer b = ByteBuffer.allocate(plain.length + chunk.capacity());
        b.put(plain, 0, afterHeader).put(chunk.array()).put(plain, afterHeader, plain.length - afterHeader);
        Path f = write("text-bomb.png", b.array());
        long before = allocated();
        NdArray a = Images.decode(f);
        assertArrayEquals(new int[] {4, 4, 1}, a.shape());
        assertEquals(new Images.ImageInfo(4, 4, 1, "grayscale"), Images.probe(f));
        long used = allocated() - before;
        assertTrue(used < BOUND, "decoding took " + used + " bytes");
    }
}
