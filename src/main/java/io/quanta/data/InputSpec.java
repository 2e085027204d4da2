package io.quanta.data;

import io.quanta.graph.DataType;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one model input expects: its name, element type, shape (a dimension unknown until run time, such
 * as the batch, taken as 1) and, for a quantized integer input, its quantization.
 */
public record InputSpec(String name, DataType type, int[] shape, QuantParams quant) {
    public InputSpec {
        shape = shape.clone();
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] < 1) {
                shape[k] = 1;
            }
        }
    }

    public static InputSpec of(Tensor t) {
        int[] shape = t.shape();
        int[] signature = t.shapeSignature();
        if (signature != null && signature.length == shape.length) {
            for (int k = 0; k < shape.length; k++) {
                if (signature[k] < 0) {
                    shape[k] = 1;
                }
            }
        }
        return new InputSpec(t.name(), t.type(), shape, t.isQuantized() ? t.quant() : null);
    }

    /** The specs of a subgraph's inputs, in order. */
    public static List<InputSpec> of(Subgraph graph) {
        List<InputSpec> specs = new ArrayList<>();
        for (int k = 0; k < graph.inputs().length; k++) {
            specs.add(of(graph.inputTensor(k)));
        }
        return specs;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public boolean isQuantized() {
        return quant != null && !quant.isEmpty();
    }

    @Override
    public String toString() {
        return "'" + name + "' " + type.name().toLowerCase(Locale.ROOT) + Arrays.toString(shape);
    }
}
