package io.quanta.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed flatbuffers classes are what flatc 2.0.8 makes of src/main/fbs/tflite_schema.fbs. Where flatc 2.0.8
 * is installed (scripts/test-all.sh installs it on Debian) the schema is compiled again and compared file by file;
 * everywhere the digests recorded by scripts/gen-flatbuffers.sh must match, so neither side can change alone.
 */
class GeneratedSchemaTest {
    private static final Path SCHEMA = Path.of("src/main/fbs/tflite_schema.fbs");
    private static final Path GENERATED = Path.of("src/main/java/io/quanta/tflite/schema");
    private static final Path RECORDED = Path.of("src/main/fbs/tflite_schema.sha256");

    @Test
    void recordedDigestsMatchSchemaAndGeneratedSources() throws IOException {
        List<String> recorded = Files.readAllLines(RECORDED, StandardCharsets.UTF_8);
        assertEquals(
                List.of("schema " + sha256(Files.readAllBytes(SCHEMA)), "generated " + digest(files(GENERATED))),
                recorded.subList(0, 2),
                "src/main/fbs/tflite_schema.fbs or the generated classes changed alone: run scripts/gen-flatbuffers.sh");
    }

    @Test
    void flatcRegeneratesTheCommittedClasses(@TempDir Path tmp) throws Exception {
        assumeTrue(flatcVersion().equals("2.0.8"), "flatc 2.0.8 is not installed; the recorded digests still check");
        Process p = new ProcessBuilder("flatc", "--java", "-o", tmp.toString(), SCHEMA.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Map<String, String> fresh = files(tmp.resolve("io/quanta/tflite/schema"));
        Map<String, String> committed = files(GENERATED);
        assertEquals(fresh.keySet(), committed.keySet());
        assertEquals(
                fresh, committed, "the committed classes differ from flatc's output: run scripts/gen-flatbuffers.sh");
    }

    private static String flatcVersion() {
        try {
            Process p = new ProcessBuilder("flatc", "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.replaceFirst("^flatc version ", "");
        } catch (IOException | InterruptedException e) {
            return "absent";
        }
    }

    /** File name → sha256 of its bytes, sorted by name. */
    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
                m.put(f.getFileName().toString(), sha256(Files.readAllBytes(f)));
            }
        }
        return m;
    }

    private static String digest(Map<String, String> files) {
        StringBuilder sb = new StringBuilder();
        files.forEach((name, sha) -> sb.append(name).append(' ').append(sha).append('\n'));
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
