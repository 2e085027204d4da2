package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.kernels.fp32.FloatKernels;
import org.junit.jupiter.api.Test;

class MainTest {
    private static Main failingWith(RuntimeException e) {
        return new Main(
                file -> {
                    throw e;
                },
                FloatKernels::registry);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        CliRunner.Result r = CliRunner.run(new Main(), "--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("quanta "), r.out());
    }

    @Test
    void unknownCommandOrOptionIsAOneLineUsageError() {
        CliRunner.Result r = CliRunner.run(new Main(), "frobnicate");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("quanta: Unmatched argument"), r.err());

        r = CliRunner.run(new Main(), "inspect", "--frob", "m.tflite");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("Unknown option: '--frob'") && r.err().contains("quanta inspect --help"), r.err());
    }

    @Test
    void userErrorsExitTwoWithoutTrace() {
        CliRunner.Result r = CliRunner.run(failingWith(new UserException("bad\nthing")), "inspect", "m.tflite");
        assertEquals(2, r.exitCode());
        assertEquals("quanta: bad thing\n", r.err());
    }

    @Test
    void internalErrorsExitOneWithAHintAndVerboseAddsTheTrace() {
        CliRunner.Result r = CliRunner.run(failingWith(new IllegalStateException("boom")), "inspect", "m.tflite");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("quanta: internal error: java.lang.IllegalStateException: boom"), r.err());
        assertTrue(r.err().contains("--verbose"), r.err());

        for (String[] args :
                new String[][] {{"--verbose", "inspect", "m.tflite"}, {"inspect", "--verbose", "m.tflite"}}) {
            CliRunner.Result v = CliRunner.run(failingWith(new IllegalStateException("boom")), args);
            assertEquals(1, v.exitCode());
            assertTrue(v.errLines().size() > 3, v.toString());
            assertTrue(v.err().contains("\tat io.quanta.cli."), v.err());
        }
    }

    @Test
    void noCommandShowsUsageAndFails() {
        CliRunner.Result r = CliRunner.run(new Main());
        assertEquals(2, r.exitCode());
        assertTrue(
                r.err().contains("Commands:")
                        && r.err().contains("inspect")
                        && r.err().contains("run"),
                r.err());
        assertTrue(r.err().endsWith("quanta: no command given\n"), r.err());
    }

    @Test
    void aCommandLineForNamedArgumentsHoldsOnlyThatCommand() {
        assertEquals("quantize", Main.commandName("--max-memory", "1g", "--verbose", "quantize", "m.tflite"));
        assertEquals(null, Main.commandName("--version"));
        assertEquals(
                java.util.Set.of("run"),
                Main.commandLine(new Main(), "run", "m.tflite").getSubcommands().keySet());
        assertEquals(
                java.util.Set.of("step", "run"),
                Main.commandLine(new Main(), "job", "step")
                        .getSubcommands()
                        .get("job")
                        .getSubcommands()
                        .keySet());
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "run"}, {"frobnicate"}}) {
            assertEquals(
                    Main.commandLine(new Main()).getSubcommands().keySet(),
                    Main.commandLine(new Main(), args).getSubcommands().keySet(),
                    String.join(" ", args));
        }
        assertTrue(Main.commandLine(new Main())
                .getSubcommands()
                .keySet()
                .containsAll(java.util.List.of(
                        "inspect", "run", "quantize", "analyze", "eval", "report", "job", "operator", "help")));
    }
}
