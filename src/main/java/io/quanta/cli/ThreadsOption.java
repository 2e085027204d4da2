package io.quanta.cli;

import picocli.CommandLine.Option;

/** {@code --threads N}, shared by the commands that run models over samples. */
final class ThreadsOption {
    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "0",
            description = "Worker threads running samples, each with its own interpreter (default: every processor "
                    + "Java sees, which in a container is its CPU limit). Results do not depend on it.")
    int threads;

    /** The requested count, checked: 0 means every processor. */
    int get() {
        if (threads < 0) {
            throw new UserException("--threads must be 1 or more (or 0 for every processor), not " + threads);
        }
        return threads;
    }
}
