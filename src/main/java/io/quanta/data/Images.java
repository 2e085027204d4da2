package io.quanta.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/** Image decoding (javax.imageio) and the pixel operations preprocessing needs: resize and colour conversion. */
public final class Images {
    private Images() {}

    /**
     * Decodes an image file into a uint8 array [H, W, C]: C = 1 for grayscale images (values read from the
     * raster as stored, not through a colour conversion, or from a palette whose entries are all gray),
     * else C = 3 (R, G, B; alpha dropped).
     */
    public static NdArray decode(Path file) {
        BufferedImage img = read(file);
        int h = img.getHeight();
        int w = img.getWidth();
        ColorModel cm = img.getColorModel();
        refuseCmyk(file, cm);
        if (cm instanceof IndexColorModel palette && isGrayPalette(palette)) {
            byte[] px = new byte[h * w];
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int k = 0; k < h * w; k++) {
                px[k] = (byte) argb[k]; // R = G = B
            }
            return NdArray.ofBytes(NdArray.DType.UINT8, new int[] {h, w, 1}, px);
        }
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster r = img.getRaster();
            int bits = cm.getComponentSize(0);
            byte[] px = new byte[h * w];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = bits == 8 ? row[x] : bits > 8 ? row[x] >> (bits - 8) : row[x] * 255 / ((1 << bits) - 1);
                    px[y * w + x] = (byte) v;
                }
            }
            return NdArray.ofBytes(NdArray.DType.UINT8, new int[] {h, w, 1}, px);
        }
        byte[] px = new byte[h * w * 3];
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int k = 0; k < h * w; k++) {
            px[3 * k] = (byte) (argb[k] >> 16);
            px[3 * k + 1] = (byte) (argb[k] >> 8);
            px[3 * k + 2] = (byte) argb[k];
        }
        return NdArray.ofBytes(NdArray.DType.UINT8, new int[] {h, w, 3}, px);
    }

    /**
     * Decodes the first image of a file, checking its size from the header before any pixel is decoded (a
     * small file can declare 30000 x 30000), and refusing an image the decoder could only read in part.
     */
    static BufferedImage read(Path file) {
        return withReader(file, reader -> {
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage img = reader.read(0);
            if (!warnings.isEmpty()) {
                throw DatasetException.of(file, "damaged image: " + warnings.get(0));
            }
            return img;
        });
    }

    /**
     * What {@link #decode} would give for an image file, from its header alone (no pixel decoded): its size, the
     * channels of the decoded array and the stored colour mode. A header that does not tell the colour model (some
     * JPEGs) is decoded to find out, within the same pixel cap.
     */
    public static ImageInfo probe(Path file) {
        return withReader(file, reader -> {
            int h = reader.getHeight(0);
            int w = reader.getWidth(0);
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            ColorModel cm = raw == null ? reader.read(0).getColorModel() : raw.getColorModel();
            refuseCmyk(file, cm);
            return new ImageInfo(h, w, channels(cm), mode(cm));
        });
    }

    /** An image as {@link #decode} reads it: height, width, channels of the array, and the stored colour mode. */
    public record ImageInfo(int height, int width, int channels, String mode) {
        /** The decoded array's shape. */
        public int[] shape() {
            return new int[] {height, width, channels};
        }

        /** {@code 32x32 rgba}. */
        public String describe() {
            return width + "x" + height + " " + mode;
        }
    }

    /** The channels {@link #decode} gives an image of colour model {@code cm}: 1 for gray, else 3. */
    private static int channels(ColorModel cm) {
        if (cm instanceof IndexColorModel palette) {
            return isGrayPalette(palette) ? 1 : 3;
        }
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY ? 1 : 3;
    }

    /** The stored colour mode in words: grayscale, gray palette, palette, rgb, rgba; with its depth when not 8 bits. */
    private static String mode(ColorModel cm) {
        String alpha = cm.hasAlpha() ? " (alpha dropped)" : "";
        if (cm instanceof IndexColorModel palette) {
            return (isGrayPalette(palette) ? "gray palette" : "palette") + alpha;
        }
        int bits = cm.getComponentSize(0);
        String depth = bits == 8 ? "" : " " + bits + "-bit";
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return "grayscale" + depth + alpha;
        }
        return (cm.hasAlpha() ? "rgba" : "rgb") + depth + alpha;
    }

    private static void refuseCmyk(Path file, ColorModel cm) {
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
            // javax.imageio converts CMYK naively, unlike the tools that trained the model: refuse, do not guess.
            throw DatasetException.of(file, "CMYK images are not supported: convert it to RGB");
        }
    }

    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /**
     * Runs {@code work} on a reader of the first image of {@code file}, after checking its size from the header
     * (before any pixel is decoded); decoder failures become a one-line {@link DatasetException}.
     */
    private static <T> T withReader(Path file, ReaderWork<T> work) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw DatasetException.of(file, "not an image format javax.imageio can read (png, jpg, bmp, gif)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw DatasetException.of(file, "image header declares " + w + " x " + h + " pixels");
                }
                if (w * h > DataLimits.maxPixels()) {
                    throw DatasetException.of(
                            file,
                            "image of " + w + " x " + h + " pixels is larger than the " + DataLimits.maxPixels()
                                    + " pixels allowed");
                }
                return work.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetException d) {
                throw d;
            }
            // Decoders report truncation, CMYK and the like with their own exceptions: keep the reason only.
            String why = e.getMessage() == null || e.getMessage().isBlank()
                    ? "corrupt or truncated image data"
                    : e.getMessage();
            throw DatasetException.of(file, "cannot decode image: " + why, e);
        }
    }

    private static boolean isGrayPalette(IndexColorModel palette) {
        for (int k = 0; k < palette.getMapSize(); k++) {
            if (palette.getRed(k) != palette.getGreen(k) || palette.getGreen(k) != palette.getBlue(k)) {
                return false;
            }
        }
        return true;
    }

    /** Converts HWC pixels (as doubles) between 1 and 3 (or 4, alpha dropped) channels. */
    public static double[] convertChannels(double[] px, int h, int w, int from, int to) {
        if (from == to) {
            return px;
        }
        double[] out = new double[h * w * to];
        for (int k = 0; k < h * w; k++) {
            if (to == 1) {
                out[k] = 0.299 * px[k * from] + 0.587 * px[k * from + 1] + 0.114 * px[k * from + 2];
            } else if (from == 1) {
                for (int c = 0; c < to; c++) {
                    out[k * to + c] = px[k];
                }
            } else {
                for (int c = 0; c < to; c++) {
                    out[k * to + c] = px[k * from + Math.min(c, from - 1)];
                }
            }
        }
        return out;
    }

    /**
     * Bilinear resize of HWC pixels with half-pixel centres (tf.image.resize's default, no antialiasing):
     * output pixel (y, x) samples the input at ((y + 0.5) * inH / outH - 0.5, ...), clamped to the edges.
     */
    public static double[] resizeBilinear(double[] px, int inH, int inW, int channels, int outH, int outW) {
        if (inH == outH && inW == outW) {
            return px;
        }
        double[] out = new double[outH * outW * channels];
        double sy = (double) inH / outH;
        double sx = (double) inW / outW;
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        double[] fx = new double[outW];
        for (int x = 0; x < outW; x++) {
            double src = clamp((x + 0.5) * sx - 0.5, inW - 1);
            x0[x] = (int) Math.floor(src);
            x1[x] = Math.min(x0[x] + 1, inW - 1);
            fx[x] = src - x0[x];
        }
        for (int y = 0; y < outH; y++) {
            double srcY = clamp((y + 0.5) * sy - 0.5, inH - 1);
            int y0 = (int) Math.floor(srcY);
            int y1 = Math.min(y0 + 1, inH - 1);
            double fy = srcY - y0;
            for (int x = 0; x < outW; x++) {
                for (int c = 0; c < channels; c++) {
                    double top = px[(y0 * inW + x0[x]) * channels + c] * (1 - fx[x])
                            + px[(y0 * inW + x1[x]) * channels + c] * fx[x];
                    double bottom = px[(y1 * inW + x0[x]) * channels + c] * (1 - fx[x])
                            + px[(y1 * inW + x1[x]) * channels + c] * fx[x];
                    out[(y * outW + x) * channels + c] = top * (1 - fy) + bottom * fy;
                }
            }
        }
        return out;
    }

    private static double clamp(double v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
