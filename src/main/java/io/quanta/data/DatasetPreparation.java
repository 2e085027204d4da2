package io.quanta.data;

import java.util.List;

/**
 * What preparing one dataset for a model does: how many of its samples are used, and how each input's samples are
 * converted. A pure value: callers print {@link #line()} (stderr, the pod's log) and keep the fields in the report,
 * so no conversion happens unseen.
 *
 * @param role       what the samples are for: calibration, evaluation, ...
 * @param source     the dataset's files
 * @param imageFiles the samples are image files, each converted from its own size and colour mode
 * @param available  samples in the dataset
 * @param asked      samples asked for; 0 for all
 * @param used       samples used
 * @param seed       the seed they were drawn with; null when spread evenly (or all)
 * @param inputs     one conversion per model input (image files: the first sample's)
 * @param reading    what reading the files does first (WAV: sample rate, mono, windows, padding), or null
 * @param imageGroups image files: the samples used, grouped by stored size and colour mode, each with its
 *                   conversion; empty otherwise
 */
public record DatasetPreparation(
        String role,
        String source,
        boolean imageFiles,
        int available,
        int asked,
        int used,
        Long seed,
        List<InputConversion> inputs,
        String reading,
        List<ImageGroup> imageGroups) {

    /** At most this many image groups are spelled out in {@link #line()}; the rest are counted. */
    static final int LISTED_GROUPS = 6;

    public DatasetPreparation {
        inputs = List.copyOf(inputs);
        imageGroups = List.copyOf(imageGroups);
    }

    /** {@code count} of the images used are stored as {@code image} says and converted as {@code conversion}. */
    public record ImageGroup(Images.ImageInfo image, int count, InputConversion conversion) {
        /** {@code 2 grayscale 28x28x1 uint8 -> 1x28x28x1 float32: normalize x/255.0}. */
        public String summary() {
            return count + " " + image.mode() + " " + conversion.summary();
        }
    }

    /** How many of the images used are resized (bilinear, to the input's height and width). */
    public int resized() {
        return imageGroups.stream()
                .filter(g -> g.conversion().resizes())
                .mapToInt(ImageGroup::count)
                .sum();
    }

    /** all, evenly (every size/N-th sample) or random (drawn with the seed). */
    public String selection() {
        if (asked <= 0) {
            return "all";
        }
        if (seed != null) {
            return "random";
        }
        return used == available ? "all" : "evenly";
    }

    /**
     * One line: {@code dataset calibration (cifar.npy): 932 samples of 32x32x3 uint8 -> 1x28x28x1 float32: resize
     * 32x32x3->28x28x1, rgb->grayscale, normalize x/255.0, uint8->float32; using 100 of 932 (evenly)}. Image files
     * give each group of the images used ({@code 2 grayscale 28x28x1 uint8 -> ...; 1 rgb 32x32x3 uint8 -> ...}) and
     * how many are resized; WAV files first say how they are cut into samples ({@link #reading}).
     */
    public String line() {
        StringBuilder b = new StringBuilder("dataset ")
                .append(role)
                .append(" (")
                .append(source)
                .append("): ");
        if (reading != null) {
            b.append(reading).append("; ");
        }
        b.append(available).append(imageFiles ? " images" : " samples");
        if (!imageGroups.isEmpty()) {
            b.append(": ");
            for (int g = 0; g < Math.min(LISTED_GROUPS, imageGroups.size()); g++) {
                b.append(g == 0 ? "" : "; ").append(imageGroups.get(g).summary());
            }
            if (imageGroups.size() > LISTED_GROUPS) {
                List<ImageGroup> rest = imageGroups.subList(LISTED_GROUPS, imageGroups.size());
                b.append("; ")
                        .append(rest.stream().mapToInt(ImageGroup::count).sum())
                        .append(" more in ")
                        .append(rest.size())
                        .append(" other sizes or colour modes");
            }
            b.append("; resize applied to ")
                    .append(resized())
                    .append(" of ")
                    .append(used)
                    .append(" used");
        } else if (inputs.size() == 1) {
            b.append(" of ").append(inputs.get(0).summary());
        } else {
            for (InputConversion c : inputs) {
                b.append("; input '").append(c.input()).append("' ").append(c.summary());
            }
        }
        b.append("; using ");
        if (selection().equals("all")) {
            b.append("all ").append(available);
        } else {
            b.append(used).append(" of ").append(available).append(" (").append(selection());
            b.append(seed == null ? "" : ", seed " + seed).append(')');
        }
        return b.toString();
    }
}
