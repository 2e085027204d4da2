package io.quanta.data;

import io.quanta.graph.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@link ModelInputAdapter} does to one input's samples, decided before any value is converted: a pure
 * description for the stderr line and the report. For image files it is the first image's (each image is planned at
 * its own size).
 *
 * @param input         the model input's name
 * @param from          a sample's shape as stored
 * @param fromType      its element type
 * @param to            the model input's shape
 * @param toType        its element type
 * @param reshape       a flattened sample laid out as the input, or the reverse (element order kept)
 * @param imageFrom     [H, W, C] of the sample read as an image; null when its values pass in stored order
 * @param workChannels  the channels it is resized in (the colour mode's); 0 without image conversion
 * @param imageTo       [H, W, C] of the input; null without image conversion
 * @param normalization applied to the values (for a float input, or before quantizing)
 * @param scale         a quantized integer input's scale, else null
 * @param zeroPoint     its zero point, else null
 */
public record InputConversion(
        String input,
        int[] from,
        DataType fromType,
        int[] to,
        DataType toType,
        boolean reshape,
        int[] imageFrom,
        int workChannels,
        int[] imageTo,
        Normalization normalization,
        Float scale,
        Long zeroPoint) {

    public InputConversion {
        from = from.clone();
        to = to.clone();
        imageFrom = imageFrom == null ? null : imageFrom.clone();
        imageTo = imageTo == null ? null : imageTo.clone();
    }

    @Override
    public int[] from() {
        return from.clone();
    }

    @Override
    public int[] to() {
        return to.clone();
    }

    @Override
    public int[] imageFrom() {
        return imageFrom == null ? null : imageFrom.clone();
    }

    @Override
    public int[] imageTo() {
        return imageTo == null ? null : imageTo.clone();
    }

    /** Whether the height or width changes (bilinear resize). */
    public boolean resizes() {
        return imageFrom != null && (imageFrom[0] != imageTo[0] || imageFrom[1] != imageTo[1]);
    }

    /** The colour conversion, such as {@code rgb->grayscale}; null when the channels stay as they are. */
    public String colour() {
        if (imageFrom == null) {
            return null;
        }
        List<Integer> chain = new ArrayList<>(List.of(imageFrom[2]));
        for (int c : new int[] {workChannels, imageTo[2]}) {
            if (c != chain.get(chain.size() - 1)) {
                chain.add(c);
            }
        }
        return chain.size() < 2
                ? null
                : String.join(
                        "->", chain.stream().map(InputConversion::colourName).toList());
    }

    /** {@code uint8->float32} when the element type changes without quantizing, else null. */
    public String typeChange() {
        return fromType == toType || scale != null ? null : name(fromType) + "->" + name(toType);
    }

    /** The conversions in the order they apply, in words; empty when the values pass as stored. */
    public List<String> steps() {
        List<String> s = new ArrayList<>();
        if (reshape) {
            s.add("reshape " + dims(from) + "->" + dims(to));
        }
        if (resizes()) {
            s.add("resize " + dims(imageFrom) + "->" + dims(imageTo));
        }
        if (colour() != null) {
            s.add(colour());
        }
        if (!normalization.isIdentity()) {
            s.add("normalize " + normalization);
        }
        if (scale != null) {
            s.add("quantize to " + name(toType) + " (scale " + scale + ", zero point " + zeroPoint + ")");
        } else if (typeChange() != null) {
            s.add(typeChange());
        }
        return s;
    }

    /** {@code 32x32x3 uint8 -> 1x28x28x1 float32: resize 32x32x3->28x28x1, rgb->grayscale, uint8->float32}. */
    public String summary() {
        List<String> s = steps();
        return dims(from) + " " + name(fromType) + " -> " + dims(to) + " " + name(toType) + ": "
                + (s.isEmpty() ? "as stored" : String.join(", ", s));
    }

    /** {@code 32x32x3}; a scalar is {@code 1}. */
    static String dims(int[] shape) {
        if (shape.length == 0) {
            return "1";
        }
        StringBuilder b = new StringBuilder();
        for (int d : shape) {
            b.append(b.length() == 0 ? "" : "x").append(d);
        }
        return b.toString();
    }

    static String name(DataType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private static String colourName(int channels) {
        return switch (channels) {
            case 1 -> "grayscale";
            case 3 -> "rgb";
            case 4 -> "rgba";
            default -> channels + " channels";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputConversion c
                && input.equals(c.input)
                && Arrays.equals(from, c.from)
                && fromType == c.fromType
                && Arrays.equals(to, c.to)
                && toType == c.toType
                && reshape == c.reshape
                && Arrays.equals(imageFrom, c.imageFrom)
                && workChannels == c.workChannels
                && Arrays.equals(imageTo, c.imageTo)
                && normalization.equals(c.normalization)
                && java.util.Objects.equals(scale, c.scale)
                && java.util.Objects.equals(zeroPoint, c.zeroPoint);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(input, Arrays.hashCode(from), fromType, Arrays.hashCode(to), toType, reshape);
    }

    @Override
    public String toString() {
        return "'" + input + "' " + summary();
    }
}
