package io.quanta.calibrate;

import java.util.Locale;

/** How the range of an activation tensor is chosen from what calibration recorded. */
public enum CalibrationMethod {
    /** The smallest and largest values seen: the converter's recipe, and the default. */
    MINMAX,
    /** Clip each tail at a percentile of the recorded distribution (see {@link Clipping#percentile}). */
    PERCENTILE,
    /** The range that minimizes the expected quantization MSE of the recorded distribution. */
    MSE,
    /** The range that minimizes the KL divergence between float and quantized distributions (TensorRT). */
    ENTROPY,
    /** Per tensor, whichever of the others gives the smallest error at the model output (chosen by the pipeline). */
    AUTO;

    /** Needs the recorded histogram, not only the extremes. */
    public boolean needsHistogram() {
        return this != MINMAX;
    }

    /** The lower-case name used by flags, the report and the CRD. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a method name, case-insensitively; an IllegalArgumentException listing the choices otherwise. */
    public static CalibrationMethod parse(String text) {
        for (CalibrationMethod m : values()) {
            if (m.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "calibration must be one of minmax, percentile, mse, entropy, auto, not '" + text + "'");
    }
}
