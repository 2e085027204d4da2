package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives the launcher passes to every engine JVM: a file HotSpot cannot parse stops the JVM before
 * main, so the file is loaded here by the same JDK the tests run on, as the launcher loads it.
 */
class CompilerDirectivesTest {
    @Test
    void theLauncherDirectivesLoad() throws Exception {
        Path file = Path.of("src/main/jvm/compiler-directives.json").toAbsolutePath();
        assertTrue(Files.isRegularFile(file), file + " missing");
        assertTrue(Files.readString(Path.of("quanta")).contains("src/main/jvm/compiler-directives.json"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:CompilerDirectivesFile=" + file,
                        "-XX:+DisplayVMOutputToStderr",
                        "-version"))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals(0, out.length, "nothing on stdout: " + new String(out));
        // The launcher filters exactly this line from stderr.
        assertTrue(err.lines().anyMatch("1 compiler directives added"::equals), err);
    }
}
