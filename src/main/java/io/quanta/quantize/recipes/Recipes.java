package io.quanta.quantize.recipes;

/**
 * The recipes a run applies beyond min/max rounding (the CLI's --equalize and --bias-correction, the QuantizationJob's
 * spec.quantization.equalize and biasCorrection).
 *
 * @param equalize       cross-layer equalization of the float model before calibration ({@link Equalization})
 * @param biasCorrection empirical bias correction of the int8 model on the calibration samples ({@link BiasCorrection})
 */
public record Recipes(boolean equalize, boolean biasCorrection) {
    public static final Recipes NONE = new Recipes(false, false);

    public boolean any() {
        return equalize || biasCorrection;
    }

    /** "equalize+bias-correction", "equalize", "bias-correction" or "none". */
    public String label() {
        if (!any()) return "none";
        return equalize ? (biasCorrection ? "equalize+bias-correction" : "equalize") : "bias-correction";
    }
}
