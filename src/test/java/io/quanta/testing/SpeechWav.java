package io.quanta.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared micro_speech WAV files (16 kHz mono 16-bit PCM, canonical 44-byte header), decoded here independently. */
public final class SpeechWav {
    private SpeechWav() {}

    /** data/speech_wav/{name}.wav */
    public static Path file(String name) {
        return SharedAssets.data("speech_wav/" + name + ".wav");
    }

    /** A canonical WAV's samples as int16/32768, read straight from the bytes after its 44-byte header. */
    public static float[] samples(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] v = new float[(b.length - 44) / 2];
        for (int k = 0; k < v.length; k++) {
            v[k] = (short) ((b[44 + 2 * k] & 0xFF) | b[45 + 2 * k] << 8) / 32768f;
        }
        return v;
    }
}
