package io.quanta.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A folder with one folder per class, as torchvision's ImageFolder reads it: the classes are the sorted names
 * of the root's subfolders (or, when a class list is given, its lines: class i is line i, and every subfolder
 * must be in it); the samples are the accepted files anywhere under each class folder, class by class, sorted
 * by path within a class; a sample's label is its class's index. Files directly in the root are not samples.
 *
 * @param root    the folder
 * @param classes class names, index = label
 * @param files   the sample files, in sample order
 * @param labels  the label of each file
 */
public record ClassFolders(Path root, List<String> classes, List<Path> files, int[] labels) {
    public ClassFolders {
        classes = List.copyOf(classes);
        files = List.copyOf(files);
        labels = labels.clone();
    }

    /** Scans {@code root}; {@code accept} picks the sample files, {@code kind} names them for messages. */
    public static ClassFolders scan(Path root, List<String> classList, Predicate<Path> accept, String kind) {
        if (!Files.isDirectory(root)) {
            throw DatasetException.of(root, "class folders need a folder with one folder per class");
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(root)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw DatasetException.of(root, "cannot list folder: " + e.getMessage(), e);
        }
        if (folders.isEmpty()) {
            throw DatasetException.of(root, "holds no class folders (expected one folder per class)");
        }
        List<String> classes = classList != null
                ? classList
                : folders.stream().map(f -> f.getFileName().toString()).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            index.putIfAbsent(classes.get(k), k);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            Integer label = index.get(name);
            if (label == null) {
                throw DatasetException.of(
                        folder,
                        "class folder '" + name + "' is not in the class list (" + classes.size() + " classes)");
            }
            List<Path> found;
            try (Stream<Path> s = Files.walk(folder)) {
                found = s.filter(Files::isRegularFile).filter(accept).sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                throw DatasetException.of(folder, "cannot list folder: " + e.getMessage(), e);
            }
            if (found.isEmpty()) {
                throw DatasetException.of(folder, "class folder '" + name + "' holds no " + kind);
            }
            files.addAll(found);
            found.forEach(f -> labels.add(label));
        }
        return new ClassFolders(
                root,
                classes,
                files,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The labels, for attaching to a dataset of {@link #files()} in order. */
    public Labels asLabels() {
        return Labels.of(labels, root + " (class folders)");
    }
}
