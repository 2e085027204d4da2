package io.quanta.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a target over mutants, each on a worker thread with a time limit, and counts outcomes: "ok", the simple
 * name of a typed user error, or "BUG ..." for anything else (an unexpected exception, an error, a hang, a typed
 * error whose message is not one line or names a Java class).
 */
public final class FuzzRunner {
    /** A mutant that ended in a bug, with what happened. */
    public record Failure(String target, String seed, long index, String outcome, Throwable error, byte[] input) {}

    /** Outcome counts, in name order. */
    public record Counts(Map<String, Long> byOutcome, List<Failure> failures) {
        public long bugs() {
            return byOutcome.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("BUG"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }
    }

    private final long timeoutMillis;
    private ExecutorService worker = newWorker();
    private Thread current;

    public FuzzRunner(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            current = t;
            return t;
        });
    }

    /** Classifies one input: "ok", a user error's simple name, or "BUG: ...". */
    public Outcome classify(FuzzTarget target, byte[] input) {
        Future<?> f = worker.submit(() -> {
            target.run(input);
            return null;
        });
        try {
            f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return new Outcome("ok", null);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (target.isUserError(t) && !isUserMessage(t.getMessage())) {
                return new Outcome("BUG message of " + t.getClass().getSimpleName() + " not for users", t);
            }
            if (target.isUserError(t)) {
                // The cause tells refusals apart: the reader's own checks, graph validation, a decoder's exception.
                Throwable c = t.getCause();
                return new Outcome(
                        t.getClass().getSimpleName()
                                + (c == null || c.getClass() == t.getClass()
                                        ? ""
                                        : " <- " + c.getClass().getSimpleName()),
                        t);
            }
            return new Outcome("BUG " + t.getClass().getSimpleName() + " at " + where(t), t);
        } catch (TimeoutException e) {
            f.cancel(true);
            abandonWorker();
            return new Outcome("BUG hang over " + timeoutMillis + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void abandonWorker() {
        Thread stuck = current;
        worker.shutdownNow();
        worker = newWorker();
        try {
            stuck.stop(); // a hung kernel never checks interruption; free the core for the next inputs
        } catch (UnsupportedOperationException ignored) {
            // newer JDKs: the daemon thread stays behind
        }
    }

    /**
     * A typed error's message must be fit for users too: no Java class names. Line breaks are taken as the CLI
     * prints them (as spaces): a mutated model may name its tensors with them, and the message quotes names.
     * What a message quotes is the user's own text (a manifest's field path "spec.quantization.Mode", a tensor
     * name), not a class name, so quoted parts are left out of the class-name check.
     */
    static boolean isUserMessage(String m) {
        try {
            io.quanta.testing.Refusals.assertOneLineUserMessage(
                    m == null ? null : m.replace('\n', ' ').replace('\r', ' ').replaceAll("\"[^\"]*\"", "\"\""));
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** What one input did. */
    public record Outcome(String name, Throwable error) {
        public boolean isBug() {
            return name.startsWith("BUG");
        }
    }

    private static String where(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.quanta")) {
                return e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName() + ":"
                        + e.getLineNumber();
            }
        }
        StackTraceElement[] st = t.getStackTrace();
        return st.length == 0 ? "?" : st[0].toString();
    }

    /** Runs n mutants of the seeds (round robin), reporting each bug to the sink. */
    public Counts run(FuzzTarget target, Mutator mutator, List<Mutator.Seed> seeds, long n, Consumer<Failure> sink) {
        Map<String, Long> counts = new TreeMap<>();
        List<Failure> failures = new ArrayList<>();
        if (!warmed) {
            // Class loading and the JIT's first compilations land on the first inputs: on a busy machine that alone
            // can pass the time limit, which says nothing about the input. The seeds themselves warm up, uncounted.
            seeds.forEach(seed -> classify(target, seed.bytes()));
            warmed = true;
        }
        for (long i = 0; i < n; i++) {
            Mutator.Seed seed = seeds.get((int) (i % seeds.size()));
            byte[] input = mutator.mutate(seed);
            Outcome o = classify(target, input);
            sampleHeap();
            counts.merge(o.name(), 1L, Long::sum);
            if (o.isBug()) {
                Failure f = new Failure(target.name(), seed.name(), i, o.name(), o.error(), input);
                failures.add(f);
                sink.accept(f);
            }
        }
        return new Counts(counts, failures);
    }

    private boolean warmed;
    private long peakUsed;
    private long peakLive;

    /** Samples the heap after an input: all of it in use, and what the last collections left alive. */
    private void sampleHeap() {
        peakUsed = Math.max(
                peakUsed,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        long live = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                live += p.getCollectionUsage().getUsed();
            }
        }
        peakLive = Math.max(peakLive, live);
    }

    /** The most heap in use seen after any input (garbage included), in bytes. */
    public long peakHeapUsed() {
        return peakUsed;
    }

    /** The most heap that survived a collection (the live set) seen so far, in bytes. */
    public long peakLiveHeap() {
        return peakLive;
    }

    public void close() {
        worker.shutdownNow();
    }
}
