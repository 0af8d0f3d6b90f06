package dev.depthwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.train.EpochStats;
import dev.depthwise.train.EvalResult;
import dev.depthwise.train.History;
import dev.depthwise.train.Metrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's text, JSON and charts from made-up runs (no training). */
class DemoReportTest {
    @TempDir
    Path dir;

    static DemoRun run(String name, long params, long macs, double acc, double seconds) {
        Metrics m = new Metrics(2);
        int right = (int) Math.round(acc * 200);
        for (int i = 0; i < 200; i++) {
            m.add(i % 2, i < right ? i % 2 : 1 - i % 2);
        }
        History h = new History(List.of(
                new EpochStats(1, 0.9, 0.7, 0.5, acc - 0.05, seconds / 2, 0.1, 1000, 0.01),
                new EpochStats(2, 0.3, 0.9, 0.2, acc, seconds / 2, 0.1, 1000, 0.0)));
        return new DemoRun(name, params, macs, macs - 640, h, new EvalResult(m, 0.2, 0.1), 5000, 250);
    }

    private final DemoRun std = run("standard", 61_402, 3_641_536, 0.98, 40);
    private final DemoRun sep = run("separable", 9_610, 500_832, 0.975, 30);

    @Test
    void tableAndTargets() {
        String t = DemoReport.table(std, sep);
        assertTrue(t.contains("parameters                            61,402         9,610   6.4x fewer"), t);
        assertTrue(t.contains("test accuracy                         98.00%        97.50%   -0.50 percentage points"), t);
        assertTrue(t.contains("training time                         40.0 s        30.0 s   1.3x faster"), t);
        assertTrue(t.contains("conv mult-adds per image           3,640,896       500,192   7.3x fewer"), t);
        assertEquals("targets: convolution mult-adds 7.3x fewer (>= 5x: met); accuracy -0.50 pp (within 1 pp: met); "
                + "wall time 200 s (< 180 s: NOT met)" + System.lineSeparator(), DemoReport.targets(std, sep, 200));
    }

    @Test
    void jsonHasWhatTheIssueAsksFor() throws IOException {
        DemoReport.Setup setup = new DemoReport.Setup("digits", 8000, 2000, 2, 64, 2, 1, "AdamW", "cosine", "shift");
        DemoReport.write(dir, setup, std, sep, 123.4567, "models");
        Map<String, Object> j = MiniJson.object(Files.readString(dir.resolve("report.json")));
        for (String model : new String[] {"standard", "separable"}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) j.get(model);
            for (String key : new String[] {"params", "mult_adds", "train_seconds", "test_accuracy"}) {
                assertTrue(m.containsKey(key), model + " lacks " + key + ": " + m);
            }
        }
        assertEquals(123.4567, ((Number) j.get("wall_seconds")).doubleValue(), 1e-9);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) j.get("separable");
        assertEquals(9_610L, s.get("params"));
        assertEquals(500_832L, s.get("mult_adds"));
        assertEquals(30.0, ((Number) s.get("train_seconds")).doubleValue(), 1e-9);
        assertEquals(0.975, ((Number) s.get("test_accuracy")).doubleValue(), 1e-9);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| parameters | 61,402 | 9,610 | 6.4x fewer |"), md);
        assertTrue(md.contains("![training curves](training-curves.png)"), md);
        assertTrue(md.contains("| separable | 2 | 0.3000 | 90.00% | 0.2000 | 97.50% |"), md);
    }

    @Test
    void chartsArePngsOfTheExpectedSize() throws IOException {
        DemoCharts.write(dir, std, sep);
        BufferedImage curves = ImageIO.read(dir.resolve(DemoCharts.CURVES).toFile());
        BufferedImage costs = ImageIO.read(dir.resolve(DemoCharts.COSTS).toFile());
        assertEquals(1100, curves.getWidth());
        assertEquals(480, curves.getHeight());
        assertEquals(1100, costs.getWidth());
        // something was drawn in the models' colours
        assertTrue(count(costs, DemoCharts.STANDARD.getRGB()) > 1000);
        assertTrue(count(costs, DemoCharts.SEPARABLE.getRGB()) > 500);
        assertTrue(count(curves, DemoCharts.SEPARABLE.getRGB()) > 50);
    }

    private static int count(BufferedImage im, int rgb) {
        int n = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                if (im.getRGB(x, y) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
