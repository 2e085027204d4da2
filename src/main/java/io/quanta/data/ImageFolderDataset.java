package io.quanta.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The images of a folder (png, jpg/jpeg, bmp, gif), sorted by file name, each decoded on demand into a
 * uint8 [H, W, C] array at its own size (see {@link Images#decode}); {@link ModelInputAdapter} resizes and
 * converts them for the model. A single image file is a dataset of one.
 */
public final class ImageFolderDataset implements Dataset {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path folder;
    private final List<Path> files;

    public ImageFolderDataset(Path folderOrFile) {
        this.folder = folderOrFile;
        if (Files.isRegularFile(folderOrFile)) {
            this.files = List.of(folderOrFile);
            return;
        }
        if (!Files.isDirectory(folderOrFile)) {
            throw DatasetException.of(folderOrFile, "no such image folder or file");
        }
        try (Stream<Path> s = Files.list(folderOrFile)) {
            this.files = s.filter(Files::isRegularFile)
                    .filter(ImageFolderDataset::isImage)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw DatasetException.of(folderOrFile, "cannot list folder: " + e, e);
        }
        if (files.isEmpty()) {
            throw DatasetException.of(
                    folderOrFile, "holds no images (expected files ending in " + String.join(", ", EXTENSIONS) + ")");
        }
    }

    /** These image files (for example the samples of {@link ClassFolders}), described as {@code folder}. */
    public ImageFolderDataset(Path folder, List<Path> files) {
        this.folder = folder;
        this.files = List.copyOf(files);
    }

    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** The image files, in sample order. */
    public List<Path> files() {
        return files;
    }

    /** The file names, in sample order (what name-keyed labels match). */
    public List<String> names() {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    /** This dataset labelled by name (or by position when the labels are not keyed by name). */
    public Dataset withLabelsByName(Labels labels) {
        return withLabels(labels.alignTo(names()));
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public boolean imageFiles() {
        return true;
    }

    @Override
    public int inputCount() {
        return 1;
    }

    @Override
    public List<NdArray> sample(int index) {
        return List.of(Images.decode(files.get(index)));
    }

    @Override
    public Images.ImageInfo imageInfo(int index) {
        return Images.probe(files.get(index));
    }

    @Override
    public String sourceOf(int index) {
        return files.get(index).toString();
    }

    @Override
    public String describe() {
        return folder.toString();
    }
}
