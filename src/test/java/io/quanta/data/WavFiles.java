package io.quanta.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** WAV bytes written by the tests: any chunk layout, so odd and hostile headers can be built too. */
final class WavFiles {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    static WavFiles riff() {
        return new WavFiles();
    }

    /** A PCM fmt chunk: format tag, channels, rate, bits (block align and byte rate derived). */
    WavFiles fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        return chunk(
                "fmt ",
                le(16).putShort((short) tag)
                        .putShort((short) channels)
                        .putInt(rate)
                        .putInt(rate * align)
                        .putShort((short) align)
                        .putShort((short) bits)
                        .array());
    }

    /** A WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format GUID starts with {@code subTag}. */
    WavFiles fmtExtensible(int subTag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        ByteBuffer b = le(40).putShort((short) 0xFFFE)
                .putShort((short) channels)
                .putInt(rate)
                .putInt(rate * align)
                .putShort((short) align)
                .putShort((short) bits)
                .putShort((short) 22)
                .putShort((short) bits)
                .putInt(channels == 1 ? 4 : 3)
                .putShort((short) subTag);
        b.put(new byte[] {
            0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
        });
        return chunk("fmt ", b.array());
    }

    /** A data chunk of int16 samples (interleaved when several channels). */
    WavFiles data(short... samples) {
        ByteBuffer b = le(samples.length * 2);
        for (short s : samples) {
            b.putShort(s);
        }
        return chunk("data", b.array());
    }

    /** A chunk with its pad byte when its size is odd. */
    WavFiles chunk(String id, byte[] payload) {
        header(id, payload.length);
        body.writeBytes(payload);
        if (payload.length % 2 == 1) {
            body.write(0);
        }
        return this;
    }

    /** A chunk header alone, declaring {@code size} bytes that may not follow. */
    WavFiles header(String id, long size) {
        body.writeBytes(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.writeBytes(le(4).putInt((int) size).array());
        return this;
    }

    byte[] bytes() {
        byte[] b = body.toByteArray();
        ByteBuffer out = le(12 + b.length);
        out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(4 + b.length)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(b);
        return out.array();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes());
    }

    /** A mono 16-bit PCM file of these samples. */
    static Path mono(Path file, int rate, short... samples) throws IOException {
        return riff().fmt(1, 1, rate, 16).data(samples).write(file);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
