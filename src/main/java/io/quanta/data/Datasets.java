package io.quanta.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Opens a dataset from files, choosing the reader by what the paths are. */
public final class Datasets {
    private Datasets() {}

    /**
     * Opens {@code paths} as a dataset for a model with these input names:
     * <ul>
     *   <li>a folder or a single image file (png, jpg, bmp, gif): images, one input;</li>
     *   <li>one .npz file: its arrays, matched to inputs by name or order;</li>
     *   <li>.npy files, one per input, in input order: first axis = samples;</li>
     *   <li>IDX files (.gz, .idx, *-ubyte), one per input: first axis = items.</li>
     * </ul>
     */
    public static Dataset open(List<Path> paths, List<String> inputNames) {
        if (paths.isEmpty()) {
            throw new DatasetException("no dataset given");
        }
        Path first = paths.get(0);
        if (paths.size() == 1 && (Files.isDirectory(first) || ImageFolderDataset.isImage(first))) {
            return new ImageFolderDataset(first);
        }
        return arrays(paths, inputNames);
    }

    /**
     * Opens {@code paths} as {@code reading} says, for a model with these inputs. The format, when AUTO, is
     * WAV for .wav files or a folder (tree, with class folders) holding .wav files and no images; NPY for
     * .npy, .npz and IDX files; IMAGES for a folder or an image file. With class folders the one path is a
     * folder of class folders ({@link ClassFolders}) and the samples carry its labels; {@code classNames}, when
     * given, fixes the class order (line i = class i), else the sorted folder names do.
     */
    public static Dataset open(
            List<Path> paths, List<InputSpec> inputs, DatasetReading reading, List<String> classNames) {
        if (paths.isEmpty()) {
            throw new DatasetException("no dataset given");
        }
        DatasetFormat format =
                reading.format() == DatasetFormat.AUTO ? detect(paths, reading.classFolders()) : reading.format();
        List<String> names = inputs.stream().map(InputSpec::name).toList();
        return switch (format) {
            case WAV -> wav(paths, inputs, reading, classNames);
            case IMAGES -> {
                if (paths.size() != 1) {
                    throw new DatasetException(String.join(
                                    ", ", paths.stream().map(Path::toString).toList())
                            + ": images come from one folder (or one image file), not " + paths.size() + " paths");
                }
                if (!reading.classFolders()) {
                    yield new ImageFolderDataset(paths.get(0));
                }
                ClassFolders tree = ClassFolders.scan(paths.get(0), classNames, ImageFolderDataset::isImage, "images");
                yield new ImageFolderDataset(paths.get(0), tree.files()).withLabels(tree.asLabels());
            }
            case NPY -> {
                if (reading.classFolders()) {
                    throw DatasetException.of(paths.get(0), "class folders hold images or WAV files, not arrays");
                }
                yield arrays(paths, names);
            }
            case AUTO -> throw new IllegalStateException("detect() decides AUTO");
        };
    }

    /** The format AUTO stands for, by what the paths are. */
    static DatasetFormat detect(List<Path> paths, boolean classFolders) {
        if (paths.stream().anyMatch(Datasets::isWav)) {
            return DatasetFormat.WAV;
        }
        Path first = paths.get(0);
        if (paths.size() == 1 && Files.isDirectory(first)) {
            List<Path> files = classFolders ? walk(first) : list(first);
            boolean wav = files.stream().anyMatch(Datasets::isWav);
            return wav && files.stream().noneMatch(ImageFolderDataset::isImage)
                    ? DatasetFormat.WAV
                    : DatasetFormat.IMAGES;
        }
        if (paths.size() == 1 && ImageFolderDataset.isImage(first)) {
            return DatasetFormat.IMAGES;
        }
        return DatasetFormat.NPY;
    }

