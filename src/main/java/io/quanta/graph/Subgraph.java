package io.quanta.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A subgraph: its tensors, operators in execution order, and which tensors are its inputs and outputs. */
public final class Subgraph {
    private String name;
    private final List<Tensor> tensors;
    private final List<Operator> operators;
    private int[] inputs;
    private int[] outputs;

    public Subgraph(String name, List<Tensor> tensors, List<Operator> operators, int[] inputs, int[] outputs) {
        this.name = name == null ? "" : name;
        this.tensors = new ArrayList<>(tensors);
        this.operators = new ArrayList<>(operators);
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
    }

    /** A deep copy: tensors and operators are copied (constant bytes are shared, they are never mutated). */
    public Subgraph copy() {
        List<Tensor> ts = new ArrayList<>(tensors.size());
        tensors.forEach(t -> ts.add(t.copy()));
        List<Operator> ops = new ArrayList<>(operators.size());
        operators.forEach(o -> ops.add(o.copy()));
        return new Subgraph(name, ts, ops, inputs, outputs);
    }

    public String name() {
        return name;
    }

    public Subgraph name(String name) {
        this.name = name;
        return this;
    }

    /** The tensors, mutable: index i is tensor i. */
    public List<Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(int index) {
        return tensors.get(index);
    }

    /** Adds a tensor and returns its index. */
    public int addTensor(Tensor t) {
        tensors.add(t);
        return tensors.size() - 1;
    }

    /** The operators in execution order, mutable. */
    public List<Operator> operators() {
        return operators;
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public Subgraph inputs(int[] inputs) {
        this.inputs = inputs.clone();
        return this;
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public Subgraph outputs(int[] outputs) {
        this.outputs = outputs.clone();
        return this;
    }

    public Tensor inputTensor(int i) {
        return tensors.get(inputs[i]);
    }

    public Tensor outputTensor(int i) {
        return tensors.get(outputs[i]);
    }

    /** Index of the tensor with this name, or -1. */
    public int tensorIndex(String tensorName) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(tensorName)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Subgraph[" + name + ", " + tensors.size() + " tensors, " + operators.size() + " ops, in="
                + Arrays.toString(inputs) + " out=" + Arrays.toString(outputs) + "]";
    }
}
