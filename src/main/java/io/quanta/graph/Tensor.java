package io.quanta.graph;

import java.util.Arrays;

/**
 * A tensor of a subgraph. Constant tensors (weights, biases, shape operands) carry their bytes in
 * {@link #data()}, little-endian as in the .tflite file; activations have no data. Mutable so that the
 * quantizer can retype tensors in place.
 */
public final class Tensor {
    private String name;
    private DataType type;
    private int[] shape;
    private int[] shapeSignature;
    private byte[] data;
    private QuantParams quant;
    private boolean variable;

    public Tensor(String name, DataType type, int[] shape) {
        this.name = name == null ? "" : name;
        this.type = type;
        this.shape = shape == null ? new int[0] : shape.clone();
    }

    public Tensor copy() {
        Tensor t = new Tensor(name, type, shape);
        t.shapeSignature = shapeSignature == null ? null : shapeSignature.clone();
        t.data = data;
        t.quant = quant;
        t.variable = variable;
        return t;
    }

    public String name() {
        return name;
    }

    public Tensor name(String name) {
        this.name = name;
        return this;
    }

    public DataType type() {
        return type;
    }

    public Tensor type(DataType type) {
        this.type = type;
        return this;
    }

    /** The static shape; a dimension unknown until run time reads as 1 here and -1 in {@link #shapeSignature()}. */
    public int[] shape() {
        return shape.clone();
    }

    public Tensor shape(int[] shape) {
        this.shape = shape.clone();
        return this;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    /** The shape with -1 for dimensions unknown until run time; null when the model stores none. */
    public int[] shapeSignature() {
        return shapeSignature == null ? null : shapeSignature.clone();
    }

    public Tensor shapeSignature(int[] signature) {
        this.shapeSignature = signature == null ? null : signature.clone();
        return this;
    }

    /** Constant contents, little-endian; null for tensors computed at run time. Not copied: treat as read-only. */
    public byte[] data() {
        return data;
    }

    public Tensor data(byte[] data) {
        this.data = data;
        return this;
    }

    public boolean isConstant() {
        return data != null;
    }

    /** Quantization parameters; null when the tensor has none. */
    public QuantParams quant() {
        return quant;
    }

    public Tensor quant(QuantParams quant) {
        this.quant = quant;
        return this;
    }

    public boolean isQuantized() {
        return quant != null && !quant.isEmpty();
    }

    /** A variable tensor (LSTM state, for example) that keeps its value between invocations. */
    public boolean isVariable() {
        return variable;
    }

    public Tensor variable(boolean variable) {
        this.variable = variable;
        return this;
    }

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + type + Arrays.toString(shape) + (data != null ? " const" : "") + "]";
    }
}
