package io.quanta.cli;

import io.quanta.graph.GraphValidator;
import io.quanta.graph.Model;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int8.Int8Kernels;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code quanta} command line. Engine commands run without any framework boot so that they start fast;
 * a command that needs the operator runtime boots it itself.
 */
@Command(
        name = "quanta",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Post-training int8 quantization of TensorFlow Lite models.",
        // Engine commands run without Quarkus; only the operator command boots it. The subcommands are added by
        // commandLine (COMMANDS).
        subcommands = {})
public final class Main implements Runnable {
    /** The subcommands, in the order usage lists them. */
    private static final List<Class<?>> COMMANDS = List.of(
            InspectCommand.class,
            RunCommand.class,
            CalibrateCommand.class,
            QuantizeCommand.class,
            AnalyzeCommand.class,
            EvalCommand.class,
            MergeCommand.class,
            ReportCommand.class,
            JobCommand.class,
            OperatorCommand.class,
            HelpCommand.class);

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace after the message.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Sets the process-wide limit graph validation checks every model's tensors against before allocating. */
    @Option(
            names = "--max-memory",
            scope = ScopeType.INHERIT,
            paramLabel = "SIZE",
            description = "Most memory a model's tensors may take (e.g. 512m, 2g); a model needing more is refused"
                    + " before anything is allocated. Default: QUANTA_MAX_MEMORY if set (pods set it from their"
                    + " memory limit), else half the Java heap.")
    void maxMemory(String size) {
        try {
            GraphValidator.setMemoryLimit(GraphValidator.parseSize(size));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-memory: " + e.getMessage());
        }
    }

    private final ModelLoader loader;
    private final Supplier<KernelRegistry> kernels;
    private final java.util.Map<String, String> environment;

    public Main() {
        this(ModelFiles::read, () -> FloatKernels.registry().with(Int8Kernels.registry()));
    }

    /** A command line that reads this environment instead of the process's (tests of job step and storage). */
    public Main(java.util.Map<String, String> environment) {
        this(ModelFiles::read, () -> FloatKernels.registry().with(Int8Kernels.registry()), environment);
    }

    /**
     * A command line whose commands read models with the given loader and run them with the given kernels
     * (tests hand in models built in memory and kernels of their own).
     */
    public Main(ModelLoader loader, Supplier<KernelRegistry> kernels) {
        this(loader, kernels, System.getenv());
    }

    private Main(ModelLoader loader, Supplier<KernelRegistry> kernels, java.util.Map<String, String> environment) {
        this.loader = loader;
        this.kernels = kernels;
        this.environment = java.util.Map.copyOf(environment);
        String limit = environment.get("QUANTA_MAX_MEMORY");
        if (limit != null && !limit.isBlank()) {
            try {
                GraphValidator.setMemoryLimit(GraphValidator.parseSize(limit));
            } catch (IllegalArgumentException e) {
                throw new UserException("QUANTA_MAX_MEMORY: " + e.getMessage());
            }
        }
    }

    /** The environment variables commands read (AWS_*, QUANTA_*). */
    java.util.Map<String, String> environment() {
        return environment;
    }

    /** The kernel set that {@code run} executes models with. */
    KernelRegistry kernels() {
        return kernels.get();
    }

    @Override
    public void run() {
        // No command given: show what there is, and fail so scripts notice.
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new UserException("no command given");
    }

    /** The configured command line with every command: error handling and exit codes as in {@link ErrorReporter}. */
    public static CommandLine commandLine(Main main) {
        return commandLine(main, COMMANDS);
    }

    /**
     * The configured command line for these arguments: with only the command they name, or with every command when
     * they name none (no command, --help, help, a mistyped name). Picocli reflects over every option of every
     * command it is given, which was most of a short run's start-up; a run needs only its own command.
     */
    public static CommandLine commandLine(Main main, String... args) {
        String name = commandName(args);
        for (Class<?> command : COMMANDS) {
            if (command != HelpCommand.class
                    && command.getAnnotation(Command.class).name().equals(name)) {
                return commandLine(main, List.of(command));
            }
        }
        return commandLine(main);
    }

    private static CommandLine commandLine(Main main, List<Class<?>> commands) {
        CommandLine line = new CommandLine(main);
        for (Class<?> command : commands) {
            line.addSubcommand(command);
        }
        // Set after the subcommands were added: picocli passes these settings to the commands it has at the time.
        ErrorReporter errors = new ErrorReporter();
        return line.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }

    /** The first argument that is neither an option of the top-level command nor an option's value, or null. */
    static String commandName(String... args) {
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (a.equals("--max-memory")) {
                k++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine(new Main(), args).execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes Exceptions to the handler; an Error escapes to here.
            ErrorReporter.Failure f = ErrorReporter.classify(e);
            ErrorReporter.report(new PrintWriter(System.err), f.message(), null);
            code = f.exitCode();
        }
        System.exit(code);
    }

    /** For commands: the model at this path, via this command line's loader. */
    Model loadModel(java.nio.file.Path file) throws java.io.IOException {
        return loader.load(file);
    }
}
