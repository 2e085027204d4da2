package io.quanta.data;

import io.quanta.graph.Shapes;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * 16-bit PCM WAV files as samples for a model with one input of L = (element count) values: each file, mixed
 * to mono and optionally resampled, gives one sample (zero-padded or truncated to L) or, with a hop, one
 * window of L every hop samples (see {@link WavWindows}). Values are int16/32768 in [-1, 1) as float32,
 * shaped as the model input. Only the headers are read when the dataset is opened; a sample reads just the
 * frames it covers.
 */
public final class WavDataset implements Dataset {
    private final String description;
    private final WavFile[] files;
    private final int[] fileLabels;
    private final int[] shape;
    private final int length;
    private final int hop;
    private final int targetRate;
    private final long[] lengths;
    /** first[f] = index of file f's first sample; first[files.length] = size. */
    private final long[] first;

    /**
     * @param description names the files, for messages
     * @param paths       the WAV files, in sample order
     * @param fileLabels  one label per file, or null
     * @param input       the model input the samples feed
     * @param hop         0 for one sample per file, else the window step (in samples at the target rate)
     * @param sampleRate  0 keeps the files' rate (all must share it), else the rate to resample to
     */
    public WavDataset(
            String description, List<Path> paths, int[] fileLabels, InputSpec input, int hop, int sampleRate) {
        if (paths.isEmpty()) {
            throw new DatasetException(description + ": holds no .wav files");
        }
        long l = Shapes.size(input.shape());
        if (l < 1 || l > Integer.MAX_VALUE) {
            throw new DatasetException(description + ": model input " + input + " cannot take audio windows");
        }
        this.description = description;
        this.shape = input.shape();
        this.length = (int) l;
        this.hop = hop;
        this.fileLabels = fileLabels == null ? null : fileLabels.clone();
        this.files = new WavFile[paths.size()];
        for (int f = 0; f < files.length; f++) {
            files[f] = WavFile.open(paths.get(f));
        }
        this.targetRate = sampleRate > 0 ? sampleRate : commonRate(files);
        this.lengths = new long[files.length];
        this.first = new long[files.length + 1];
        for (int f = 0; f < files.length; f++) {
            int from = files[f].header().sampleRate();
            if ((long) from > (long) targetRate * WavWindows.MAX_RATIO
                    || (long) targetRate > (long) from * WavWindows.MAX_RATIO) {
                throw DatasetException.of(
                        files[f].file(),
                        "cannot resample " + from + " Hz to " + targetRate + " Hz (more than " + WavWindows.MAX_RATIO
                                + "x apart)");
            }
            lengths[f] = WavWindows.resampledLength(files[f].header().frames(), from, targetRate);
            first[f + 1] = first[f] + WavWindows.windowCount(lengths[f], length, hop);
            if (first[f + 1] > Integer.MAX_VALUE) {
                throw new DatasetException(
                        description + ": gives more than " + Integer.MAX_VALUE + " samples with hop " + hop);
            }
        }
    }

    private static int commonRate(WavFile[] files) {
        int rate = files[0].header().sampleRate();
        for (WavFile f : files) {
            if (f.header().sampleRate() != rate) {
                throw DatasetException.of(
                        f.file(),
                        String.format(
                                Locale.ROOT,
                                "is %d Hz but %s is %d Hz; give a sample " + "rate to resample them to",
                                f.header().sampleRate(),
                                files[0].file().getFileName(),
                                rate));
            }
        }
        return rate;
    }

    /** The sample rate of the samples (the files' own, or the one resampled to). */
    public int sampleRate() {
        return targetRate;
    }

    @Override
    public int size() {
        return (int) first[files.length];
    }

    @Override
    public int inputCount() {
        return 1;
    }

    @Override
    public boolean hasLabels() {
        return fileLabels != null;
    }

    @Override
    public int label(int index) {
        if (fileLabels == null) {
            return Dataset.super.label(index);
        }
        return fileLabels[fileOf(index)];
    }

    @Override
    public List<NdArray> sample(int index) {
        int f = fileOf(index);
        WavFile file = files[f];
        long start = (index - first[f]) * (long) hop;
        int from = file.header().sampleRate();
        float[] out = new float[length];
        if (from == targetRate) {
            file.readMono(start, (int) Math.min(length, lengths[f] - start), out); // the rest stays 0: padding
        } else {
            long srcFirst = WavWindows.firstSourceFrame(start, from, targetRate);
            float[] src = new float[WavWindows.sourceSpan(start, length, from, targetRate)];
            int valid = file.readMono(srcFirst, src.length, src);
            WavWindows.resample(src, valid, srcFirst, start, length, lengths[f], from, targetRate, out);
        }
        return List.of(NdArray.ofFloats(shape, out));
    }

    @Override
    public String sourceOf(int index) {
        int f = fileOf(index);
        return files[f].file() + (first[f + 1] - first[f] > 1 ? " window " + (index - first[f]) : "");
    }

    @Override
    public String reading() {
        int[] rates = new int[files.length];
        int[] channels = new int[files.length];
        long[] frames = new long[files.length];
        for (int f = 0; f < files.length; f++) {
            rates[f] = files[f].header().sampleRate();
            channels[f] = files[f].header().channels();
            frames[f] = files[f].header().frames();
        }
        return WavWindows.describe(rates, channels, frames, targetRate, length, hop);
    }

    @Override
    public String describe() {
        return description;
    }

    private int fileOf(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("sample " + index + " of " + size());
        }
        int f = Arrays.binarySearch(first, index); // strictly increasing: every file gives at least one sample
        return f >= 0 ? f : -f - 2;
    }
}
