package io.quanta.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command line in-process and captures what a user would see. */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
        /**
         * The stderr lines but the datasets' preparation lines, which a run prints before it can fail later (a user
         * error must be exactly one).
         */
        List<String> errLines() {
            return allErrLines().stream()
                    .filter(l -> !l.matches("quanta [a-z]+: dataset .*"))
                    .toList();
        }

        /** Every stderr line. */
        List<String> allErrLines() {
            return err.isEmpty()
                    ? List.of()
                    : List.of(err.split("\n", -1))
                            .subList(0, err.split("\n", -1).length - (err.endsWith("\n") ? 1 : 0));
        }

        /** The datasets' preparation lines on stderr. */
        List<String> datasetLines() {
            return allErrLines().stream()
                    .filter(l -> l.matches("quanta [a-z]+: dataset .*"))
                    .toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliRunner() {}

    static Result run(Main main, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // As the quanta command builds it: with only the command the arguments name.
        int code = Main.commandLine(main, args)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
