package dev.depthwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demo}, {@code train} and {@code eval} run in-process on a few dozen embedded digits. */
class TrainingCommandsTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void demoPrintsTheComparisonAndWritesTheReport() throws IOException {
        Path out = dir.resolve("report");
        Result r = run("demo", "--train-size", "32", "--test-size", "16", "--epochs", "1", "--batch-size", "32",
                "--quiet", "--out", out.toString());
        assertEquals(0, r.code(), r.describe());
        for (String row : new String[] {"parameters", "mult-adds per image", "training time", "inference (images/s",
            "test accuracy", "conv mult-adds per image", "targets: convolution mult-adds 7.3x fewer (>= 5x: met)",
            "wall time"}) {
            assertTrue(r.out().contains(row), row + "\n" + r.describe());
        }
        assertEquals("", r.err());
        for (String f : new String[] {"report.md", "report.json", DemoCharts.CURVES, DemoCharts.COSTS, "standard.ckpt",
            "separable.ckpt"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Map<String, Object> j = MiniJson.object(Files.readString(out.resolve("report.json")));
        assertTrue(((Number) j.get("wall_seconds")).doubleValue() > 0);
        Result e = run("eval", "--checkpoint", out.resolve("separable.ckpt").toString(), "--test-size", "16");
        assertEquals(0, e.code(), e.describe());
        assertTrue(e.out().startsWith("demo-separable (28x28x1, 10 classes), 1 epochs"), e.describe());
        assertTrue(e.out().contains("actual \\ predicted"), e.describe());
    }

    @Test
    void trainCheckpointsResumesAndEvaluates() throws IOException {
        Path ckpt = dir.resolve("sep.ckpt");
        String[] common = {"--model", "demo-separable", "--train-size", "64", "--test-size", "32", "--batch-size", "32",
            "--lr", "0.01", "--warmup-epochs", "0.5", "--quiet", "--checkpoint", ckpt.toString()};
        Result first = run(concat(new String[] {"train", "--epochs", "1"}, common));
        assertEquals(0, first.code(), first.describe());
        assertTrue(first.out().contains("after epoch 1: test accuracy"), first.describe());
        Result second = run(concat(new String[] {"train", "--epochs", "2", "--resume", ckpt.toString()}, common));
        assertEquals(0, second.code(), second.describe());
        assertTrue(second.out().contains("after epoch 2: test accuracy"), second.describe());
        Result again = run(concat(new String[] {"train", "--epochs", "2", "--resume", ckpt.toString()}, common));
        assertEquals(2, again.code(), again.describe());
        assertEquals("depthwise: --epochs must be more than the 2 epochs " + ckpt + " has done, got 2",
                again.err().strip());
        Result eval = run("eval", "--checkpoint", ckpt.toString(), "--test-size", "32", "--batch-size", "10");
        assertEquals(0, eval.code(), eval.describe());
        assertTrue(eval.out().contains("demo-separable (28x28x1, 10 classes), 2 epochs"), eval.describe());
        assertTrue(eval.out().contains("accuracy "), eval.describe());
    }

    @Test
    void trainsAZooModelThroughTheInputAdapterAndItsSoftmax() {
        Result r = run("train", "--model", "mobilenet-v1", "--alpha", "0.25", "--resolution", "32", "--classes", "10",
                "--train-size", "16", "--test-size", "8", "--batch-size", "8", "--epochs", "1", "--quiet",
                "--optimizer", "sgd", "--nesterov", "--lr", "0.01", "--clip-norm", "1", "--schedule", "step");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("fitted 28x28x1 -> 32x32x3"), r.describe());
        assertTrue(r.out().contains("sgd(momentum=0.9, nesterov"), r.describe());
    }

    @Test
    void badArgumentsAndFilesGiveOneLineAndExitTwo() throws IOException {
        assertError("depthwise: --epochs must be >= 1, got 0", "demo", "--epochs", "0");
        assertError("depthwise: unknown model 'nope'", "train", "--model", "nope", "--train-size", "8", "--test-size", "8");
        assertError("depthwise: --optimizer must be sgd, adam or adamw, got 'rmsprop'", "train", "--model",
                "demo-separable", "--optimizer", "rmsprop", "--train-size", "8", "--test-size", "8");
        Path junk = dir.resolve("junk.ckpt");
        Files.write(junk, new byte[] {(byte) 0x89, 'D', 'W', 'C'});
        assertError("depthwise: " + junk + ": truncated: 4 bytes, shorter than the 20-byte header", "eval",
                "--checkpoint", junk.toString());
        assertError("depthwise: --out must be a folder, got the file " + junk, "demo", "--out", junk.toString());
        assertError("depthwise: --resume " + dir.resolve("none.ckpt") + ": no such file", "train", "--model",
                "demo-separable", "--train-size", "8", "--test-size", "8", "--resume", dir.resolve("none.ckpt").toString());
        assertError("depthwise: --data must be a folder with IDX files, got '" + dir.resolve("none")
                + "' (it does not exist)", "demo", "--data", dir.resolve("none").toString());
    }

    private static void assertError(String start, String... args) {
        Result r = run(args);
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().startsWith(start), r.describe());
        assertTrue(!r.err().contains("\tat "), r.describe());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
