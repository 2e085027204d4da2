package io.quanta.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The short fuzz budget of the normal build: seeded mutants of every shared model end in a run or a typed user
 * error, nothing else. scripts/fuzz.sh runs the long one (and reuses the classpath this test records).
 */
class ModelFuzzTest {
    private static final int MUTATIONS = 1500;

    @Test
    void mutantsOfTheSharedModelsRunOrFailWithATypedError() throws Exception {
        Files.writeString(Path.of("target/fuzz-classpath.txt"), System.getProperty("java.class.path"));
        fuzz(new ModelTarget(), ModelTarget.seeds(), 20261204, MUTATIONS);
    }

    static void fuzz(FuzzTarget target, List<Mutator.Seed> seeds, long seed, int n) {
        FuzzRunner runner = new FuzzRunner(60_000);
        try {
            FuzzRunner.Counts counts = runner.run(target, new Mutator(seed, seeds), seeds, n, f -> {});
            String bugs = counts.failures().stream()
                    .map(f -> f.seed() + " #" + f.index() + ": " + f.outcome() + " " + f.error())
                    .collect(Collectors.joining("\n"));
            assertEquals(0, counts.bugs(), "mutants ending in a bug:\n" + bugs);
            // The mutants must reach past the reader: some run, some are refused by validation or the kernels.
            assertTrue(
                    counts.byOutcome().getOrDefault("ok", 0L) > 0,
                    counts.byOutcome().toString());
        } finally {
            runner.close();
        }
    }
}
