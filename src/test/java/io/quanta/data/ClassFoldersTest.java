package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder per class, as torchvision's ImageFolder: for images and for WAV files, in a tree built here. */
class ClassFoldersTest {
    @TempDir
    Path tmp;

    static final DatasetReading FOLDERS = DatasetReading.AUTO.withClassFolders(true);

    @Test
    void imageTreeLabelsByFolderInSortedClassOrder() throws Exception {
        Path root = tmp.resolve("digits");
        copy("mnist_png/sample7.png", root.resolve("seven/a.png"));
        copy("mnist_png/sample3.png", root.resolve("three/x/deep.png")); // anywhere under the class folder
        copy("mnist_png/sample2.png", root.resolve("three/b.png"));
        copy("mnist_png/sample1.png", root.resolve("one/c.png"));
        Files.writeString(root.resolve("README.txt"), "files in the root are not samples");
        Files.writeString(root.resolve("one/notes.txt"), "nor are files that are not images");

        ClassFolders tree = ClassFolders.scan(root, null, ImageFolderDataset::isImage, "images");
        assertEquals(List.of("one", "seven", "three"), tree.classes());
        assertEquals(
                List.of(
                        root.resolve("one/c.png"),
                        root.resolve("seven/a.png"),
                        root.resolve("three/b.png"),
                        root.resolve("three/x/deep.png")),
                tree.files());

        InputSpec in = new InputSpec("x", DataType.UINT8, new int[] {1, 28, 28, 1}, null);
        Dataset ds = Datasets.open(List.of(root), List.of(in), FOLDERS, null);
        assertEquals(4, ds.size());
        assertArrayEquals(new int[] {0, 1, 2, 2}, new int[] {ds.label(0), ds.label(1), ds.label(2), ds.label(3)});
        assertEquals(
                Images.decode(SharedAssets.data("mnist_png/sample3.png")),
                ds.sample(3).get(0));

        // A class list fixes the indices: line i = class i, folders in any order.
        Dataset listed = Datasets.open(
                List.of(root),
                List.of(in),
                FOLDERS,
                List.of("zero", "one", "two", "three", "four", "five", "six", "seven"));
        assertArrayEquals(
                new int[] {1, 7, 3, 3}, new int[] {listed.label(0), listed.label(1), listed.label(2), listed.label(3)});
    }

    @Test
    void wavTreeLabelsEveryWindowOfAFile() throws Exception {
        Path root = tmp.resolve("speech");
        for (String f : List.of("yes_1000ms", "yes_30ms", "no_1000ms", "no_30ms", "silence_1000ms")) {
            copy(
                    "speech_wav/" + f + ".wav",
                    root.resolve(f.substring(0, f.indexOf('_'))).resolve(f + ".wav"));
        }
        InputSpec in = new InputSpec("audio", DataType.FLOAT32, new int[] {1, 480}, null);
        DatasetReading reading = FOLDERS.withWav(480, 0);
        assertEquals(DatasetFormat.WAV, Datasets.detect(List.of(root), true));
        Dataset ds = Datasets.open(List.of(root), List.of(in), reading, null);
        // classes no, silence, yes; 1000 ms gives 33 windows of 480 at hop 480, 30 ms gives one.
        assertEquals(34 + 33 + 34, ds.size());
        assertEquals(0, ds.label(0));
        assertEquals(0, ds.label(33));
        assertEquals(1, ds.label(34));
        assertEquals(2, ds.label(67));
        assertEquals(2, ds.label(100));
        assertTrue(ds.sourceOf(33).endsWith("no_30ms.wav"), ds.sourceOf(33));

        Dataset listed = Datasets.open(List.of(root), List.of(in), reading, List.of("silence", "unknown", "yes", "no"));
        assertEquals(3, listed.label(0));
        assertEquals(0, listed.label(34));
        assertEquals(2, listed.label(100));
    }

    @Test
    void refusals() throws Exception {
        Path root = tmp.resolve("tree");
        copy("mnist_png/sample1.png", root.resolve("one/a.png"));
        Files.createDirectories(root.resolve("empty"));
        InputSpec in = new InputSpec("x", DataType.UINT8, new int[] {1, 28, 28, 1}, null);
        DatasetException e =
                assertThrows(DatasetException.class, () -> Datasets.open(List.of(root), List.of(in), FOLDERS, null));
        assertTrue(e.getMessage().contains("class folder 'empty' holds no images"), e.getMessage());

        Files.delete(root.resolve("empty"));
        e = assertThrows(
                DatasetException.class, () -> Datasets.open(List.of(root), List.of(in), FOLDERS, List.of("zero")));
        assertTrue(e.getMessage().contains("'one' is not in the class list"), e.getMessage());

        e = assertThrows(
                DatasetException.class, () -> Datasets.open(List.of(root.resolve("one")), List.of(in), FOLDERS, null));
        assertTrue(e.getMessage().contains("holds no class folders"), e.getMessage());

        e = assertThrows(
                DatasetException.class,
                () -> Datasets.open(List.of(root), List.of(in), FOLDERS.withFormat(DatasetFormat.NPY), null));
        assertTrue(e.getMessage().contains("not arrays"), e.getMessage());
    }

    private static void copy(String shared, Path to) throws Exception {
        Files.createDirectories(to.getParent());
        Files.copy(SharedAssets.data(shared), to);
    }
}
