package dev.depthwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.train.EpochStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    @Test
    void epochLineWithAndWithoutHeldOutData() {
        EpochStats s = new EpochStats(3, 0.12194, 0.96833, 0.13561, 0.9595, 7.7, 0.4, 8000, 0.00123);
        assertEquals("standard epoch 3: train loss 0.1219 acc 96.83%, test loss 0.1356 acc 95.95%, 7.7 s (1,039 img/s), "
                + "lr 0.00123", TrainingProgress.line("standard", s));
        EpochStats noTest = new EpochStats(1, 1, 0.5, Double.NaN, Double.NaN, 2, 0, 100, 0.1);
        assertEquals("m epoch 1: train loss 1.0000 acc 50.00%, 2.0 s (50 img/s), lr 0.100",
                TrainingProgress.line("m", noTest));
    }

    @Test
    void logModeShowsTheBarAndTheResultQuietModeNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {0};
        TrainingProgress p = new TrainingProgress(new ProgressBar(out, ProgressBar.Mode.LOG, () -> now[0], 50), out, "m");
        p.epochStarted(1, 1, 100);
        now[0] = 1_000_000_000L;
        p.batchFinished(50, 2.0, 0.25);
        p.batchFinished(100, 1.5, 0.5);
        p.trainingStepsFinished(1, 1.5, 0.5);
        p.epochFinished(new EpochStats(1, 1.5, 0.5, 1.2, 0.6, 1, 0.1, 100, 0.01));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(3, lines.length, bytes.toString(StandardCharsets.UTF_8));
        assertEquals("epoch 1/1 [##########----------] 50% loss 2.000 acc 25.0% 50 img/s eta 0:01", lines[0]);
        assertEquals("m epoch 1: train loss 1.5000 acc 50.00%, test loss 1.2000 acc 60.00%, 1.0 s (100 img/s), lr 0.0100",
                lines[2]);

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        PrintStream q = new PrintStream(quiet, true, StandardCharsets.UTF_8);
        TrainingProgress none = new TrainingProgress(new ProgressBar(q, ProgressBar.Mode.QUIET, () -> 0, 10), q, "m");
        none.epochStarted(1, 1, 10);
        none.batchFinished(10, 1, 1);
        none.trainingStepsFinished(1, 1, 1);
        none.epochFinished(new EpochStats(1, 1, 1, 1, 1, 1, 0, 10, 0.1));
        assertEquals(0, quiet.size());
    }
}
