package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CeilingProbeTest {
    @Test
    void measuresPositiveFiniteCeilingsForTheThreadsAsked() {
        Ceilings c = Ceilings.measure(2);
        assertEquals(2, c.threads());
        for (double v : new double[] {c.fmaGflops(), c.cacheGbs(), c.dramGbs()}) {
            assertTrue(v > 0 && Double.isFinite(v), "ceiling " + v);
        }
        assertTrue(c.describe().contains("measured now"), c.describe());
    }
}
