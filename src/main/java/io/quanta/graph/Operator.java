package io.quanta.graph;

import java.util.Arrays;

/**
 * One operator node. Inputs and outputs are tensor indices into its subgraph; -1 marks an omitted
 * optional input, as in TFLite.
 */
public final class Operator {
    private OpType type;
    private int builtinCode;
    private String customCode;
    private int version;
    private int[] inputs;
    private int[] outputs;
    private int[] intermediates;
    private OpOptions options;
    private byte[] customOptions;

    public Operator(OpType type, int builtinCode, int version, int[] inputs, int[] outputs, OpOptions options) {
        this.type = type;
        this.builtinCode = builtinCode;
        this.version = Math.max(1, version);
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        this.intermediates = new int[0];
        this.options = options;
    }

    public Operator copy() {
        Operator o = new Operator(type, builtinCode, version, inputs, outputs, options);
        o.customCode = customCode;
        o.intermediates = intermediates.clone();
        o.customOptions = customOptions;
        return o;
    }

    public OpType type() {
        return type;
    }

    public Operator type(OpType type, int builtinCode) {
        this.type = type;
        this.builtinCode = builtinCode;
        return this;
    }

    /** The TFLite builtin operator code (meaningful for every type but {@link OpType#CUSTOM}). */
    public int builtinCode() {
        return builtinCode;
    }

    /** The custom code of a {@link OpType#CUSTOM} op, else null. */
    public String customCode() {
        return customCode;
    }

    public Operator customCode(String code) {
        this.customCode = code;
        return this;
    }

    /** Operator version as in the model's operator codes. */
    public int version() {
        return version;
    }

    public Operator version(int version) {
        this.version = version;
        return this;
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int input(int i) {
        return i < inputs.length ? inputs[i] : -1;
    }

    public int inputCount() {
        return inputs.length;
    }

    public Operator inputs(int[] inputs) {
        this.inputs = inputs.clone();
        return this;
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public int output(int i) {
        return outputs[i];
    }

    public int outputCount() {
        return outputs.length;
    }

    public Operator outputs(int[] outputs) {
        this.outputs = outputs.clone();
        return this;
    }

    public int[] intermediates() {
        return intermediates.clone();
    }

    public Operator intermediates(int[] intermediates) {
        this.intermediates = intermediates.clone();
        return this;
    }

    /** Builtin options; null when the op has none. */
    public OpOptions options() {
        return options;
    }

    public Operator options(OpOptions options) {
        this.options = options;
        return this;
    }

    /** The options cast to the expected record type, failing with a clear message when they are absent or other. */
    public <T extends OpOptions> T options(Class<T> kind) {
        if (!kind.isInstance(options)) {
            throw new IllegalStateException(
                    displayName() + " has options " + options + ", expected " + kind.getSimpleName());
        }
        return kind.cast(options);
    }

    /** Raw custom options bytes (flexbuffer for most custom ops), or null. */
    public byte[] customOptions() {
        return customOptions;
    }

    public Operator customOptions(byte[] bytes) {
        this.customOptions = bytes;
        return this;
    }

    /** The name users know the op by: the builtin name, or the custom code. */
    public String displayName() {
        return switch (type) {
            case CUSTOM -> "CUSTOM(" + customCode + ")";
            case OTHER -> "BUILTIN_" + builtinCode;
            default -> type.name();
        };
    }

    @Override
    public String toString() {
        return displayName() + " v" + version + " in=" + Arrays.toString(inputs) + " out=" + Arrays.toString(outputs);
    }
}
