package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
