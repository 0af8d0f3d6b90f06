package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code depthwise bench} end to end on the two small layers of {@code --model tiny}. */
class BenchCommandTest {
    private record Run(int status, String out, String err) {
        String lastLine() {
            String[] lines = out.split("\\R");
            return lines[lines.length - 1];
        }
    }

    private static Run bench(String... args) {
        CommandLine cmd = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void printsTheTableAndTheSpeedupLine(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Path png = dir.resolve("r.png");
        Run r = bench("bench", "sepconv", "--model", "tiny", "--reps", "5", "--warmup", "1", "--profile-runs", "3",
                "--no-progress", "--json", json.toString(), "--chart", png.toString());
        assertEquals(0, r.status(), r.err() + r.out());
        assertTrue(r.out().startsWith("depthwise bench sepconv --model tiny --batch 1 --threads 1   (SIMD "), r.out());
        assertTrue(r.lastLine().matches("speedup vs onnxruntime: \\d+\\.\\d+ \\(sum of 2 tiny separable blocks "
                + "\\(3x3 depthwise, ReLU, 1x1 pointwise\\), batch 1, 1 thread, NCHW in/out.*\\)"), r.lastLine());
        assertTrue(r.out().contains("\n8x8x16 s2 >24 "), r.out());

        Map<?, ?> doc = (Map<?, ?>) Json.parse(Files.readString(json));
        assertEquals(r.lastLine(), doc.get("summary"));
        List<?> layers = (List<?>) doc.get("layers");
        assertEquals(2, layers.size());
        Map<?, ?> first = (Map<?, ?>) layers.get(0);
        assertTrue((Double) first.get("max_relative_error") <= 1e-4);
        assertEquals(5.0, first.get("rounds"));
        assertNotNull(first.get("ort_profile"));

        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 400 && img.getHeight() > 100);
    }

    @Test
    void batchAndThreadsReachBothSides() {
        Run r = bench("bench", "pwconv", "--model", "tiny", "--batch", "2", "--threads", "2", "--reps", "3",
                "--warmup", "0", "--profile-runs", "0", "--rotate", "1", "--no-progress");
        assertEquals(0, r.status(), r.err() + r.out());
        assertTrue(r.out().contains("2 intra-op threads"), r.out());
        assertTrue(r.lastLine().contains("(sum of 2 tiny pointwise (1x1) layers, batch 2, 2 threads, NCHW in/out"),
                r.lastLine());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Run kind = bench("bench", "conv3d", "--model", "tiny");
        assertEquals(2, kind.status());
        assertTrue(kind.err().contains("KIND must be dwconv, pwconv or sepconv, got 'conv3d'"), kind.err());
        Run model = bench("bench", "dwconv", "--model", "resnet");
        assertEquals(2, model.status());
        assertTrue(model.err().contains("--model must be"), model.err());
        Run batch = bench("bench", "dwconv", "--batch", "0");
        assertEquals(2, batch.status());
        assertTrue(batch.err().contains("--batch must be >= 1, got 0"), batch.err());
        Run rotate = bench("bench", "dwconv", "--rotate", "many");
        assertEquals(2, rotate.status());
        assertTrue(bench("bench", "--help").out().contains("speedup vs onnxruntime"));
    }
}
