package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void textOneLabelPerLine() throws IOException {
        Labels l = Labels.read(write("labels.txt", "3\n1\n\n# comment\n4\n"), null);
        assertArrayEquals(new int[] {3, 1, 4}, l.values());
        assertTrue(!l.byName());
    }

    @Test
    void textByImageNameAlignsToFolderOrder() throws IOException {
        Labels l = Labels.read(write("labels.txt", "person.bmp 1\nno_person 0\n"), null);
        assertTrue(l.byName());
        assertArrayEquals(
                new int[] {0, 1},
                l.alignTo(List.of("no_person.bmp", "person.bmp")).values());
        DatasetException e = assertThrows(DatasetException.class, () -> l.alignTo(List.of("cat.png")));
        assertTrue(e.getMessage().contains("cat.png"), e.getMessage());
    }

    @Test
    void csvWithHeaderWithoutHeaderAndClassNames() throws IOException {
        Labels withHeader = Labels.read(write("a.csv", "filename,label\nb.png,2\n\"a.png\",7\n"), null);
        assertArrayEquals(
                new int[] {7, 2}, withHeader.alignTo(List.of("a.png", "b.png")).values());
        assertArrayEquals(
                new int[] {5, 6}, Labels.read(write("b.csv", "5\n6\n"), null).values());
        assertArrayEquals(
                new int[] {1, 0},
                Labels.read(write("c.csv", "x.jpg,dog\ny.jpg,cat\n"), List.of("cat", "dog"))
                        .alignTo(List.of("x.jpg", "y.jpg"))
                        .values());
    }

    @Test
    void imagenetClassNamesTranslateLabels() throws IOException {
        List<String> classes = Labels.readClassNames(SharedAssets.data("images/imagenet_labels_1001.txt"));
        assertEquals(1001, classes.size());
        Labels l = Labels.read(write("l.txt", "burger.jpg\tcheeseburger\n"), classes);
        assertArrayEquals(new int[] {934}, l.alignTo(List.of("burger.jpg")).values());
    }

    @Test
    void badLabelsFailNamingTheFile() throws IOException {
        Path words = write("words.txt", "cat\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Labels.read(words, null));
        assertTrue(e.getMessage().contains(words.toString()) && e.getMessage().contains("'cat'"), e.getMessage());
        Path empty = write("empty.txt", "\n");
        e = assertThrows(DatasetException.class, () -> Labels.read(empty, null));
        assertTrue(e.getMessage().contains("no labels"), e.getMessage());
        Path noLabelColumn = write("h.csv", "file,name\na,b\n");
        assertThrows(DatasetException.class, () -> Labels.read(noLabelColumn, null));
    }

    @Test
    void labelCountMustMatchTheDataset() throws IOException {
        Dataset ds = new ArrayDataset(List.of(NdArray.ofInts(new int[] {3, 1}, new int[] {1, 2, 3})), List.of("x.npy"));
        Path two = write("two.txt", "0\n1\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.withLabels(ds, two, null));
        assertTrue(e.getMessage().contains(two.toString()) && e.getMessage().contains("2 labels"), e.getMessage());
        assertEquals(
                2,
                Datasets.withLabels(ds, write("three.txt", "0\n1\n2\n"), null).label(2));
    }
}
