package io.quanta.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SampleBlocksTest {
    /** Values whose double sum depends on the grouping: 1e16 swallows a 1 added to it alone. */
    private static double value(int s) {
        return s % 3 == 0 ? 1e16 : s % 3 == 1 ? 1.0 : -1e16 + 3.0;
    }

    private static double sum(int samples, int threads) {
        Double r = SampleBlocks.run(
                samples,
                threads,
                Object::new,
                (w, from, to, done) -> {
                    double partial = 0;
                    for (int s = from; s < to; s++) {
                        partial += value(s);
                        done.run();
                    }
                    return partial;
                },
                Double::sum,
                null);
        return r;
    }

    @Test
    void floatingPointSumsAreTheSameForAnyThreadCount() {
        for (int samples : new int[] {1, 5, 37, 1000}) {
            double one = sum(samples, 1);
            for (int threads = 2; threads <= 5; threads++) {
                assertEquals(Double.doubleToLongBits(one), Double.doubleToLongBits(sum(samples, threads)));
            }
        }
    }

    @Test
    void blockOrderIsTheSampleOrder() {
        for (int threads = 1; threads <= 4; threads++) {
            List<Integer> order = SampleBlocks.run(
                    23,
                    threads,
                    Object::new,
                    (w, from, to, done) -> {
                        List<Integer> l = new ArrayList<>();
                        for (int s = from; s < to; s++) l.add(s);
                        return l;
                    },
                    (a, b) -> {
                        a.addAll(b);
                        return a;
                    },
                    null);
            assertEquals(23, order.size());
            for (int k = 0; k < 23; k++) {
                assertEquals(k, order.get(k));
            }
        }
    }

    @Test
    void oneWorkerPerThreadAndProgressCountsEverySample() {
        AtomicInteger workers = new AtomicInteger();
        List<Integer> seen = new ArrayList<>();
        SampleBlocks.run(
                50,
                3,
                workers::incrementAndGet,
                (w, from, to, done) -> {
                    for (int s = from; s < to; s++) done.run();
                    return 0;
                },
                Integer::sum,
                (done, total) -> {
                    assertEquals(50, total);
                    seen.add(done);
                });
        assertTrue(workers.get() >= 1 && workers.get() <= 3, workers.get() + " workers");
        assertEquals(50, seen.size());
        for (int k = 0; k < 50; k++) {
            assertEquals(k + 1, seen.get(k));
        }
    }

    @Test
    void noSamplesGiveNothing() {
        assertNull(SampleBlocks.run(0, 2, Object::new, (w, f, t, d) -> 1, Integer::sum, null));
    }

    @Test
    void aWorkersFailureComesOutAsItWas() {
        IllegalStateException boom = new IllegalStateException("sample 9 is bad");
        for (int threads = 1; threads <= 3; threads++) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> SampleBlocks.run(
                            40,
                            3,
                            Object::new,
                            (w, from, to, done) -> {
                                if (from <= 9 && 9 < to) throw boom;
                                return 0;
                            },
                            Integer::sum,
                            null));
            assertSame(boom, e);
        }
    }

    @Test
    void threadsDefaultToTheProcessors() {
        assertEquals(Runtime.getRuntime().availableProcessors(), SampleBlocks.threads(0));
        assertEquals(3, SampleBlocks.threads(3));
    }
}
