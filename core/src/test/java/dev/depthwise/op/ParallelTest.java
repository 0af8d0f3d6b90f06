package dev.depthwise.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    /** Runs forRange and counts how often each index was visited. */
    private static AtomicIntegerArray visits(int threads, int n) {
        AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
        Parallel.forRange(threads, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        return seen;
    }

    @Test
    void everyIndexRunsExactlyOnceForAnyThreadCount() {
        for (int threads : new int[] {1, 2, 3, 5, 16}) {
            for (int n : new int[] {1, 2, 3, 7, 64, 1001}) {
                for (int round = 0; round < 20; round++) { // back to back: workers still spinning, or parked
                    AtomicIntegerArray seen = visits(threads, n);
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, seen.get(i), "threads " + threads + ", n " + n + ", index " + i);
                    }
                }
            }
        }
    }

    @Test
    void zeroItemsRunsTheBodyOnceOnAnEmptyRange() {
        List<int[]> calls = new ArrayList<>();
        Parallel.forRange(4, 0, (from, to) -> calls.add(new int[] {from, to}));
        assertEquals(1, calls.size());
        assertEquals(0, calls.get(0)[0]);
        assertEquals(0, calls.get(0)[1]);
    }

    @Test
    void aFailureInAnyRangeIsRethrownAfterAllFinish() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing = 0; failing < 4; failing++) {
            int f = failing;
            AtomicIntegerArray seen = new AtomicIntegerArray(4);
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                    Parallel.forRange(4, 4, (from, to) -> {
                        seen.incrementAndGet(from);
                        if (from == f) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
            for (int i = 0; i < 4; i++) {
                assertEquals(1, seen.get(i), "every range ran once, failing range " + f);
            }
        }
        assertThrows(AssertionError.class, () -> Parallel.forRange(2, 2, (from, to) -> {
            if (from == 1) {
                throw new AssertionError("error in a worker");
            }
        }));
    }

    @Test
    void nestedAndConcurrentCallsFinish() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ExecutorService callers = Executors.newFixedThreadPool(6);
            try {
                List<Future<Long>> sums = new ArrayList<>();
                for (int c = 0; c < 6; c++) {
                    sums.add(callers.submit(() -> {
                        long[] total = new long[8];
                        for (int round = 0; round < 50; round++) {
                            Parallel.forRange(4, 8, (from, to) -> {
                                for (int i = from; i < to; i++) {
                                    AtomicIntegerArray inner = visits(3, 100);
                                    long s = 0;
                                    for (int j = 0; j < 100; j++) {
                                        s += inner.get(j);
                                    }
                                    total[i] += s;
                                }
                            });
                        }
                        long s = 0;
                        for (long t : total) {
                            s += t;
                        }
                        return s;
                    }));
                }
                for (Future<Long> f : sums) {
                    assertEquals(50L * 8 * 100, f.get());
                }
            } finally {
                callers.shutdownNow();
            }
        });
    }
}
