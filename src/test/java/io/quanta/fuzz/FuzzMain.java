package io.quanta.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The long fuzz run (scripts/fuzz.sh): {@code FuzzMain <target> <mutations> <seed> <timeoutMs> <failureDir>}.
 * Prints counts by outcome, the peak heap, and writes each bug's input to the failure directory.
 */
public final class FuzzMain {
    private FuzzMain() {}

    public static void main(String[] args) throws IOException {
        String targetName = args[0];
        long n = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        long timeout = Long.parseLong(args[3]);
        Path failures = Path.of(args[4]);
        Files.createDirectories(failures);
        FuzzTarget target = Targets.byName(targetName);
        List<Mutator.Seed> seeds = Targets.seeds(targetName);
        FuzzRunner runner = new FuzzRunner(timeout);
        long started = System.nanoTime();
        long chunk = Math.max(1, n / 20);
        Map<String, Long> total = new java.util.TreeMap<>();
        long bugs = 0;
        for (long done = 0; done < n; done += chunk) {
            long size = Math.min(chunk, n - done);
            FuzzRunner.Counts c = runner.run(target, new Mutator(seed + done, seeds), seeds, size, f -> {
                try {
                    Path file = failures.resolve(
                            f.target() + "-" + f.seed() + "-" + f.index() + "-" + System.nanoTime() + ".bin");
                    Files.write(file, f.input());
                    System.out.println("  " + f.outcome() + " <- " + f.seed() + " (" + file.getFileName() + ")");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            c.byOutcome().forEach((k, v) -> total.merge(k, v, Long::sum));
            bugs += c.bugs();
            System.out.printf(
                    "%s: %d/%d mutations, %d bugs, %.0f s, heap in use at most %d MiB, live at most %d MiB%n",
                    targetName,
                    done + size,
                    n,
                    bugs,
                    (System.nanoTime() - started) / 1e9,
                    runner.peakHeapUsed() >> 20,
                    runner.peakLiveHeap() >> 20);
        }
        runner.close();
        System.out.println(
                "== " + targetName + ": " + n + " mutations in " + Math.round((System.nanoTime() - started) / 1e9)
                        + " s; max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, model memory limit "
                        + (io.quanta.graph.GraphValidator.memoryLimit() >> 20) + " MiB; heap in use at most "
                        + (runner.peakHeapUsed() >> 20) + " MiB, live after GC at most " + (runner.peakLiveHeap() >> 20)
                        + " MiB");
        total.forEach((k, v) -> System.out.printf("   %8d  %s%n", v, k));
        System.exit(bugs == 0 ? 0 : 1);
    }
}
