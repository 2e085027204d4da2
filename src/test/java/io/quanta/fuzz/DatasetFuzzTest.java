package io.quanta.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The short fuzz budget for each dataset reader: seeded mutants are read or refused with a typed error. */
class DatasetFuzzTest {
    private static final int MUTATIONS = 200;

    @ParameterizedTest
    @ValueSource(strings = {"npy", "npz", "idx", "image", "wav"})
    void mutantsAreReadOrRefusedWithATypedError(String format) {
        List<Mutator.Seed> seeds = DatasetTarget.seeds(format);
        FuzzRunner runner = new FuzzRunner(60_000);
        try {
            FuzzRunner.Counts counts =
                    runner.run(new DatasetTarget(format), new Mutator(20261204, seeds), seeds, MUTATIONS, f -> {});
            String bugs = counts.failures().stream()
                    .map(f -> f.seed() + " #" + f.index() + ": " + f.outcome() + " " + f.error())
                    .collect(Collectors.joining("\n"));
            assertEquals(0, counts.bugs(), format + " mutants ending in a bug:\n" + bugs);
        } finally {
            runner.close();
        }
    }
}
