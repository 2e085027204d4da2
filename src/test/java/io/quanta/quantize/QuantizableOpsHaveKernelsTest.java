package io.quanta.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.OpType;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int8.Int8Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quantizer never writes an int8 op that Quanta's own interpreter cannot evaluate. */
class QuantizableOpsHaveKernelsTest {

    @Test
    void everyOpWithAnInt8RuleHasAnInt8Kernel() {
        KernelRegistry kernels = FloatKernels.registry().with(Int8Kernels.registry());
        List<OpType> missing = QuantizableOps.quantizableTypes().stream()
                .filter(t -> !kernels.supports(t, flavorOfQuantized(t)))
                .sorted()
                .toList();
        assertEquals(List.of(), missing, "ops with an int8 rule but no kernel");
    }

    @Test
    void theOpsTheQuantizerInsertsHaveKernels() {
        KernelRegistry kernels = FloatKernels.registry().with(Int8Kernels.registry());
        assertTrue(kernels.supports(OpType.QUANTIZE, Flavor.QUANTIZED));
        assertTrue(kernels.supports(OpType.DEQUANTIZE, Flavor.FLOAT));
    }

    /** The flavor the interpreter picks for the op once quantized: a type-agnostic op's output stays unquantized. */
    private static Flavor flavorOfQuantized(OpType t) {
        return QuantizableOps.ruleFor(t).kind() == OpRule.Kind.TYPE_AGNOSTIC ? Flavor.FLOAT : Flavor.QUANTIZED;
    }
}
