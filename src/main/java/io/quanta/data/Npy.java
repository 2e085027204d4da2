package io.quanta.data;

import io.quanta.data.NdArray.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy .npy files (format versions 1.0, 2.0 and 3.0): one array, C order, of the
 * {@link DType}s. Big-endian files are converted on reading; files are always written little-endian, in the
 * oldest version that can hold the header.
 *
 * <p>Reading trusts nothing in the file: the header is bounded in length and parsed as a small literal
 * grammar (no evaluation), and no buffer is allocated before the declared size has been checked against
 * the bytes actually present.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Header dicts for the types here are well under 1 KiB; anything far larger is not a file we wrote. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    static final int MAX_RANK = 64;
    private static final int ALIGNMENT = 64;

    private Npy() {}

    /** Where the data starts and how to read it, as the header declares. */
    record Header(DType dtype, boolean bigEndian, int[] shape, long dataOffset) {}

    // ------------------------------------------------------------------ reading

    /** Reads a .npy file; every problem with its contents is an {@link NpyFormatException} naming the file. */
    public static NdArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer prelude = readFully(ch, 0, (int) Math.min(fileSize, 12));
            Header h;
            try {
                int headerLength = headerLength(prelude, fileSize);
                int preludeLength = preludeLength(prelude.get(6));
                ByteBuffer headerBytes = readFully(ch, preludeLength, headerLength);
                h = parseHeader(prelude.get(6), headerBytes, preludeLength + headerLength);
                long dataBytes = dataBytes(h, fileSize);
                if (dataBytes > DataLimits.maxBytes()) {
                    throw new NpyFormatException("shape " + Arrays.toString(h.shape()) + " needs " + dataBytes
                            + " bytes, more than the " + DataLimits.maxBytes() + " allowed for one dataset");
                }
                ByteBuffer data = readFully(ch, h.dataOffset(), (int) dataBytes);
                return decode(h, data);
            } catch (NpyFormatException e) {
                throw new NpyFormatException(file + ": " + e.getMessage());
            }
        }
    }

    /**
     * Maps a .npy file into memory instead of reading it ({@link MappedNpy}): checked as {@link #read} checks it,
     * but its data is not bound by the heap-sized {@link DataLimits}, since it never goes on the heap.
     */
    public static MappedNpy map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer prelude = readFully(ch, 0, (int) Math.min(fileSize, 12));
            try {
                int headerLength = headerLength(prelude, fileSize);
                int preludeLength = preludeLength(prelude.get(6));
                ByteBuffer headerBytes = readFully(ch, preludeLength, headerLength);
                Header h = parseHeader(prelude.get(6), headerBytes, preludeLength + headerLength);
                long dataBytes = dataBytes(h, fileSize);
                ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset(), dataBytes)
                        .order(h.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                return new MappedNpy(file.toString(), h.dtype(), h.shape(), data);
            } catch (NpyFormatException e) {
                throw new NpyFormatException(file + ": " + e.getMessage());
            }
        }
    }

    /** Reads a .npy image held in memory. */
    public static NdArray read(byte[] bytes) throws NpyFormatException {
        ByteBuffer all = ByteBuffer.wrap(bytes);
        ByteBuffer prelude =
                ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, 12)).slice();
        int headerLength = headerLength(prelude, bytes.length);
        int preludeLength = preludeLength(prelude.get(6));
        ByteBuffer headerBytes =
                ByteBuffer.wrap(bytes, preludeLength, headerLength).slice();
        Header h = parseHeader(prelude.get(6), headerBytes, preludeLength + headerLength);
        long dataBytes = dataBytes(h, bytes.length);
        return decode(
                h, ByteBuffer.wrap(bytes, (int) h.dataOffset(), (int) dataBytes).slice());
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new NpyFormatException("file ends early");
            }
        }
        return buf.flip();
    }

    private static int preludeLength(byte major) {
        return major == 1 ? 10 : 12;
    }

    /** Checks magic and version and returns the declared header length, bounded and within the file. */
    private static int headerLength(ByteBuffer prelude, long fileSize) throws NpyFormatException {
        if (fileSize == 0) {
            throw new NpyFormatException("empty file, not a NumPy .npy array");
        }
        for (int k = 0; k < MAGIC.length; k++) {
            if (k >= prelude.limit() || prelude.get(k) != MAGIC[k]) {
                throw new NpyFormatException("not a NumPy .npy file (no \\x93NUMPY magic at the start)");
            }
        }
        if (prelude.limit() < 8) {
            throw new NpyFormatException("truncated .npy header");
        }
        int major = prelude.get(6) & 0xff;
        int minor = prelude.get(7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(
                    "unsupported .npy format version " + major + "." + minor + " (expected 1.0, 2.0 or 3.0)");
        }
        int preludeLength = preludeLength((byte) major);
        if (prelude.limit() < preludeLength) {
            throw new NpyFormatException("truncated .npy header");
        }
        prelude.order(ByteOrder.LITTLE_ENDIAN);
        long length = major == 1 ? prelude.getShort(8) & 0xffff : prelude.getInt(8) & 0xffffffffL;
        if (length > MAX_HEADER_BYTES) {
            throw new NpyFormatException(
                    "header length " + length + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (preludeLength + length > fileSize) {
            throw new NpyFormatException("truncated .npy header (declares " + length + " bytes, file has "
                    + (fileSize - preludeLength) + ")");
        }
        return (int) length;
    }

    private static long dataBytes(Header h, long fileSize) throws NpyFormatException {
        long count;
        try {
            count = NdArray.elementCount(h.shape());
        } catch (ArithmeticException e) {
            throw new NpyFormatException("shape " + Arrays.toString(h.shape()) + " is too large");
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException("shape " + Arrays.toString(h.shape()) + " has a negative dimension");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException("shape " + Arrays.toString(h.shape()) + " has " + count
                    + " elements, more than one array can hold");
        }
        long needed = count * h.dtype().byteSize();
        long present = fileSize - h.dataOffset();
        if (present < needed) {
            throw new NpyFormatException("truncated data: shape " + Arrays.toString(h.shape()) + " of "
                    + h.dtype().numpyName() + " needs " + needed + " bytes, file has " + present);
        }
        if (present > needed) {
            throw new NpyFormatException(
                    (present - needed) + " unexpected bytes after the data of shape " + Arrays.toString(h.shape()));
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException("data of " + needed + " bytes is too large to read");
        }
        return needed;
    }

    static Header parseHeader(byte major, ByteBuffer headerBytes, long dataOffset) throws NpyFormatException {
        byte[] raw = new byte[headerBytes.remaining()];
        headerBytes.get(raw);
        String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(text).parseDict();
        for (String key : dict.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw new NpyFormatException("unexpected key '" + key + "' in .npy header");
            }
        }
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shape = dict.get("shape");
        if (descr == null || fortran == null || shape == null) {
            throw new NpyFormatException(".npy header lacks "
                    + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'" : "'shape'"));
        }
        if (!(descr instanceof String d)) {
            throw new NpyFormatException("structured dtypes are not supported (descr is not a plain type)");
        }
        if (!(fortran instanceof Boolean f)) {
            throw new NpyFormatException("'fortran_order' must be True or False");
        }
        if (f) {
            throw new NpyFormatException(
                    "Fortran-order arrays are not supported; save a C-order array " + "(numpy.ascontiguousarray)");
        }
        if (!(shape instanceof int[] dims)) {
            throw new NpyFormatException("'shape' must be a tuple of integers");
        }
        return describe(d, dims, dataOffset);
    }

    private static Header describe(String descr, int[] shape, long dataOffset) throws NpyFormatException {
        if (descr.length() < 2) {
            throw new NpyFormatException("unsupported dtype '" + descr + "'");
        }
        char order = descr.charAt(0);
        DType type = DType.ofCode(descr.substring(1));
        boolean known = type != null && (order == '<' || order == '>' || order == '|' || order == '=');
        if (!known || (type.byteSize() > 1 && (order == '|' || order == '='))) {
            throw new NpyFormatException("unsupported dtype '" + descr + "' (supported: float32, float64, int32, "
                    + "int64, uint8, int8, bool, little- or big-endian)");
        }
        return new Header(type, order == '>', shape, dataOffset);
    }

    private static NdArray decode(Header h, ByteBuffer data) {
        data.order(h.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int n = (int) NdArray.elementCount(h.shape());
        int[] shape = h.shape();
        return switch (h.dtype()) {
            case FLOAT32 -> {
                float[] v = new float[n];
                data.asFloatBuffer().get(v);
                yield NdArray.ofFloats(shape, v);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                data.asDoubleBuffer().get(v);
                yield NdArray.ofDoubles(shape, v);
            }
            case INT32 -> {
                int[] v = new int[n];
                data.asIntBuffer().get(v);
                yield NdArray.ofInts(shape, v);
            }
            case INT64 -> {
                long[] v = new long[n];
                data.asLongBuffer().get(v);
                yield NdArray.ofLongs(shape, v);
            }
            case UINT8, INT8, BOOL -> {
                byte[] v = new byte[n];
                data.get(v);
                yield NdArray.ofBytes(h.dtype(), shape, v);
            }
        };
    }

    // ------------------------------------------------------------------ writing

    /** Writes the array as a .npy file (replacing any file there). */
    public static void write(Path file, NdArray array) throws IOException {
        Files.write(file, toBytes(array));
    }

    /** The .npy image of an array: little-endian, C order, version 1.0 unless the header needs more room. */
    public static byte[] toBytes(NdArray array) {
        byte[] header = header(array.dtype(), array.shape());
        long dataBytes = (long) array.size() * array.dtype().byteSize();
        ByteBuffer out =
                ByteBuffer.allocate(Math.toIntExact(header.length + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        switch (array.dtype()) {
            case FLOAT32 -> out.asFloatBuffer().put(array.floats());
            case FLOAT64 -> out.asDoubleBuffer().put(array.doubles());
            case INT32 -> out.asIntBuffer().put(array.ints());
            case INT64 -> out.asLongBuffer().put(array.longs());
            case UINT8, INT8, BOOL -> out.put(array.bytes());
        }
        return out.array();
    }

    /**
     * The header (magic, version, dict, padding) of a little-endian C-order array of this type and shape: what goes
     * before its data, for writers that stream the data after it.
     */
    public static byte[] header(DType dtype, int[] shape) {
        String dict =
                "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
        byte[] dictBytes = dict.getBytes(StandardCharsets.ISO_8859_1);
        int major = dictBytes.length + 1 + 10 <= 0xffff ? 1 : 2;
        int prelude = preludeLength((byte) major);
        int headerLength = dictBytes.length + 1;
        headerLength += (ALIGNMENT - (prelude + headerLength) % ALIGNMENT) % ALIGNMENT;
        ByteBuffer out = ByteBuffer.allocate(prelude + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(dictBytes);
        for (int k = dictBytes.length; k < headerLength - 1; k++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    private static String shapeTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            sb.append(k > 0 ? ", " : "").append(shape[k]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    // ------------------------------------------------------------------ header grammar

    /**
     * The header is a Python dict literal. This parser accepts exactly the subset NumPy writes: string keys;
     * values that are strings, True/False, or tuples of non-negative integers; a list (structured dtype)
     * is recognised only to reject it with a clear message.
     */
    private static final class HeaderParser {
        private final String s;
        private int pos;

        HeaderParser(String s) {
            this.s = s;
        }

        Map<String, Object> parseDict() throws NpyFormatException {
            skipSpace();
            expect('{');
            Map<String, Object> dict = new HashMap<>();
            skipSpace();
            while (peek() != '}') {
                String key = parseString();
                skipSpace();
                expect(':');
                skipSpace();
                if (dict.put(key, parseValue()) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after the header dict");
            }
            return dict;
        }

        private Object parseValue() throws NpyFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return parseString();
            }
            if (c == '(') {
                return parseShape();
            }
            if (c == '[') {
                throw new NpyFormatException("structured dtypes are not supported (descr is a list of fields)");
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("unexpected value");
        }

        private int[] parseShape() throws NpyFormatException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            skipSpace();
            while (peek() != ')') {
                if (dims.size() >= MAX_RANK) {
                    throw error("shape has more than " + MAX_RANK + " dimensions");
                }
                dims.add(parseDim());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in shape");
                }
            }
            pos++;
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private int parseDim() throws NpyFormatException {
            int start = pos;
            long v = 0;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                v = v * 10 + (s.charAt(pos) - '0');
                if (v > Integer.MAX_VALUE) {
                    throw error("dimension too large");
                }
                pos++;
            }
            if (pos == start) {
                throw error("expected a non-negative integer dimension");
            }
            if (pos < s.length() && s.charAt(pos) == 'L') {
                pos++; // Python 2 long literal, as old NumPy wrote
            }
            return (int) v;
        }

        private String parseString() throws NpyFormatException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String v = s.substring(pos + 1, end);
            if (v.indexOf('\\') >= 0) {
                throw error("escape sequences are not supported");
            }
            pos = end + 1;
            return v;
        }

        private void skipSpace() {
            while (pos < s.length()
                    && (s.charAt(pos) == ' '
                            || s.charAt(pos) == '\n'
                            || s.charAt(pos) == '\t'
                            || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private char peek() throws NpyFormatException {
            if (pos >= s.length()) {
                throw error("header ends early");
            }
            return s.charAt(pos);
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException("malformed .npy header: " + what + " at offset " + pos);
        }
    }
}
