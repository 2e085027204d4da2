package io.quanta.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --[no-]progress}, shared by the commands that report their stages ({@link StageProgress}). */
final class ProgressOption {
    @Option(
            names = "--progress",
            negatable = true,
            description = "Show (or never show) progress lines on stderr; by default on a terminal for long stages.")
    Boolean progress;

    /** The progress lines of {@code command} on its stderr, as the flag asks; close it when the stages end. */
    StageProgress onStderr(CommandSpec spec, String command) {
        return StageProgress.onStderr(spec, command, progress);
    }
}
