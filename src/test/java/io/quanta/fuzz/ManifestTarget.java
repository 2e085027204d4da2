package io.quanta.fuzz;

import io.quanta.job.ManifestException;
import io.quanta.job.ManifestReader;
import io.quanta.operator.api.QuantizationJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The manifest reader of {@code quanta job run}, fed a mutant through a file. */
public final class ManifestTarget implements FuzzTarget {
    private final Path file;

    public ManifestTarget() {
        try {
            Path dir = Files.createTempDirectory("quanta-fuzz-");
            dir.toFile().deleteOnExit();
            file = dir.resolve("job.yaml");
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "manifest";
    }

    @Override
    public void run(byte[] input) throws IOException {
        Files.write(file, input);
        ManifestReader.readYaml(file, QuantizationJob.class);
    }

    @Override
    public boolean isUserError(Throwable t) {
        return t instanceof ManifestException;
    }

    /** The example manifests of the repository. */
    public static List<Mutator.Seed> seeds() {
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            return s.filter(p -> p.toString().endsWith(".yaml"))
                    .sorted()
                    .map(p -> {
                        try {
                            return Mutator.Seed.whole(p.getFileName().toString(), Files.readAllBytes(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
