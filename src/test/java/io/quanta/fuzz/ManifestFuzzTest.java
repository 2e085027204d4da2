package io.quanta.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The short fuzz budget of the manifest reader: mutants of the examples read or are refused with one line. */
class ManifestFuzzTest {
    private static final int MUTATIONS = 500;

    @Test
    void mutantsOfTheExamplesReadOrAreRefusedWithATypedError() {
        List<Mutator.Seed> seeds = ManifestTarget.seeds();
        FuzzRunner runner = new FuzzRunner(60_000);
        try {
            FuzzRunner.Counts counts =
                    runner.run(new ManifestTarget(), new Mutator(20261204, seeds), seeds, MUTATIONS, f -> {});
            String bugs = counts.failures().stream()
                    .map(f -> f.seed() + " #" + f.index() + ": " + f.outcome() + " " + f.error())
                    .collect(Collectors.joining("\n"));
            assertEquals(0, counts.bugs(), "manifest mutants ending in a bug:\n" + bugs);
            // Both outcomes occur: the mutations reach the checks and leave some manifests intact.
            assertTrue(
                    counts.byOutcome().getOrDefault("ok", 0L) > 0
                            && counts.byOutcome().getOrDefault("ManifestException", 0L) > 0,
                    counts.byOutcome().toString());
        } finally {
            runner.close();
        }
    }
}
