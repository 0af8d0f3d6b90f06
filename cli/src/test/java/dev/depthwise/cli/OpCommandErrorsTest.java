package dev.depthwise.cli;

import static dev.depthwise.cli.OpCli.npy;
import static dev.depthwise.cli.OpCli.random;
import static dev.depthwise.cli.OpCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.cli.OpCli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad arguments and bad inputs: {@code depthwise: <message>} on stderr naming the option and value,
 * exit code 2, no stack trace (unless {@code --verbose}), and no output file.
 */
class OpCommandErrorsTest {
    @TempDir
    Path dir;

    /** A valid 2-D depthwise problem: x 1x5x5x3, a 3x3 HWCM filter, dy 1x3x3x3. */
    Path x;
    Path filter;
    Path dy;
    /** Outputs, none of which may exist after a failed run. */
    Path y;
    Path dx;
    Path dfilter;
    Path dbias;

    @BeforeEach
    void validInputs() {
        Random rnd = new Random(7);
        x = npy(dir.resolve("x.npy"), random(rnd, 1, 5, 5, 3));
        filter = npy(dir.resolve("w.npy"), random(rnd, 3, 3, 3, 1));
        dy = npy(dir.resolve("dy.npy"), random(rnd, 1, 3, 3, 3));
        y = dir.resolve("y.npy");
        dx = dir.resolve("dx.npy");
        dfilter = dir.resolve("dw.npy");
        dbias = dir.resolve("db.npy");
    }

    /** {@code depthwise op dwconv2d --x X --filter F --y y.npy EXTRA...}. */
    private Result dwconv2d(Path xFile, Path filterFile, String... extra) {
        return run(args("op", "dwconv2d", "--x", xFile, "--filter", filterFile, "--y", y, extra));
    }

    /** {@code depthwise op dwconv2d-grad --x x.npy --filter w.npy --dy DY --dx dx.npy EXTRA...}. */
    private Result dwconv2dGrad(Path dyFile, String... extra) {
        return run(args("op", "dwconv2d-grad", "--x", x, "--filter", filter, "--dy", dyFile, "--dx", dx, extra));
    }

