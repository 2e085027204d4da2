package io.quanta.data;

import java.util.List;

/**
 * What preparing one dataset for a model does: how many of its samples are used, and how each input's samples are
 * converted. A pure value: callers print {@link #line()} (stderr, the pod's log) and keep the fields in the report,
 * so no conversion happens unseen.
 *
 * @param role       what the samples are for: calibration, evaluation, ...
 * @param source     the dataset's files
 * @param imageFiles the samples are image files, each converted from its own size ({@code inputs}: the first's)
 * @param available  samples in the dataset
 * @param asked      samples asked for; 0 for all
 * @param used       samples used
 * @param seed       the seed they were drawn with; null when spread evenly (or all)
 * @param inputs     one conversion per model input
 */
public record DatasetPreparation(
        String role,
        String source,
        boolean imageFiles,
        int available,
        int asked,
        int used,
        Long seed,
        List<InputConversion> inputs) {

    public DatasetPreparation {
        inputs = List.copyOf(inputs);
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
     * 32x32x3->28x28x1, rgb->grayscale, normalize x/255.0, uint8->float32; using 100 of 932 (evenly)}.
     */
    public String line() {
        StringBuilder b = new StringBuilder("dataset ")
                .append(role)
                .append(" (")
                .append(source)
                .append("): ");
        b.append(available).append(imageFiles ? " images" : " samples");
        if (inputs.size() == 1) {
            b.append(imageFiles ? ", the first " : " of ").append(inputs.get(0).summary());
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
