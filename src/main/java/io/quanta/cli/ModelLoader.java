package io.quanta.cli;

import io.quanta.graph.Model;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a model file into the graph API. The commands take one so tests can hand them models built in memory. */
@FunctionalInterface
public interface ModelLoader {
    Model load(Path file) throws IOException;
}
