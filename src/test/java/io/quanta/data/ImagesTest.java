package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir
    Path dir;

    @Test
    void sharedImagesDecodeAtTheirSizes() {
        assertArrayEquals(
                new int[] {325, 480, 3},
                Images.decode(SharedAssets.data("images/burger.jpg")).shape());
        assertArrayEquals(
                new int[] {600, 1200, 3},
                Images.decode(SharedAssets.data("images/cats_and_dogs.jpg")).shape());
        assertArrayEquals(
                new int[] {851, 1280, 3},
                Images.decode(SharedAssets.data("images/sparrow.png")).shape());
        // 8-bit palettized grayscale BMPs come out as one channel through their palette
        for (String name : List.of("person", "no_person")) {
            NdArray bmp = Images.decode(SharedAssets.data("person_bmp/" + name + ".bmp"));
            assertArrayEquals(new int[] {96, 96, 1}, bmp.shape());
            assertTrue(distinctValues(bmp) > 50, "a real picture, not a flat image");
        }
    }

    @Test
    void sharedMnistPngsAreGrayDigits() {
        ImageFolderDataset pngs = new ImageFolderDataset(SharedAssets.data("mnist_png"));
        assertEquals(10, pngs.size());
        assertEquals("sample0.png", pngs.names().get(0));
        for (int k = 0; k < pngs.size(); k++) {
            NdArray img = pngs.sample(k).get(0);
            assertArrayEquals(new int[] {28, 28, 1}, img.shape());
            assertTrue(distinctValues(img) > 10);
        }
    }

    @Test
    void grayPngValuesAreReadExactlyWithoutGammaConversion() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 128, 255});
        Path file = dir.resolve("g.png");
        ImageIO.write(img, "png", file.toFile());
        NdArray a = Images.decode(file);
        assertArrayEquals(new int[] {1, 3, 1}, a.shape());
        assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255}, a.bytes());
    }

    @Test
    void rgbBmpKeepsChannelOrder() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x102030);
        img.setRGB(1, 0, 0xff0080);
        Path file = dir.resolve("c.bmp");
        ImageIO.write(img, "bmp", file.toFile());
        assertArrayEquals(
                new byte[] {0x10, 0x20, 0x30, (byte) 0xff, 0, (byte) 0x80},
                Images.decode(file).bytes());
    }

    @Test
    void bilinearResizeUsesHalfPixelCentres() {
        // tf.image.resize([[0, 10], [20, 30]], [4, 4], 'bilinear') gives these rows
        double[] up = Images.resizeBilinear(new double[] {0, 10, 20, 30}, 2, 2, 1, 4, 4);
        assertArrayEquals(
                new double[] {0, 2.5, 7.5, 10, 5, 7.5, 12.5, 15, 15, 17.5, 22.5, 25, 20, 22.5, 27.5, 30}, up, 1e-12);
        // halving averages each 2x2 block
        double[] down = Images.resizeBilinear(
                new double[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}, 4, 4, 1, 2, 2);
        assertArrayEquals(new double[] {5, 9, 21, 25}, down, 1e-12);
    }

    @Test
    void grayscaleUsesBt601Luminance() {
        double[] gray = Images.convertChannels(new double[] {255, 0, 0, 0, 255, 0, 0, 0, 255}, 1, 3, 3, 1);
        assertArrayEquals(new double[] {0.299 * 255, 0.587 * 255, 0.114 * 255}, gray, 1e-9);
        assertArrayEquals(new double[] {7, 7, 7}, Images.convertChannels(new double[] {7}, 1, 1, 1, 3), 0);
    }

    @Test
    void unreadableImagesAndEmptyFoldersFailNamingTheFile() throws IOException {
        Path bad = Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3});
        DatasetException e = assertThrows(DatasetException.class, () -> Images.decode(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        e = assertThrows(DatasetException.class, () -> new ImageFolderDataset(empty));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("no images"), e.getMessage());
    }

    private static long distinctValues(NdArray a) {
        boolean[] seen = new boolean[256];
        for (byte b : a.bytes()) {
            seen[b & 0xff] = true;
        }
        long n = 0;
        for (boolean s : seen) {
            n += s ? 1 : 0;
        }
        return n;
    }
}
