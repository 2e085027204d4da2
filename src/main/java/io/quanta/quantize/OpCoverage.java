package io.quanta.quantize;

/** Per op type: how many ops were quantized, stayed float, or had no float tensors to begin with. */
public record OpCoverage(int quantized, int floatFallback, int notFloat) {
    OpCoverage add(OpReport.Outcome outcome) {
        return switch (outcome) {
            case QUANTIZED -> new OpCoverage(quantized + 1, floatFallback, notFloat);
            case FLOAT_FALLBACK -> new OpCoverage(quantized, floatFallback + 1, notFloat);
            case NOT_FLOAT -> new OpCoverage(quantized, floatFallback, notFloat + 1);
        };
    }
}
