package io.quanta.eval;

import java.util.List;

/**
 * Float against quantized on one evaluation set.
 *
 * @param samples        samples evaluated
 * @param classification class agreement and accuracy on output 0; null when it is not a class-score output
 * @param outputs        per model output, errors of the quantized model against the float one
 * @param layers         per compared tensor, dequantized quantized value against the float value
 */
public record EvaluationResult(
        int samples, Classification classification, List<OutputStats> outputs, List<LayerStats> layers) {

    public EvaluationResult {
        outputs = List.copyOf(outputs);
        layers = List.copyOf(layers);
    }

    /**
     * @param classes        number of class scores
     * @param labelled       samples with a label (accuracy is over these)
     * @param agreement      fraction of samples where both models' argmax agree
     * @param floatTop1      float model's top-1 accuracy (NaN without labels)
     * @param quantizedTop1  quantized model's top-1 accuracy (NaN without labels)
     * @param floatTop5      float top-5 accuracy (NaN without labels or with fewer than 6 classes)
     * @param quantizedTop5  quantized top-5 accuracy (likewise)
     */
    public record Classification(
            int classes,
            int labelled,
            double agreement,
            double floatTop1,
            double quantizedTop1,
            double floatTop5,
            double quantizedTop5) {}

    /** Errors of one model output: {@code sqnrDb} is +infinity when the outputs are identical. */
    public record OutputStats(int index, String name, double maxAbsError, double meanAbsError, double sqnrDb) {}

    /**
     * One compared tensor.
     *
     * @param quantizedIndex tensor index in the quantized model
     * @param floatIndex     tensor index in the float model
     * @param name           the quantized tensor's name
     * @param scale          its quantization step
     * @param rmseInSteps    RMSE / scale (≈ 0.29 when only its own rounding contributes)
     * @param op             index of the op of the quantized model that writes the tensor (-1: a model input)
     * @param opType         that op's name (null for a model input)
     * @param sqnrDb         10·log10(Σ float² / Σ error²); +infinity when identical
     */
    public record LayerStats(
            int quantizedIndex,
            int floatIndex,
            String name,
            double scale,
            double meanAbsError,
            double maxAbsError,
            double rmse,
            double rmseInSteps,
            int op,
            String opType,
            double sqnrDb) {}
}
