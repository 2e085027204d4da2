package io.quanta.report.html;

/** A small report in the pipeline's format, for tests of the page and of {@code quanta report}. */
public final class SampleReport {
    private SampleReport() {}

    public static final String HOSTILE = "<script>alert('x')</script>&\"";

    /** A small report in the pipeline's format: a CAST kept float, an int16 tensor, a search, a hostile name. */
    public static final String JSON = """
            {
              "formatVersion": 1,
              "files": {"model": "/m/net_float.tflite", "output": "/out/net.tflite", "outputSha256": "ab12"},
              "options": {"mode": "int8", "inputType": "float32", "outputType": "float32", "samples": 10,
                          "sampling": "evenly", "evalSamples": 20},
              "sizes": {"floatBytes": 4000, "quantizedBytes": 1100, "ratio": 0.275},
              "calibration": {"samples": 10, "tensors": 4},
              "coverage": {"CAST": {"quantized": 0, "floatFallback": 1, "notFloat": 0},
                           "CONV_2D": {"quantized": 2, "floatFallback": 0, "notFloat": 0},
                           "SHAPE": {"quantized": 0, "floatFallback": 0, "notFloat": 1}},
              "floatFallbackOps": [{"index": 0, "opType": "CAST", "reason": "no int8 kernel for CAST"}],
              "tensors": [
                {"index": 1, "name": "conv1", "role": "activation", "type": "int8", "min": -1.0, "max": 3.0,
                 "scales": [0.015686275], "zeroPoint": -64,
                 "histogram": {"min": -1.5, "max": 3.5, "counts": [1, 5, 40, 7, 0, 2]}},
                {"index": 2, "name": "PLACEHOLDER", "role": "activation", "type": "int16", "min": -2.0, "max": 2.0,
                 "scales": [6.1037e-05], "zeroPoint": 0},
                {"index": 3, "name": "w", "role": "weight", "type": "int8", "min": -0.5, "max": 0.4,
                 "scales": [0.001, 0.002, 0.004], "zeroPoint": 0, "axis": 0,
                 "channelScaleMin": 0.001, "channelScaleMedian": 0.002, "channelScaleMax": 0.004}
              ],
              "evaluation": {
                "samples": 20,
                "classification": {"classes": 10, "labelled": 20, "agreement": 0.95, "floatTop1": 0.9,
                                   "quantizedTop1": 0.85, "floatTop5": "NaN", "quantizedTop5": "NaN"},
                "outputs": [{"index": 0, "name": "out", "maxAbsError": 0.01, "meanAbsError": 0.001,
                             "sqnrDb": 31.25}],
                "layers": [
                  {"quantizedIndex": 2, "floatIndex": 5, "name": "PLACEHOLDER", "scale": 6.1037e-05,
                   "meanAbsError": 0.0001, "maxAbsError": 0.001, "rmse": 0.00002, "rmseInSteps": 0.31,
                   "op": 2, "opType": "CONV_2D", "sqnrDb": 60.5},
                  {"quantizedIndex": 1, "floatIndex": 4, "name": "conv1", "scale": 0.015686275,
                   "meanAbsError": 0.004, "maxAbsError": 0.02, "rmse": 0.006, "rmseInSteps": 0.4,
                   "op": 1, "opType": "CONV_2D", "sqnrDb": "Infinity"}
                ]
              },
              "timings": {"loadMs": 10, "calibrateMs": 200, "quantizeMs": 30, "evaluateMs": 1500, "writeMs": 2,
                          "totalMs": 1742},
              "accuracy": {"calibration": "percentile", "percentile": 99.99, "budget": "agreement >= 0.95",
                           "budgetMet": true, "strategy": "greedy", "maxTrials": 8, "keptFloat": ["head"],
                           "nonInt8Ops": 2, "chosenTrial": 1, "searchMs": 900,
                           "trials": [
                             {"trial": 0, "kind": "baseline", "keptFloat": [], "nonInt8Ops": 1, "samples": 20,
                              "agreement": 0.9, "sqnrDb": 25.0, "meetsBudget": false, "ms": 400},
                             {"trial": 1, "kind": "greedy", "keptFloat": ["head"], "nonInt8Ops": 2, "samples": 20,
                              "agreement": 0.95, "sqnrDb": 31.25, "meetsBudget": true, "ms": 500}]}
            }
            """.replace("PLACEHOLDER", HOSTILE.replace("\"", "\\\""));
}
