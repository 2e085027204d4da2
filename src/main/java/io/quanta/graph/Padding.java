package io.quanta.graph;

public enum Padding {
    SAME,
    VALID
}
