package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    // Bytes written by numpy 2.4 (np.save / numpy.lib.format.write_array), to check compatibility both ways.
    private static final String NUMPY_F4_2x2 =
            "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2032292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000c03f000000c00000404000008040";
    private static final String NUMPY_BE_F4 =
            "934e554d5059010076007b276465736372273a20273e6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a3fc00000c000000040400000";
    private static final String NUMPY_BE_I8 =
            "934e554d5059010076007b276465736372273a20273e6938272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000000000000001fffffffffffffffe";
    private static final String NUMPY_V2_U1 =
            "934e554d50590200740000007b276465736372273a20277c7531272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028312c2032292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a01ff";
    private static final String NUMPY_V3_B1 =
            "934e554d50590300740000007b276465736372273a20277c6231272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a010001";
    private static final String NUMPY_SCALAR_I4 =
            "934e554d5059010076007b276465736372273a20273c6934272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a07000000";
    private static final String NUMPY_FORTRAN =
            "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a20547275652c20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000000000000000000000000000000000000000";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void readsFilesWrittenByNumpy() throws IOException {
        assertEquals(NdArray.ofFloats(new int[] {2, 2}, new float[] {1.5f, -2f, 3f, 4f}), Npy.read(hex(NUMPY_F4_2x2)));
        assertEquals(NdArray.ofFloats(new int[] {3}, new float[] {1.5f, -2f, 3f}), Npy.read(hex(NUMPY_BE_F4)));
        assertEquals(NdArray.ofLongs(new int[] {2}, new long[] {1, -2}), Npy.read(hex(NUMPY_BE_I8)));
        assertEquals(
                NdArray.ofBytes(DType.UINT8, new int[] {1, 2}, new byte[] {1, (byte) 255}), Npy.read(hex(NUMPY_V2_U1)));
        assertEquals(NdArray.ofBytes(DType.BOOL, new int[] {3}, new byte[] {1, 0, 1}), Npy.read(hex(NUMPY_V3_B1)));
        NdArray scalar = Npy.read(hex(NUMPY_SCALAR_I4));
        assertEquals(0, scalar.rank());
        assertArrayEquals(new int[] {7}, scalar.ints());
    }

    @Test
    void writesWhatNumpyWrites() {
        // Same header dict and data; only the padding differs (numpy 2 leaves room for the shape to grow).
        byte[] ours = Npy.toBytes(NdArray.ofFloats(new int[] {2, 2}, new float[] {1.5f, -2f, 3f, 4f}));
        String header = new String(ours, 10, ours.length - 10 - 16, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", header.strip());
        assertEquals(0, (ours.length - 16) % 64, "header is 64-byte aligned");
        byte[] theirs = hex(NUMPY_F4_2x2);
        assertArrayEquals(
                java.util.Arrays.copyOfRange(theirs, theirs.length - 16, theirs.length),
                java.util.Arrays.copyOfRange(ours, ours.length - 16, ours.length));
    }

    @Test
    void roundTripsEveryTypeThroughAFile() throws IOException {
        Random rnd = new Random(7);
        int[] shape = {3, 1, 4};
        float[] f = new float[12];
        double[] d = new double[12];
        int[] i = new int[12];
        long[] l = new long[12];
        byte[] b = new byte[12];
        for (int k = 0; k < 12; k++) {
            f[k] = (float) rnd.nextGaussian();
            d[k] = rnd.nextGaussian();
            i[k] = rnd.nextInt();
            l[k] = rnd.nextLong();
            b[k] = (byte) rnd.nextInt(256);
        }
        NdArray[] arrays = {
            NdArray.ofFloats(shape, f),
            NdArray.ofDoubles(shape, d),
            NdArray.ofInts(shape, i),
            NdArray.ofLongs(shape, l),
            NdArray.ofBytes(DType.UINT8, shape, b),
            NdArray.ofBytes(DType.INT8, shape, b.clone()),
            NdArray.ofBytes(DType.BOOL, shape, new byte[12]),
            NdArray.ofFloats(new int[0], new float[] {42f}),
            NdArray.ofInts(new int[] {0, 5}, new int[0]),
        };
        for (NdArray a : arrays) {
            Path p = dir.resolve("a.npy");
            Npy.write(p, a);
            assertEquals(a, Npy.read(p), a.toString());
        }
    }

    @Test
    void rejectsFortranOrderWithAClearMessage() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(hex(NUMPY_FORTRAN)));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void namesTheFileInErrors() throws IOException {
        Path p = dir.resolve("empty.npy");
        Files.write(p, new byte[0]);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void rejectsNonNpyAndTruncatedFiles() throws IOException {
        assertMalformed(new byte[0], "empty");
        assertMalformed("hello world, not numpy".getBytes(StandardCharsets.US_ASCII), "magic");
        assertMalformed(new byte[] {(byte) 0x93, 'N', 'U', 'M'}, "magic");
        assertMalformed(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1}, "truncated");
        byte[] good = hex(NUMPY_F4_2x2);
        assertMalformed(java.util.Arrays.copyOf(good, 40), "truncated");
        assertMalformed(java.util.Arrays.copyOf(good, good.length - 1), "truncated data");
        assertMalformed(java.util.Arrays.copyOf(good, good.length + 3), "unexpected bytes");
        byte[] badVersion = good.clone();
        badVersion[6] = 9;
        assertMalformed(badVersion, "version 9.0");
    }

    @Test
    void boundsTheHeaderLengthBeforeReadingIt() {
        // Version 2 declares its header length in 4 bytes: 2 GiB must be refused, not allocated.
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(0x7fffffff);
        assertMalformed(b.array(), "exceeds the limit");
    }

    @Test
    void refusesHugeDeclaredShapesWithoutAllocating() {
        assertMalformed(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", 0),
                "more than one array can hold");
        assertMalformed(
                npyWithHeader(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (4000000000, 4000000000, 4000000000), }", 0),
                "dimension too large");
        assertMalformed(
                npyWithHeader(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000, 2000000000, 2000000000), }", 0),
                "too large");
        assertMalformed(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", 0),
                "dimension too large");
        assertMalformed(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (10000, 1000), }", 16),
                "truncated data");
    }

    @Test
    void rejectsMalformedHeaders() {
        assertMalformed(npyWithHeader("{'descr': '<f4', 'fortran_order': False}", 0), "lacks 'shape'");
        assertMalformed(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 0), "non-negative");
        assertMalformed(
                npyWithHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 8),
                "unsupported dtype '<c8'");
        assertMalformed(
                npyWithHeader("{'descr': '|f4', 'fortran_order': False, 'shape': (1,), }", 4), "unsupported dtype");
        assertMalformed(
                npyWithHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4), "structured");
        assertMalformed(npyWithHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", 4), "unexpected value");
        assertMalformed(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 'y'}", 4),
                "unexpected key");
        assertMalformed(
                npyWithHeader("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", 4),
                "duplicate");
        assertMalformed(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} junk", 4), "after the header");
        assertMalformed(npyWithHeader("{'descr': '<f4", 4), "unterminated");
        assertMalformed(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1,".repeat(65) + ")}", 4),
                "more than 64 dimensions");
    }

    @Test
    void acceptsBigEndianAndPython2Spellings() throws NpyFormatException {
        ByteBuffer data =
                ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(1).putInt(-5);
        NdArray a = Npy.read(
                concat(npyWithHeader("{\"descr\":\">i4\",\"fortran_order\":False,\"shape\":(2L,)}", 0), data.array()));
        assertArrayEquals(new int[] {1, -5}, a.ints());
    }

    private static void assertMalformed(byte[] bytes, String expectedFragment) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(bytes));
        assertTrue(
                e.getMessage().contains(expectedFragment),
                "'" + e.getMessage() + "' should mention '" + expectedFragment + "'");
    }

    /** A version 1.0 file with this header text, followed by {@code dataBytes} zero bytes. */
    private static byte[] npyWithHeader(String dict, int dataBytes) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
                .putShort((short) h.length)
                .put(h);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
