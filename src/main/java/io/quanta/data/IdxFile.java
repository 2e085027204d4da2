package io.quanta.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format), plain or gzip-compressed: two zero bytes, an element-type code, the
 * number of dimensions, each dimension as a big-endian int32, then the elements big-endian, row-major.
 * Element types: 0x08 uint8, 0x09 int8, 0x0B int16 (widened to int32), 0x0C int32, 0x0D float32, 0x0E float64.
 */
public final class IdxFile {
    private IdxFile() {}

    /** The whole file as one array (first axis = items). */
    public static NdArray read(Path file) {
        return parse(file, readMaybeGzipped(file));
    }

    /** The file as a dataset of its items: an images file (rank ≥ 2) gives one sample per image. */
    public static ArrayDataset dataset(Path file) {
        return new ArrayDataset(List.of(read(file)), List.of(file.toString()));
    }

    /** All file bytes, gunzipped when the file starts with the gzip magic. */
    static byte[] readMaybeGzipped(Path file) {
        byte[] raw;
        try {
            DataLimits.checkFileSize(file, Files.size(file), DataLimits.maxBytes(), "an IDX file");
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                // Capped as it inflates: a few KiB of gzip can claim gigabytes.
                return DataLimits.readCapped(in, DataLimits.maxBytes(), file, "the gzip data");
            } catch (IOException e) {
                throw DatasetException.of(
                        file,
                        "corrupt or truncated gzip data" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
                        e);
            }
        }
        return raw;
    }

    static NdArray parse(Path file, byte[] bytes) {
        if (bytes.length < 4) {
            throw DatasetException.of(
                    file, "too short for an IDX header (" + bytes.length + " bytes, need at least 4)");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw DatasetException.of(
                    file,
                    String.format(
                            "not an IDX file: magic starts 0x%02x%02x, expected 0x0000",
                            bytes[0] & 0xff, bytes[1] & 0xff));
        }
        int typeCode = bytes[2] & 0xff;
        int rank = bytes[3] & 0xff;
        int elementBytes = switch (typeCode) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default ->
                throw DatasetException.of(
                        file,
                        String.format(
                                "unknown IDX element type 0x%02x (expected 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32 or 0x0E float64)",
                                typeCode));
        };
        if (rank == 0) {
            throw DatasetException.of(file, "IDX header declares 0 dimensions");
        }
        int headerBytes = 4 + 4 * rank;
        if (bytes.length < headerBytes) {
            throw DatasetException.of(
                    file,
                    "truncated IDX header: " + rank + " dimensions need " + headerBytes + " bytes, file has "
                            + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        in.position(4);
        int[] shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = in.getInt();
            if (shape[d] < 0) {
                throw DatasetException.of(file, "negative dimension " + shape[d] + " in IDX header");
            }
            // Saturates instead of wrapping: a wrapped count could match the file length by accident.
            count = shape[d] == 0 || count == 0
                    ? 0
                    : count > Long.MAX_VALUE / shape[d] ? Long.MAX_VALUE : count * shape[d];
        }
        long expected = count > Integer.MAX_VALUE ? Long.MAX_VALUE : headerBytes + count * elementBytes;
        if (count > Integer.MAX_VALUE || bytes.length != expected) {
            String what = bytes.length < expected ? "truncated" : "has trailing bytes";
            throw DatasetException.of(
                    file,
                    what + ": shape " + Arrays.toString(shape) + " of " + typeName(typeCode) + " needs " + expected
                            + " bytes, found " + bytes.length);
        }
        int n = (int) count;
        return switch (typeCode) {
            case 0x08 ->
                NdArray.ofBytes(NdArray.DType.UINT8, shape, Arrays.copyOfRange(bytes, headerBytes, headerBytes + n));
            case 0x09 ->
                NdArray.ofBytes(NdArray.DType.INT8, shape, Arrays.copyOfRange(bytes, headerBytes, headerBytes + n));
            case 0x0B -> {
                int[] v = new int[n]; // widened: int16 is no dataset array type
                for (int k = 0; k < n; k++) {
                    v[k] = in.getShort();
                }
                yield NdArray.ofInts(shape, v);
            }
            case 0x0C -> {
                int[] v = new int[n];
                in.asIntBuffer().get(v);
                yield NdArray.ofInts(shape, v);
            }
            case 0x0D -> {
                float[] v = new float[n];
                in.asFloatBuffer().get(v);
                yield NdArray.ofFloats(shape, v);
            }
            default -> {
                double[] v = new double[n];
                in.asDoubleBuffer().get(v);
                yield NdArray.ofDoubles(shape, v);
            }
        };
    }

    private static String typeName(int code) {
        return switch (code) {
            case 0x08 -> "uint8";
            case 0x09 -> "int8";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            default -> "float64";
        };
    }
}
