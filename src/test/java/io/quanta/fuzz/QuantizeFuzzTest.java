package io.quanta.fuzz;

import io.quanta.testing.Slow;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelFuzzTest}'s budget through calibration, quantization, the writer and the int8 interpreter (float
 * models only): what the reader and the graph check let through still ends in a model or a typed error.
 */
@Slow
class QuantizeFuzzTest {
    @Test
    void mutantsOfTheSharedFloatModelsQuantizeOrFailWithATypedError() {
        ModelFuzzTest.fuzz(new QuantizeTarget(), QuantizeTarget.seeds(), 20261205, 500);
    }
}
