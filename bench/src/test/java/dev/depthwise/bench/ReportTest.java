package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static LayerResult row(Layer l, double oursNchw, double oursNhwc, double ort, boolean transposed) {
        return new LayerResult(l, new LayerResult.Timing(oursNchw, oursNchw * 0.9),
                new LayerResult.Timing(oursNhwc, oursNhwc * 0.9), new LayerResult.Timing(ort, ort * 0.5),
                new OrtProfile.Summary(20, ort, ort / 2, ort / 4, Set.of("Conv", "ReorderInput")),
                transposed ? "dw-fast (NCHW: T+dw-fast)" : "reference", transposed, 1e-7, 50, 3);
    }

    private static final List<LayerResult> ROWS = List.of(row(Layer.dw(112, 112, 32, 1), 100, 80, 300, false),
            row(Layer.dw(7, 7, 960, 1), 50, 40, 150, true));

    @Test
    void theLastLineIsTheSpeedupOfTheSums() {
        Report r = new Report(ROWS, Ceilings.forThreads(1), 1, 1, "mobilenet-v2 3x3 depthwise layers");
        assertEquals(3.0, r.speedup(), 1e-12);
        assertEquals(450 * 0.5 / (150 * 0.9), r.speedupOfMinimums(), 1e-12);
        StringWriter s = new StringWriter();
        r.print(new PrintWriter(s));
        String[] lines = s.toString().split("\n");
        assertEquals("speedup vs onnxruntime: 3.00 (sum of 2 mobilenet-v2 3x3 depthwise layers, batch 1, 1 thread, "
                + "NCHW in/out, ours incl. NCHW<->NHWC transposes on 1 layer)", lines[lines.length - 1]);
        assertTrue(lines[0].startsWith("layer ") && lines[0].contains("ORT kernel") && lines[0].endsWith("path"),
                lines[0]);
        assertTrue(lines[1].startsWith("112x112x32 s1 ") && lines[1].contains(" 3.00x ") && lines[1].endsWith("reference"),
                lines[1]);
        assertTrue(lines[3].startsWith("sum ") && lines[3].contains("150.0") && lines[3].contains("450.0"), lines[3]);
    }

    @Test
    void ratesUseTheFasterLayoutAndTheRightCeiling() {
        Report r = new Report(ROWS, Ceilings.forThreads(2), 8, 2, "x");
        assertTrue(r.lastLine().endsWith("(sum of 2 x, batch 8, 2 threads, NCHW in/out, ours incl. NCHW<->NHWC "
                + "transposes on 1 layer)"), r.lastLine());
        Map<String, Object> doc = r.json(Map.of("command", "c"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<?>) doc.get("layers")).get(0);
        Layer l = Layer.dw(112, 112, 32, 1);
        assertEquals(l.flops(8) / 80e-6 / 1e9, (Double) first.get("gflops"), 1e-9);
        assertEquals("dram", first.get("bandwidth_ceiling"));
        assertEquals(3.0, (Double) first.get("speedup"), 1e-12);
        assertEquals(3.0, doc.get("speedup"));
        // Parses back as JSON.
        assertEquals("c", ((Map<?, ?>) Json.parse(Json.write(doc))).get("command"));
    }

    @Test
    void theFloorIsEachLayersBytesAtItsCeilingOrFlopsAtThePeak() {
        Ceilings c = new Ceilings(1, 100, 50, 10, "test");
        Report r = new Report(ROWS, c, 1, 1, "x");
        Layer big = Layer.dw(112, 112, 32, 1), small = Layer.dw(7, 7, 960, 1);
        // 3.2 MB judged against memory; the small layer's 0.38 MB against the cache, where its flops
        // at this low peak take longer still
        double want = big.bytes(1) / 10e3 + small.flops(1) / 100e3;
        assertTrue(small.flops(1) / 100e3 > small.bytes(1) / 50e3 && big.bytes(1) / 10e3 > big.flops(1) / 100e3);
        assertEquals(want, r.floorUs(), 1e-9);
        assertEquals(Math.max(1e6 / 10e3, 1e9 / 100e3), c.floorUs(1_000_000, 1_000_000_000), 1e-9);
        String line = r.floorLine();
        assertTrue(line.startsWith(String.format(java.util.Locale.ROOT, "floor: %.1f us ", want)), line);
        // best layouts 80 + 40 us; ORT one-op 450 us, its kernel 225 us (the profile rows above)
        assertTrue(line.contains(String.format(java.util.Locale.ROOT, "runs at %.0f%% of floor speed", 100 * want / 120)), line);
        assertTrue(line.endsWith(String.format(java.util.Locale.ROOT, "at the floor: %sx ORT one-op, %sx ORT kernel",
                Report.number(450 / want), Report.number(225 / want))), line);
        StringWriter s = new StringWriter();
        r.print(new PrintWriter(s));
        String[] lines = s.toString().split("\n");
        assertEquals(line, lines[lines.length - 3]);
    }

    @Test
    void smallSpeedupsKeepThreeDigits() {
        assertEquals("3.42", Report.number(3.4249));
        assertEquals("0.10", Report.number(0.1));
        assertEquals("0.00440", Report.number(0.0044));
        assertEquals("0.00", Report.number(0));
    }

    @Test
    void progressBar() {
        assertEquals("[##########----------] 5/10 layers", Progress.bar(5, 10));
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), 2, Progress.Mode.TERMINAL);
        p.show(0, "a long layer name");
        p.show(1, "b");
        p.clear();
        assertTrue(s.toString().startsWith("\r[----------"), s.toString());
        assertTrue(s.toString().endsWith("\r"), "the bar is wiped");
        StringWriter lines = new StringWriter();
        new Progress(new PrintWriter(lines), 2, Progress.Mode.LINES).show(2, "");
        assertEquals("[####################] 2/2 layers" + System.lineSeparator(), lines.toString());
    }
}