    /** WAV files (a folder of them, a folder of class folders, or the files) for a model with one input. */
    private static Dataset wav(
            List<Path> paths, List<InputSpec> inputs, DatasetReading reading, List<String> classNames) {
        String what = String.join(", ", paths.stream().map(Path::toString).toList());
        if (inputs.size() != 1) {
            throw new DatasetException(what + ": WAV samples feed a model with one input, but this model has "
                    + inputs.size() + ": " + inputs);
        }
        Path first = paths.get(0);
        List<Path> files;
        int[] labels = null;
        if (paths.size() == 1 && Files.isDirectory(first)) {
            if (reading.classFolders()) {
                ClassFolders tree = ClassFolders.scan(first, classNames, Datasets::isWav, ".wav files");
                files = tree.files();
                labels = tree.labels();
            } else {
                files = list(first).stream().filter(Datasets::isWav).toList();
            }
        } else {
            if (reading.classFolders()) {
                throw DatasetException.of(first, "class folders need one folder of class folders, not files");
            }
            for (Path p : paths) {
                if (!Files.isRegularFile(p)) {
                    throw DatasetException.of(p, "no such WAV file");
                }
            }
            files = paths;
        }
        return new WavDataset(what, files, labels, inputs.get(0), reading.wavHop(), reading.wavSampleRate());
    }

    /** .npz, or .npy / IDX files one per input. */
    private static Dataset arrays(List<Path> paths, List<String> inputNames) {
        Path first = paths.get(0);
        if (paths.size() == 1 && lower(first).endsWith(".npz")) {
            return NpzFile.dataset(first, inputNames);
        }
        List<Object> arrays = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path p : paths) {
            String n = lower(p);
            if (n.endsWith(".npy")) {
                arrays.add(mappedNpy(p));
            } else if (n.endsWith(".gz") || n.endsWith(".idx") || n.contains("-ubyte")) {
                arrays.add(IdxFile.read(p));
            } else {
                throw DatasetException.of(
                        p,
                        "unknown dataset format (expected a folder of images or .wav files, .npz, "
                                + ".npy, IDX .gz/-ubyte or .wav)");
            }
            sources.add(p.toString());
        }
        return ArrayDataset.of(arrays, sources);
    }

    private static boolean isWav(Path p) {
        return lower(p).endsWith(".wav");
    }

    /** The regular files directly in a folder, sorted. */
    private static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw DatasetException.of(folder, "cannot list folder: " + e.getMessage(), e);
        }
    }

    /** The regular files anywhere under a folder, sorted. */
    private static List<Path> walk(Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw DatasetException.of(folder, "cannot list folder: " + e.getMessage(), e);
        }
    }

    /**
     * The dataset with labels read from {@code labelFile} (IDX, CSV or text; class names translated through
     * {@code classNames} when given): by file name for an image folder whose labels name files, else in order.
     */
    public static Dataset withLabels(Dataset dataset, Path labelFile, List<String> classNames) {
        Labels labels = Labels.read(labelFile, classNames);
        if (dataset instanceof ImageFolderDataset images) {
            return images.withLabelsByName(labels);
        }
        if (labels.byName()) {
            throw DatasetException.of(
                    labelFile, "labels samples by file name, but " + dataset.describe() + " is not a folder of images");
        }
        return dataset.withLabels(labels);
    }

    /** One .npy file as an array (first axis = samples). */
    public static NdArray npy(Path file) {
        try {
            return Npy.read(file);
        } catch (NpyFormatException e) {
            throw new DatasetException(e.getMessage(), e); // already names the file
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
    }

    /** One .npy file mapped, not read: samples are copied out as they are used. */
    public static MappedNpy mappedNpy(Path file) {
        try {
            return Npy.map(file);
        } catch (NpyFormatException e) {
            throw new DatasetException(e.getMessage(), e); // already names the file
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
    }

    /** .npy files, one per model input, as a dataset (mapped). */
    public static ArrayDataset npyFiles(List<Path> files) {
        List<Object> arrays = new ArrayList<>();
        for (Path p : files) {
            arrays.add(mappedNpy(p));
        }
        return ArrayDataset.of(arrays, files.stream().map(Path::toString).toList());
    }

    private static String lower(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
