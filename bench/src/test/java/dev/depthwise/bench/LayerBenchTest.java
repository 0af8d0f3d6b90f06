package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerBenchTest {
    @Test
    void relativeErrorIsTheWorstDifferenceOverTheLargestValue() {
        assertEquals(0.5 / 4, LayerBench.relativeError(new float[] {1, 2, -3.5f}, new float[] {1, 2, -4}), 1e-12);
        assertEquals(0, LayerBench.relativeError(new float[] {0, 0}, new float[] {0, 0}));
        assertTrue(Double.isNaN(LayerBench.relativeError(new float[] {Float.NaN, 1}, new float[] {1, 1})));
        assertTrue(Double.isNaN(LayerBench.relativeError(new float[] {1, Float.NaN}, new float[] {1, 1})),
                "a NaN after the first element is not lost");
        assertEquals(Double.POSITIVE_INFINITY, LayerBench.relativeError(new float[2], new float[3]));
    }

    @Test
    void autoRotationCyclesThroughEightMegabytesAtMostSixtyFourBuffers() {
        LayerBench auto = new LayerBench(null, new LayerBench.Settings(1, 1, 1, 0, 1, 0, 0, true, 1), null);
        // 112x112x32 in and out: 3.2 MB a buffer -> 3 buffers
        assertEquals(3, auto.buffers(Layer.dw(112, 112, 32, 1)));
        assertEquals(64, auto.buffers(Layer.dw(8, 8, 16, 1)));
        LayerBench batch8 = new LayerBench(null, new LayerBench.Settings(8, 1, 1, 0, 1, 0, 0, true, 1), null);
        assertEquals(1, batch8.buffers(Layer.dw(112, 112, 96, 2)));
        LayerBench fixed = new LayerBench(null, new LayerBench.Settings(1, 1, 1, 0, 1, 5, 0, true, 1), null);
        assertEquals(5, fixed.buffers(Layer.dw(112, 112, 32, 1)));
    }

    /** A side that only notes its calls. */
    private record Noting(int id, List<Integer> calls) implements Side {
        @Override
        public void run(int buffer) {
            calls.add(id);
        }

        @Override
        public float[] outputNchw(int buffer) {
            return new float[0];
        }
    }

    @Test
    void phasesTakeTurnsAndEverySideGetsItsRounds() throws Exception {
        int reps = 20;
        LayerBench bench = new LayerBench(null, new LayerBench.Settings(1, 2, reps, 0, 60, 0, 0, true, 1), null);
        List<Integer> calls = new ArrayList<>();
        LayerBench.Timed t = bench.timePhases(new Side[] {new Noting(0, calls), new Noting(1, calls)}, 3);
        int phase = reps / LayerBench.PHASE_CYCLES;
        for (int side = 0; side < 2; side++) {
            assertEquals(reps, t.counts()[side]);
            for (int r = 0; r < reps; r++) {
                assertTrue(t.us()[side][r] > 0, "round " + r + " of side " + side + " timed");
            }
        }
        // every phase a run of one side's calls (the settling calls, then its share of the rounds), the
        // sides taking turns
        List<Integer> phases = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            if (i == 0 || !calls.get(i).equals(calls.get(i - 1))) {
                phases.add(calls.get(i));
                lengths.add(0);
            }
            lengths.set(lengths.size() - 1, lengths.getLast() + 1);
        }
        assertEquals(2 * LayerBench.PHASE_CYCLES, phases.size());
        for (int p = 0; p < phases.size(); p++) {
            assertEquals(p % 2, phases.get(p), "phase " + p);
        }
        for (int length : lengths) {
            assertTrue(length >= LayerBench.SETTLE_ROUNDS + phase, "a phase has " + length + " calls");
        }
    }
}
