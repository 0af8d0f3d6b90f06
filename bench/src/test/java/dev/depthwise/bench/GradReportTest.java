package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.bench.LayerResult.Timing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradReportTest {
    private static final GradResult.Errors OK = new GradResult.Errors(1e-7, 2e-7, 3e-7, 4e-7, 0);

    private static GradResult row(Layer l, double fNhwc, double fNchw, double bNhwc, double bNchw, double dFwd,
                                  double dBwd) {
        return new GradResult(l, t(fNhwc), t(fNchw), t(bNhwc), t(bNchw), t(dFwd), t(dBwd), "fwd-path", "bwd-path", OK,
                50, 3);
    }

    private static Timing t(double us) {
        return new Timing(us, us / 2);
    }

    // faster layouts: fwd 80 + 40, bwd 150 + 90; DL4J fwd 6000 + 1200, bwd 9000 + 3000
    private static final List<GradResult> ROWS = List.of(
            row(Layer.dw(112, 112, 32, 1), 80, 100, 150, 200, 6000, 9000),
            row(Layer.dw(7, 7, 960, 1), 50, 40, 95, 90, 1200, 3000));

    @Test
    void theClosingLinesAreRatiosOfSumsOfTheFasterLayouts() {
        GradReport r = new GradReport(ROWS, 1, 1, "mobilenet-v2 3x3 depthwise layers", "1.0.0-M2.1");
        assertEquals(240.0 / 120, r.backwardVsForward(), 1e-12);
        assertEquals(7200.0 / 240, r.speedupVsDl4j(), 1e-12);
        assertEquals(12000.0 / 240, r.backwardSpeedupVsDl4j(), 1e-12);
        StringWriter s = new StringWriter();
        r.print(new PrintWriter(s));
        String[] lines = s.toString().split("\n");
        String scope = "2 mobilenet-v2 3x3 depthwise layers, batch 1, 1 thread";
        assertEquals("backward vs own forward: 2.00 (sum of our backward (dx+dfilter+dbias) / sum of our forward, "
                + scope + ", each in its faster layout per layer)", lines[lines.length - 2]);
        assertEquals("speedup vs deeplearning4j: 30.00 (sum of Deeplearning4j 1.0.0-M2.1 forward (NCHW) / sum of our "
                + "backward (dx+dfilter+dbias, faster layout per layer), " + scope + ")", lines[lines.length - 1]);
        assertTrue(lines[2].startsWith("112x112x32 s1 ") && lines[2].contains(" 1.88x ") && lines[2].contains(" 40.00x ")
                && lines[2].endsWith("fwd-path; bwd-path"), lines[2]);
        assertTrue(lines[4].startsWith("sum ") && lines[4].contains(" 7200.0 ") && lines[4].contains(" 30.00x ")
                && lines[4].contains(" 50.00x "), lines[4]);
        // stride 1: x, dy and dx against x and y, plus the weights read and written
        Layer first = ROWS.get(0).layer();
        assertEquals(4 * (3L * 112 * 112 * 32 + 2 * (9 * 32 + 32)), r.backwardBytes(first));
        double bytes = (r.backwardBytes(first) + r.backwardBytes(ROWS.get(1).layer()))
                / (double) (first.bytes(1) + ROWS.get(1).layer().bytes(1));
        assertEquals(bytes, r.bytesRatio(), 1e-12);
        assertTrue(bytes > 1.45 && bytes < 1.55, "stride 1 moves about 1.5x: " + bytes);
        assertTrue(lines[lines.length - 3].startsWith("bytes: a backward moves " + Report.number(bytes) + "x "),
                lines[lines.length - 3]);
        Map<String, Object> doc = r.json(Map.of());
        assertEquals(lines[lines.length - 1], doc.get("summary"));
        assertEquals(bytes, (Double) doc.get("bytes_backward_vs_forward"), 1e-12);
        assertEquals(2.0, (Double) doc.get("backward_vs_forward"), 1e-12);
    }

    @Test
    void withoutDeeplearning4jItsColumnsAreDashesAndTheLastLineSaysSo() {
        List<GradResult> rows = ROWS.stream().map(g -> new GradResult(g.layer(), g.fwdNhwc(), g.fwdNchw(), g.bwdNhwc(),
                g.bwdNchw(), null, null, g.fwdPath(), g.bwdPath(), g.errors(), g.rounds(), g.buffers())).toList();
        GradReport r = new GradReport(rows, 8, 2, "tiny 3x3 depthwise layers", null);
        assertTrue(Double.isNaN(r.speedupVsDl4j()));
        StringWriter s = new StringWriter();
        r.print(new PrintWriter(s));
        String[] lines = s.toString().split("\n");
        assertEquals("speedup vs deeplearning4j: n/a (Deeplearning4j did not run; 2 tiny 3x3 depthwise layers, "
                + "batch 8, 2 threads)", lines[lines.length - 1]);
        assertTrue(lines[4].startsWith("sum ") && lines[4].contains(" - "), lines[4]);
        Map<?, ?> first = (Map<?, ?>) ((List<?>) r.json(Map.of()).get("layers")).get(0);
        assertFalse(first.containsKey("dl4j_forward_us"), first.toString());
    }

    @Test
    void theCheckTakesTheWorseLayoutAndKeepsNaN() {
        float[] want = {1, -2, 4};
        assertEquals(0.5 / 4, GradBench.worst(new float[] {1, -2, 4}, new float[] {1, -2, 3.5f}, want), 1e-12);
        assertTrue(Double.isNaN(GradBench.worst(new float[] {1, Float.NaN, 4}, want, want)));
        assertEquals(Double.POSITIVE_INFINITY, GradBench.worst(want, new float[2], want));
        assertTrue(Double.isNaN(new GradResult.Errors(0, 0, Double.NaN, 0, 0).max()));
        assertEquals(4e-7, OK.max());
    }
}
