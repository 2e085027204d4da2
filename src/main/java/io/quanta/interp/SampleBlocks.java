package io.quanta.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * Runs samples {@code [0, n)} on worker threads, each with its own state (its own interpreters), and combines
 * what they found so that the result never depends on the number of threads. Samples go in fixed-size blocks
 * that workers claim in turn; each block yields a partial result, and partials are merged strictly in block
 * order (a left fold), also on one thread. A floating-point sum therefore always adds the same block sums in the
 * same order; min/max and integer tallies would not need it, but they get it for free.
 *
 * <p>Partials are merged as soon as every block before them is done, so at most about one partial per worker is
 * held at a time: memory does not grow with the number of samples.
 */
public final class SampleBlocks {
    /** Samples per block. Fixed (never derived from the thread count), since the result depends on it. */
    public static final int BLOCK = 4;

    /**
     * Helper threads, kept between runs: a fresh thread per run paid its start, its thread-local buffers and cold
     * caches again in every run (measured on 16-sample calibration runs: about a sample's worth per worker per run).
     * Daemons, so an idle pool never holds the JVM up; idle ones end after a minute.
     */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger made = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "quanta-sample-worker-" + made.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    });

    private SampleBlocks() {}

    /** One block's work on one worker: samples {@code [from, to)}; {@code done} is told after each sample. */
    @FunctionalInterface
    public interface Block<W, P> {
        P run(W worker, int from, int to, Runnable sampleDone);
    }

    /** Told as samples finish: the count of finished samples, from 1 to the total (calls are serialized). */
    @FunctionalInterface
    public interface Progress {
        void samplesDone(int done, int total);
    }

    /**
     * Shard {@code index} of {@code count} of samples {@code [0, samples)}: the {@code [from, to)} of whole blocks
     * {@code [floor(index·B/count), floor((index+1)·B/count))} of the B blocks. The shards cover every sample once, in
     * order, and each starts at a block boundary, so a shard's blocks are exactly the blocks one pass would run
     * (a shard may be empty when there are fewer blocks than shards).
     */
    public static int[] shard(int samples, int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + ": need 0 <= index < count");
        }
        long blocks = (samples + (long) BLOCK - 1) / BLOCK;
        long fromBlock = index * blocks / count;
        long toBlock = (index + 1) * blocks / count;
        return new int[] {(int) Math.min(samples, fromBlock * BLOCK), (int) Math.min(samples, toBlock * BLOCK)};
    }

    /** The worker threads to use for {@code requested}: itself when positive, else every processor the JVM sees. */
    public static int threads(int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs every block of {@code [0, samples)} and returns the partials merged in block order (null when there are
     * no samples). The calling thread works too, beside {@code threads - 1} pooled helper threads. Each thread makes
     * its worker with {@code newWorker} when it claims its first block, so at most {@code threads} workers exist.
     * The first failure (by block order among those that ran) is rethrown as it was, and stops the others.
     */
    public static <W, P> P run(
            int samples,
            int threads,
            Supplier<W> newWorker,
            Block<W, P> block,
            BinaryOperator<P> merge,
            Progress progress) {
        int blocks = (samples + BLOCK - 1) / BLOCK;
        int workers = Math.max(1, Math.min(threads(threads), blocks));
        Run<W, P> run = new Run<>(samples, blocks, newWorker, block, merge, progress);
        // The caller is one of the workers: one thread fewer to hand work to, and nothing idle while it waits.
        List<Future<?>> helpers = new ArrayList<>();
        for (int k = 1; k < workers; k++) {
            helpers.add(POOL.submit(run::work));
        }
        run.work();
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.stop();
                } catch (ExecutionException e) {
                    break; // work() catches what a block throws; anything else already stopped the run
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return run.result();
    }

    /** The shared state of one run: the next block to claim, the merged prefix, partials waiting for it. */
    private static final class Run<W, P> {
        private final int samples;
        private final int blocks;
        private final Supplier<W> newWorker;
        private final Block<W, P> block;
        private final BinaryOperator<P> merge;
        private final Progress progress;
        private final AtomicInteger next = new AtomicInteger();
        private final Map<Integer, P> waiting = new HashMap<>();
        private int merged; // blocks folded into result
        private P result;
        private int done;
        private int failedBlock = Integer.MAX_VALUE;
        private Throwable failure;
        private volatile boolean stopped;

        Run(int samples, int blocks, Supplier<W> newWorker, Block<W, P> block, BinaryOperator<P> merge, Progress p) {
            this.samples = samples;
            this.blocks = blocks;
            this.newWorker = newWorker;
            this.block = block;
            this.merge = merge;
            this.progress = p;
        }

        void work() {
            W worker = null;
            while (!stopped) {
                int b = next.getAndIncrement();
                if (b >= blocks) {
                    return;
                }
                try {
                    if (worker == null) {
                        worker = newWorker.get();
                    }
                    int from = b * BLOCK;
                    P partial = block.run(worker, from, Math.min(samples, from + BLOCK), this::sampleDone);
                    finished(b, partial);
                } catch (RuntimeException | Error e) {
                    failed(b, e);
                    return;
                }
            }
        }

        private synchronized void sampleDone() {
            done++;
            if (progress != null) {
                progress.samplesDone(done, samples);
            }
        }

        private synchronized void finished(int b, P partial) {
            waiting.put(b, partial);
            while (waiting.containsKey(merged)) {
                P p = waiting.remove(merged);
                result = merged == 0 ? p : merge.apply(result, p);
                merged++;
            }
        }

        private synchronized void failed(int b, Throwable e) {
            if (b < failedBlock) {
                failedBlock = b;
                failure = e;
            }
            stopped = true;
        }

        void stop() {
            stopped = true;
        }

        synchronized P result() {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (merged != blocks) {
                throw new IllegalStateException("interrupted after " + merged + " of " + blocks + " sample blocks");
            }
            return result;
        }
    }
}
