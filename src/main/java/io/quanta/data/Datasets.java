package io.quanta.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        if (paths.size() == 1 && lower(first).endsWith(".npz")) {
            return NpzFile.dataset(first, inputNames);
        }
        List<NdArray> arrays = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path p : paths) {
            String n = lower(p);
            if (n.endsWith(".npy")) {
                arrays.add(npy(p));
            } else if (n.endsWith(".gz") || n.endsWith(".idx") || n.contains("-ubyte")) {
                arrays.add(IdxFile.read(p));
            } else {
                throw DatasetException.of(p, "unknown dataset format (expected a folder of images, .npz, .npy or IDX .gz/-ubyte)");
            }
            sources.add(p.toString());
        }
        return new ArrayDataset(arrays, sources);
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
            throw DatasetException.of(labelFile, "labels samples by file name, but " + dataset.describe() + " is not a folder of images");
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
            throw DatasetException.of(file, "cannot read: " + e, e);
        }
    }

    /** .npy files, one per model input, as a dataset. */
    public static ArrayDataset npyFiles(List<Path> files) {
        List<NdArray> arrays = new ArrayList<>();
        for (Path p : files) {
            arrays.add(npy(p));
        }
        return new ArrayDataset(arrays, files.stream().map(Path::toString).toList());
    }

    private static String lower(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
