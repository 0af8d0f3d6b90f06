package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/**
 * {@code depthwise bench dwgrad} end to end on {@code --model tiny} (two 8x8x16 layers): it runs,
 * checks every output against Deeplearning4j's, and prints the two closing lines; a wrong weight on
 * one side fails it. No timing is asserted.
 */
class DwGradTest {
    /** Deeplearning4j's natives are in the build for linux-x86_64 only. */
    private static final boolean DL4J_HERE = System.getProperty("os.name").startsWith("Linux")
            && System.getProperty("os.arch").matches("amd64|x86_64");

    private record Run(int status, String out, String err) {
        String line(int fromEnd) {
            String[] lines = out.split("\\R");
            return lines[lines.length - 1 - fromEnd];
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

    private static Run tiny(int reps, String maxTime, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("bench", "dwgrad", "--model", "tiny", "--reps",
                String.valueOf(reps), "--warmup", "1", "--max-time", maxTime, "--no-progress"));
        args.addAll(List.of(more));
        return bench(args.toArray(String[]::new));
    }

    @Test
    void runsChecksAgainstDeeplearning4jAndPrintsTheClosingLines(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("g.json");
        Path png = dir.resolve("g.png");
        Run r = tiny(5, "0.3", "--json", json.toString(), "--chart", png.toString());
        assertEquals(0, r.status(), r.err() + r.out());
        assertTrue(r.out().startsWith("depthwise bench dwgrad --model tiny --batch 1 --threads 1   (SIMD "), r.out());
        assertTrue(r.out().contains("\n8x8x16 s2 "), r.out());
        String scope = "2 tiny 3x3 depthwise layers, batch 1, 1 thread";
        assertTrue(r.line(1).matches("backward vs own forward: \\d+\\.\\d+ \\(sum of our backward \\(dx\\+dfilter\\+dbias\\) "
                + "/ sum of our forward, " + scope + ", each in its faster layout per layer\\)"), r.line(1));
        Map<?, ?> doc = (Map<?, ?>) Json.parse(Files.readString(json));
        assertEquals(r.line(0), doc.get("summary"));
        List<?> layers = (List<?>) doc.get("layers");
        assertEquals(2, layers.size());
        for (Object layer : layers) {
            Map<?, ?> errors = (Map<?, ?>) ((Map<?, ?>) layer).get("max_relative_error");
            for (String output : List.of("y", "dx", "dfilter", "dbias")) {
                assertTrue((Double) errors.get(output) <= LayerBench.TOLERANCE, output + ": " + errors);
            }
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 400 && img.getHeight() > 100);
        if (!DL4J_HERE && r.out().contains("deeplearning4j: not run")) {
            assertTrue(r.line(0).startsWith("speedup vs deeplearning4j: n/a ("), r.line(0));
            return;
        }
        assertTrue(r.line(0).matches("speedup vs deeplearning4j: \\d+\\.\\d+ \\(sum of Deeplearning4j 1\\.0\\.0-M2\\.1 "
                + "forward \\(NCHW\\) / sum of our backward \\(dx\\+dfilter\\+dbias, faster layout per layer\\), " + scope
                + "\\)"), r.line(0));
        assertTrue(r.out().contains("checked against Deeplearning4j"), r.out());
        assertTrue(r.out().contains("1 thread asked, 1 busy in its calls"), r.out());
        assertEquals("deeplearning4j", ((Map<?, ?>) ((Map<?, ?>) layers.get(0)).get("max_relative_error")).get("against"));
    }

    @Test
    void aWrongWeightOnDeeplearning4jsSideFailsTheCheck() {
        assumeTrue(DL4J_HERE, "Deeplearning4j's natives are built for linux-x86_64 only");
        GradBench.dl4jWeightOffset = 0.25f;
        try {
            Run r = tiny(1, "0.05");
            assertEquals(1, r.status(), r.err() + r.out());
            assertTrue(r.err().contains("MISMATCH on layer 8x8x16 s1 against Deeplearning4j"), r.err());
            assertTrue(r.err().contains("2 of 2 layers differ from Deeplearning4j beyond 1e-04"), r.err());
        } finally {
            GradBench.dl4jWeightOffset = 0;
        }
    }

    @Test
    void withoutDeeplearning4jItsColumnsAreLeftOut() {
        System.setProperty(Dl4jDepthwise.PROPERTY, "off");
        try {
            Run r = tiny(1, "0.05");
            assertEquals(0, r.status(), r.err() + r.out());
            assertTrue(r.out().contains("deeplearning4j: not run: left out (-Ddepthwise.dl4j=off)"), r.out());
            assertTrue(r.out().contains("checked against our NCHW side"), r.out());
            assertTrue(r.line(1).startsWith("backward vs own forward: "), r.line(1));
            assertTrue(r.line(0).startsWith("speedup vs deeplearning4j: n/a (Deeplearning4j did not run; 2 tiny"),
                    r.line(0));
        } finally {
            System.clearProperty(Dl4jDepthwise.PROPERTY);
        }
    }

    @Test
    void theHelpNamesTheKind() {
        String help = bench("bench", "--help").out();
        assertTrue(help.contains("dwconv, pwconv, sepconv or dwgrad"), help);
        assertTrue(help.contains("speedup vs deeplearning4j"), help);
        Run bad = bench("bench", "dwgrads", "--model", "tiny");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("(or dwgrad: the depthwise backward pass)"), bad.err());
    }
}