    /**
     * Asserts the run failed as a usage error: exit 2, one {@code depthwise: } message holding every
     * fragment, no stack trace, nothing on stdout, and none of {@code outputs} written.
     */
    static void assertUsageError(Result r, List<Path> outputs, String... fragments) {
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().startsWith("depthwise: "), r.describe());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
        }
        assertFalse(r.err().contains("at dev."), "stack trace without --verbose: " + r.err());
        assertEquals("", r.out(), "stdout");
        for (Path p : outputs) {
            assertFalse(Files.exists(p), p + " was written by a failed run: " + r.err());
        }
    }

    @Test
    void missingInputFile() {
        Path missing = dir.resolve("missing.npy");
        assertUsageError(dwconv2d(missing, filter), List.of(y), "--x", missing.toString());
        assertUsageError(dwconv2dGrad(missing), List.of(dx), "--dy", missing.toString());
    }

    @Test
    void filterShapeDoesNotMatchTheInputChannels() {
        Path w4 = npy(dir.resolve("w4.npy"), random(new Random(1), 3, 3, 4, 1));
        assertUsageError(dwconv2d(x, w4), List.of(y), "--filter", "3x3x4x1");
        Path oihw = npy(dir.resolve("oihw.npy"), random(new Random(1), 4, 1, 3, 3));
        assertUsageError(dwconv2d(x, oihw, "--filter-layout", "OIHW"), List.of(y), "--filter", "4x1x3x3");
    }

    @Test
    void strideZero() {
        assertUsageError(dwconv2d(x, filter, "--stride", "0"), List.of(y), "stride", "0");
        assertUsageError(dwconv2d(x, filter, "--stride", "1,0"), List.of(y), "stride", "0");
    }

    @Test
    void threeStridesForATwoDimensionalOp() {
        assertUsageError(dwconv2d(x, filter, "--stride", "1,2,3"), List.of(y), "--stride", "1,2,3");
    }

    @Test
    void negativePadding() {
        assertUsageError(dwconv2d(x, filter, "--pad", "-1"), List.of(y), "pad", "-1");
    }

    @Test
    void unparsablePadding() {
        assertUsageError(dwconv2d(x, filter, "--pad", "garbage"), List.of(y), "pad", "garbage");
        assertUsageError(dwconv2d(x, filter, "--pad", "1,2,3"), List.of(y), "pad", "1,2,3");
    }

    @Test
    void causalPaddingOnATwoDimensionalOp() {
        assertUsageError(dwconv2d(x, filter, "--pad", "causal"), List.of(y), "causal");
    }

    @Test
    void unknownLayout() {
        assertUsageError(dwconv2d(x, filter, "--layout", "XYZ"), List.of(y), "layout", "XYZ");
        assertUsageError(dwconv2d(x, filter, "--filter-layout", "XYZ"), List.of(y), "filter layout", "XYZ");
        assertUsageError(dwconv2d(x, filter, "--pad-mode", "XYZ"), List.of(y), "pad mode", "XYZ");
    }

    @Test
    void unknownActivation() {
        assertUsageError(dwconv2d(x, filter, "--act", "foo"), List.of(y), "activation", "foo");
    }

    @Test
    void kernelLargerThanTheInput() {
        Path small = npy(dir.resolve("small.npy"), random(new Random(2), 1, 2, 2, 3));
        assertUsageError(dwconv2d(small, filter), List.of(y), "kernel", "3", "input 2");
    }

    @Test
    void inputOfTheWrongRank() {
        Path x3 = npy(dir.resolve("x3.npy"), random(new Random(2), 5, 5, 3));
        assertUsageError(dwconv2d(x3, filter), List.of(y), "--x", "5x5x3");
    }

    @Test
    void gradientOfTheWrongShape() {
        Path bad = npy(dir.resolve("bad-dy.npy"), random(new Random(3), 1, 4, 4, 3));
        assertUsageError(dwconv2dGrad(bad), List.of(dx), "--dy", "1x4x4x3");
    }

    @Test
    void malformedNpyFile() throws IOException {
        byte[] junk = new byte[200];
        new Random(4).nextBytes(junk);
        junk[0] = 'J';
        Path bad = Files.write(dir.resolve("junk.npy"), junk);
        assertUsageError(dwconv2d(bad, filter), List.of(y), bad.toString());
        assertUsageError(dwconv2dGrad(bad), List.of(dx), bad.toString());
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path c8 = complexNpy(dir.resolve("complex.npy"), 1, 5, 5, 3);
        assertUsageError(dwconv2d(c8, filter), List.of(y), c8.toString(), "<c8");
    }

    @Test
    void gradientWithNothingToWrite() {
        Result r = run(args("op", "dwconv2d-grad", "--x", x, "--filter", filter, "--dy", dy));
        assertUsageError(r, List.of(y, dx, dfilter, dbias), "nothing to write", "--dx");
    }

    @Test
    void biasGradientWithoutBias() {
        assertUsageError(dwconv2dGrad(dy, "--dbias", dbias.toString()), List.of(dx, dbias), "--dbias", "--bias");
    }

    @Test
    void channelShuffleWithChannelsNotDivisibleByGroups() {
        Path six = npy(dir.resolve("six.npy"), random(new Random(5), 2, 3, 3, 6));
        assertUsageError(run(args("op", "channel-shuffle", "--groups", "4", "--x", six, "--y", y)), List.of(y),
                "6", "groups 4");
        assertUsageError(run(args("op", "channel-shuffle-grad", "--groups", "4", "--dy", six, "--dx", dx)),
                List.of(dx), "6", "groups 4");
    }

    @Test
    void unknownOptionIsPicocliUsageError() {
        Result r = dwconv2d(x, filter, "--foo", "1");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("Unknown option"), r.err());
        assertTrue(r.err().contains("--foo"), r.err());
        assertFalse(r.err().contains("at dev."), r.err());
        assertFalse(Files.exists(y));
    }

    @Test
    void missingRequiredOptionIsPicocliUsageError() {
        Result r = run(args("op", "dwconv2d", "--x", x, "--y", y));
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--filter"), r.err());
        assertFalse(Files.exists(y));
    }

    @Test
    void opWithoutOperator() {
        Result r = run("op");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("dwconv2d"), r.err());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        for (Result r : List.of(dwconv2d(x, filter, "--stride", "0", "--verbose"),
                run(args("--verbose", "op", "dwconv2d", "--x", x, "--filter", filter, "--y", y, "--stride", "0")))) {
            assertEquals(2, r.code(), r.describe());
            assertTrue(r.err().startsWith("depthwise: "), r.err());
            assertTrue(r.err().contains("stride"), r.err());
            assertTrue(r.err().contains("at dev.depthwise."), r.err());
            assertFalse(Files.exists(y));
        }
    }

    // ---- helpers ----

    /** Command-line words; paths become strings, the trailing array is spliced in. */
    static String[] args(Object... words) {
        List<String> r = new ArrayList<>();
        for (Object w : words) {
            if (w instanceof String[] more) {
                r.addAll(List.of(more));
            } else {
                r.add(w.toString());
            }
        }
        return r.toArray(String[]::new);
    }

    /** A well-formed .npy file of complex64 zeros, a dtype the reader does not take. */
    static Path complexNpy(Path path, int... shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        int count = 1;
        for (int d : shape) {
            dims.append(d).append(", ");
            count *= d;
        }
        String dict = "{'descr': '<c8', 'fortran_order': False, 'shape': (" + dims.toString().strip() + "), }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] file = new byte[10 + h.length + count * 8];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)};
        System.arraycopy(magic, 0, file, 0, 10);
        System.arraycopy(h, 0, file, 10, h.length);
        return Files.write(path, file);
    }
}
