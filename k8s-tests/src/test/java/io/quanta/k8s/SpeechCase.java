package io.quanta.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts issue 9's hard case where an engine pod reads it: the speech front-end model (built by the main module's
 * io.quanta.testing.SpeechFrontEnd and committed here as a resource; SpeechFrontEndFixtureTest keeps it current) and
 * its data, 2048-sample windows (hop 512) of the shared yes/no/silence/noise recordings as one float32 .npy of shape
 * [N, 1, 32, 64], framed exactly as SpeechFrontEnd frames them.
 */
final class SpeechCase {
    static final String MODEL = "speech_front_end.tflite";
    static final String WINDOWS = "speech_windows.npy";
    static final String[] WAVS = {"yes_1000ms.wav", "no_1000ms.wav", "silence_1000ms.wav", "noise_1000ms.wav"};
    static final int WINDOW = 32 * 64;
    static final int HOP = 512;

    private SpeechCase() {}

    static void write(Path dir) throws IOException {
        Path model = dir.resolve(MODEL);
        try (InputStream in = SpeechCase.class.getResourceAsStream("/" + MODEL)) {
            if (in == null) {
                throw new IOException("test resource " + MODEL + " missing");
            }
            Files.copy(in, model, StandardCopyOption.REPLACE_EXISTING);
        }
        List<float[]> windows = new ArrayList<>();
        for (String wav : WAVS) {
            float[] pcm = pcm(Cluster.shared().resolve("data/speech_wav").resolve(wav));
            for (int start = 0; start + WINDOW <= pcm.length; start += HOP) {
                windows.add(java.util.Arrays.copyOfRange(pcm, start, start + WINDOW));
            }
        }
        Path npy = dir.resolve(WINDOWS);
        Files.write(npy, npy(windows));
        for (Path p : List.of(model, npy)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** A float32 little-endian .npy (format 1.0) of shape [windows, 1, 32, 64]. */
    static byte[] npy(List<float[]> windows) {
        byte[] header = NpyFiles.float32Header(windows.size(), 1, 32, 64);
        ByteBuffer b =
                ByteBuffer.allocate(header.length + windows.size() * WINDOW * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (float[] w : windows) {
            for (float v : w) b.putFloat(v);
        }
        return b.array();
    }

    /** The 16-bit PCM samples of a mono WAV file as int16/32768: just enough RIFF to find the data chunk. */
    static float[] pcm(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x61746164) { // "data"
                int n = Math.min(size, b.limit() - pos - 8) / 2;
                float[] out = new float[n];
                for (int k = 0; k < n; k++) out[k] = b.getShort(pos + 8 + 2 * k) / 32768f;
                return out;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }
}
