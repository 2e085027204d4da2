package io.quanta.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A 16-bit PCM WAV file (RIFF/WAVE): its header is read when opened, and frames are read on demand, so a
 * file's size never decides how much memory is taken. Accepted: a {@code fmt } chunk of format 1 (PCM) or
 * WAVE_FORMAT_EXTENSIBLE with the PCM sub-format, 16 bits per sample, any channel count up to
 * {@link #MAX_CHANNELS} and any sample rate; chunks other than {@code fmt } and {@code data} are skipped
 * (with their pad byte when their size is odd). Everything else (8/24/32-bit or float samples, compressed
 * formats, a data chunk running past the end of the file) fails with a one-line {@link DatasetException}.
 */
public final class WavFile {
    /** More channels than this is taken for a corrupt header: a frame read would cost channels x 2 bytes. */
    public static final int MAX_CHANNELS = 64;
    /** Chunks scanned before giving up on finding {@code fmt } and {@code data}. */
    static final int MAX_CHUNKS = 4096;
    /** The largest read buffer a sample takes. */
    static final int BLOCK_BYTES = 1 << 16;

    private static final int PCM = 1;
    private static final int EXTENSIBLE = 0xFFFE;
    /** The 14 bytes after the format code in KSDATAFORMAT_SUBTYPE_PCM (and every other standard sub-format). */
    private static final byte[] GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
    };

    /** What the header says: channels, frames per second, where the samples start and how many frames there are. */
    public record Header(int channels, int sampleRate, long dataOffset, long frames) {}

    private final Path file;
    private final Header header;

    private WavFile(Path file, Header header) {
        this.file = file;
        this.header = header;
    }

    /** Reads and checks the header of {@code file}. */
    public static WavFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new WavFile(file, readHeader(file, ch));
        } catch (EOFException e) {
            throw DatasetException.of(file, "not a complete WAV file: it ends inside its header");
        } catch (IOException e) {
            throw DatasetException.of(file, "cannot read: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public Header header() {
        return header;
    }

    /**
     * Frames [first, first + count) mixed to mono (the mean of the channels) as int16/32768 in [-1, 1), into
     * {@code out[0..count)}; frames past the end of the data read as 0. Returns how many were in the file. The
     * file is read in blocks of at most {@link #BLOCK_BYTES}, so the channel count does not scale memory.
     */
    public int readMono(long first, int count, float[] out) {
        int channels = header.channels();
        int available = (int) Math.max(0, Math.min(count, header.frames() - first));
        java.util.Arrays.fill(out, 0, count, 0f);
        if (available == 0) {
            return 0;
        }
        int blockFrames = Math.max(1, BLOCK_BYTES / (channels * 2));
        ByteBuffer buf = ByteBuffer.allocate(Math.min(available, blockFrames) * channels * 2)
                .order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int done = 0; done < available; ) {
                int n = Math.min(blockFrames, available - done);
                buf.clear().limit(n * channels * 2);
                readFully(ch, buf, header.dataOffset() + (first + done) * channels * 2);
                buf.flip();
                for (int k = 0; k < n; k++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += buf.getShort();
                    }
                    out[done + k] = channels == 1 ? sum / 32768f : (float) ((double) sum / channels / 32768.0);
                }
                done += n;
            }
        } catch (EOFException e) {
            throw DatasetException.of(file, "the file became shorter than its header says while reading it");
        } catch (IOException e) {
            throw DatasetException.of(file, "cannot read: " + e.getMessage(), e);
        }
        return available;
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer riff = read(ch, 0, 12);
        if (riff.getInt(0) != fourCc("RIFF") || riff.getInt(8) != fourCc("WAVE")) {
            throw DatasetException.of(file, "not a WAV file (no RIFF/WAVE header)");
        }
        long pos = 12;
        int[] fmt = null; // channels, sample rate
        long dataOffset = -1;
        long dataBytes = -1;
        for (int chunks = 0; fmt == null || dataOffset < 0; chunks++) {
            if (pos + 8 > size) {
                throw DatasetException.of(file, fmt == null ? "has no fmt chunk" : "has no data chunk");
            }
            if (chunks == MAX_CHUNKS) {
                throw DatasetException.of(
                        file, "has more than " + MAX_CHUNKS + " chunks before its fmt and data chunks");
            }
            ByteBuffer head = read(ch, pos, 8);
            int id = head.getInt(0);
            long length = Integer.toUnsignedLong(head.getInt(4));
            long body = pos + 8;
            if (id == fourCc("data") && dataOffset < 0) {
                if (body + length > size) {
                    throw DatasetException.of(
                            file,
                            "truncated: the data chunk declares " + length + " bytes but only " + (size - body)
                                    + " follow");
                }
                dataOffset = body;
                dataBytes = length;
            } else if (id == fourCc("fmt ") && fmt == null) {
                if (length < 16 || body + length > size) {
                    throw DatasetException.of(
                            file,
                            "bad fmt chunk: " + length + " bytes declared, " + Math.max(0, size - body)
                                    + " in the file (16 to 40 expected)");
                }
                fmt = parseFmt(file, read(ch, body, (int) Math.min(length, 40)));
            }
            pos = body + length + (length & 1); // chunks are word-aligned: an odd size is followed by a pad byte
        }
        int blockAlign = fmt[0] * 2;
        if (dataBytes % blockAlign != 0) {
            throw DatasetException.of(
                    file,
                    "the data chunk holds " + dataBytes + " bytes, not a whole number of " + blockAlign
                            + "-byte frames (" + fmt[0] + " channel(s) x 16 bits)");
        }
        if (dataBytes == 0) {
            throw DatasetException.of(file, "holds no audio (its data chunk is empty)");
        }
        return new Header(fmt[0], fmt[1], dataOffset, dataBytes / blockAlign);
    }

    /** {channels, sample rate} from a fmt chunk's first 16 (or, extensible, 40) bytes. */
    private static int[] parseFmt(Path file, ByteBuffer b) {
        int tag = Short.toUnsignedInt(b.getShort(0));
        int channels = Short.toUnsignedInt(b.getShort(2));
        long rate = Integer.toUnsignedLong(b.getInt(4));
        int blockAlign = Short.toUnsignedInt(b.getShort(12));
        int bits = Short.toUnsignedInt(b.getShort(14));
        if (tag == EXTENSIBLE) {
            if (b.limit() < 40) {
                throw DatasetException.of(
                        file, "bad fmt chunk: WAVE_FORMAT_EXTENSIBLE needs 40 bytes, found " + b.limit());
            }
            tag = Short.toUnsignedInt(b.getShort(24));
            for (int k = 0; k < GUID_TAIL.length; k++) {
                if (b.get(26 + k) != GUID_TAIL[k]) {
                    throw DatasetException.of(
                            file,
                            "WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format; Quanta reads "
                                    + "16-bit PCM WAV only");
                }
            }
        }
        if (tag != PCM) {
            throw DatasetException.of(file, "is " + formatName(tag, bits) + "; Quanta reads 16-bit PCM WAV only");
        }
        if (bits != 16) {
            throw DatasetException.of(file, "is " + bits + "-bit PCM; Quanta reads 16-bit PCM WAV only");
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw DatasetException.of(file, "declares " + channels + " channels (1 to " + MAX_CHANNELS + " expected)");
        }
        if (rate < 1 || rate > Integer.MAX_VALUE) {
            throw DatasetException.of(file, "declares a sample rate of " + rate + " Hz");
        }
        if (blockAlign != channels * 2) {
            throw DatasetException.of(
                    file,
                    "declares " + blockAlign + "-byte frames, but " + channels + " channel(s) of 16 bits take "
                            + channels * 2);
        }
        return new int[] {channels, (int) rate};
    }

    private static String formatName(int tag, int bits) {
        return switch (tag) {
            case 3 -> bits + "-bit float";
            case 2 -> "MS ADPCM";
            case 6 -> "A-law";
            case 7 -> "mu-law";
            case 0x11 -> "IMA ADPCM";
            case 0x55 -> "MP3";
            default -> "format " + tag;
        };
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, at);
        return b.flip();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new EOFException();
            }
            p += n;
        }
    }

    /** A four-character code as read little-endian from the file. */
    private static int fourCc(String s) {
        return s.charAt(0) | s.charAt(1) << 8 | s.charAt(2) << 16 | s.charAt(3) << 24;
    }
}
