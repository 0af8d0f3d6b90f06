package dev.depthwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private ProgressBar bar(ProgressBar.Mode mode) {
        return new ProgressBar(out, mode, () -> now, 10);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheLineOfTheIssue() {
        assertEquals("epoch 1/3 [########------] 62% loss 0.412 acc 87.5% 1,234 img/s eta 0:12",
                ProgressBar.render(1, 3, 620, 1000, 0.4123, 0.875, 1234.4, 12.2, 14));
    }

    @Test
    void rendersTheEdges() {
        assertEquals("epoch 2/2 [####] 100% loss NaN acc - - img/s eta -:--",
                ProgressBar.render(2, 2, 10, 10, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 4));
        assertEquals("epoch 1/1 [----] 0% loss 2.303 acc 0.0% 0 img/s eta 1:02:03",
                ProgressBar.render(1, 1, 0, 60_000, 2.302585, 0, 0.2, 3723, 4));
        // 99.9% is not yet 100%: the bar and the percentage round down.
        assertTrue(ProgressBar.render(1, 1, 999, 1000, 0, 1, 1, 0, 10).contains("[#########-] 99%"));
        assertEquals("0:00", ProgressBar.duration(0.2));
        assertEquals("12:34", ProgressBar.duration(754));
        assertEquals("-:--", ProgressBar.duration(Double.POSITIVE_INFINITY));
    }

    @Test
    void terminalModeRedrawsInPlaceAtMostTenTimesASecond() {
        ProgressBar b = bar(ProgressBar.Mode.TERMINAL);
        now = 0;
        b.startEpoch(1, 2, 100);
        now = 1_000_000_000L;
        b.update(10, 1.0, 0.5); // first update: drawn
        now += 50_000_000L;
        b.update(20, 1.0, 0.5); // 50 ms later: skipped
        now += 50_000_000L;
        b.update(30, 1.0, 0.5); // 100 ms after the first: drawn
        b.finishEpoch(0.5, 0.75);
        String s = printed();
        assertEquals(3, s.chars().filter(c -> c == '\r').count(), s);
        assertTrue(s.contains("\repoch 1/2 [##------------------] 10% loss 1.000 acc 50.0% 10 img/s eta 0:09"), s);
        assertTrue(!s.contains(" 20% "), s);
        assertTrue(s.contains(" 30% "), s);
        assertTrue(s.endsWith("] 100% loss 0.500 acc 75.0% 91 img/s eta 0:00\n"), s);
    }

    @Test
    void terminalModeBlanksWhatAShorterLineLeaves() {
        ProgressBar b = bar(ProgressBar.Mode.TERMINAL);
        b.startEpoch(1, 1, 10);
        now = 1_000_000_000L;
        b.update(1, 1000.0, 0.5); // "loss 1000.000": long
        now += 200_000_000L;
        b.update(2, 1.0, 0.5);
        String[] draws = printed().split("\r");
        assertEquals(draws[1].length(), draws[2].length(), printed());
        assertTrue(draws[2].endsWith("   "));
    }

    @Test
    void logModePrintsOneLinePerStep() {
        ProgressBar b = bar(ProgressBar.Mode.LOG);
        b.startEpoch(1, 1, 100);
        for (int done = 1; done <= 100; done++) {
            now += 10_000_000L;
            b.update(done, 0.1, 0.9);
        }
        b.finishEpoch(0.1, 0.9);
        String[] lines = printed().split("\n");
        assertEquals(10, lines.length, printed());
        assertTrue(lines[0].contains(" 10% "), lines[0]);
        assertTrue(lines[9].contains(" 100% "), lines[9]);
        assertTrue(!printed().contains("\r"));

        // A jump over several steps prints one line; finishing prints the 100% line if it was not printed.
        bytes.reset();
        b.startEpoch(2, 2, 100);
        now += 1;
        b.update(35, 0, 0);
        b.finishEpoch(0, 0);
        assertEquals(2, printed().split("\n").length, printed());
    }

    @Test
    void quietModePrintsNothing() {
        ProgressBar b = bar(ProgressBar.Mode.QUIET);
        b.startEpoch(1, 1, 10);
        b.update(5, 1, 1);
        b.finishEpoch(1, 1);
        assertEquals("", printed());
        assertEquals(ProgressBar.Mode.QUIET, ProgressBar.forStderr(true).mode());
    }

    @Test
    void refusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(out, ProgressBar.Mode.LOG, () -> 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(null, ProgressBar.Mode.LOG, () -> 0, 10));
    }
}
