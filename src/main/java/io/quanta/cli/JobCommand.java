package io.quanta.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code quanta job ...}: QuantizationJob runs, in an engine pod ({@code step}) or on this machine ({@code run}). */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description =
                "Run a QuantizationJob: 'step' is what the operator's engine pod runs, 'run' runs a manifest locally.",
        subcommands = {JobStepCommand.class, JobRunCommand.class})
public final class JobCommand implements Runnable {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new UserException("job: give a subcommand (step or run)");
    }
}
