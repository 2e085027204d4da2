package io.quanta.data;

/**
 * How dataset files become samples, before {@link Preprocessing} fits them to the model.
 *
 * @param format        the reader, or AUTO to pick it by the paths
 * @param classFolders  the dataset folder holds one folder per class, as torchvision's ImageFolder: classes are
 *                      the sorted subfolder names (or a given class list), a sample's label is its class's
 *                      position, and the samples are the files anywhere under each class folder
 * @param wavHop        WAV: 0 takes one sample per file, zero-padded or truncated to the model's input length;
 *                      N &gt; 0 cuts each file into windows of the input length starting every N samples
 * @param wavSampleRate WAV: 0 keeps the files' own rate (which must then be the same for all of them); R &gt; 0
 *                      resamples every file to R Hz first (linear interpolation)
 */
public record DatasetReading(DatasetFormat format, boolean classFolders, int wavHop, int wavSampleRate) {
    /** Format by path, files directly in the folder, one sample per WAV file at its own rate. */
    public static final DatasetReading AUTO = new DatasetReading(DatasetFormat.AUTO, false, 0, 0);

    public DatasetReading {
        format = format == null ? DatasetFormat.AUTO : format;
        if (wavHop < 0) {
            throw new IllegalArgumentException(
                    "the WAV hop must be 0 (one sample per file) or positive, got " + wavHop);
        }
        if (wavSampleRate < 0) {
            throw new IllegalArgumentException(
                    "the WAV sample rate must be 0 (as stored) or positive, got " + wavSampleRate);
        }
    }

    public DatasetReading withFormat(DatasetFormat f) {
        return new DatasetReading(f, classFolders, wavHop, wavSampleRate);
    }

    public DatasetReading withClassFolders(boolean on) {
        return new DatasetReading(format, on, wavHop, wavSampleRate);
    }

    public DatasetReading withWav(int hop, int sampleRate) {
        return new DatasetReading(format, classFolders, hop, sampleRate);
    }
}
