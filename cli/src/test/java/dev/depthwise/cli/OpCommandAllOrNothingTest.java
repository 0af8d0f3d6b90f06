package dev.depthwise.cli;

import static dev.depthwise.cli.OpCli.npy;
import static dev.depthwise.cli.OpCli.random;
import static dev.depthwise.cli.OpCli.read;
import static dev.depthwise.cli.OpCli.run;
import static dev.depthwise.cli.OpCommandErrorsTest.args;
import static dev.depthwise.cli.OpCommandErrorsTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.cli.OpCli.Result;
import dev.depthwise.io.NdArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that fails writes none of its outputs, however many it was asked for, and leaves old files alone. */
class OpCommandAllOrNothingTest {
    @TempDir
    Path dir;

    Path x;
    Path filter;
    Path bias;
    Path dy;
    Path y;
    Path dx;
    Path dfilter;
    Path dbias;

    @BeforeEach
    void validInputs() {
        Random rnd = new Random(11);
        x = npy(dir.resolve("x.npy"), random(rnd, 1, 5, 5, 3));
        filter = npy(dir.resolve("w.npy"), random(rnd, 3, 3, 3, 1));
        bias = npy(dir.resolve("b.npy"), random(rnd, 3));
        dy = npy(dir.resolve("dy.npy"), random(rnd, 1, 3, 3, 3));
        y = dir.resolve("y.npy");
        dx = dir.resolve("dx.npy");
        dfilter = dir.resolve("dw.npy");
        dbias = dir.resolve("db.npy");
    }

    /** dwconv2d-grad asking for every output, with {@code dyFile} as the output gradient. */
    private Result everyGradient(Path dyFile, String... extra) {
        return run(args("op", "dwconv2d-grad", "--x", x, "--filter", filter, "--bias", bias, "--dy", dyFile,
                "--y", y, "--dx", dx, "--dfilter", dfilter, "--dbias", dbias, extra));
    }

    @Test
    void badDyShapeWritesNoGradient() {
        Path bad = npy(dir.resolve("bad.npy"), random(new Random(1), 1, 5, 5, 3));
        assertUsageError(everyGradient(bad), List.of(y, dx, dfilter, dbias), "--dy");
    }

    @Test
    void malformedDyWritesNoGradient() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.npy"), "not a .npy file at all");
        assertUsageError(everyGradient(bad), List.of(y, dx, dfilter, dbias), bad.toString());
    }

    @Test
    void badOptionWritesNoGradient() {
        assertUsageError(everyGradient(dy, "--act", "foo"), List.of(y, dx, dfilter, dbias), "foo");
    }

    @Test
    void biasGradientWithoutBiasWritesNoOtherGradient() {
        // dx is computed and queued before --dbias is found to have nothing to differentiate.
        Result r = run(args("op", "dwconv2d-grad", "--x", x, "--filter", filter, "--dy", dy, "--dx", dx,
                "--dfilter", dfilter, "--dbias", dbias));
        assertUsageError(r, List.of(dx, dfilter, dbias), "--dbias");
    }

    @Test
    void separableGradientOfAMissingParameterWritesNothing() {
        Random rnd = new Random(2);
        Path dwf = npy(dir.resolve("dwf.npy"), random(rnd, 3, 3, 3, 1));
        Path pwf = npy(dir.resolve("pwf.npy"), random(rnd, 1, 1, 3, 4));
        Path sdy = npy(dir.resolve("sdy.npy"), random(rnd, 1, 3, 3, 4));
        Path dpw = dir.resolve("dpw.npy");
        Path dscale = dir.resolve("dscale.npy");
        Result r = run(args("op", "sepconv2d-grad", "--x", x, "--depthwise-filter", dwf, "--pointwise-filter", pwf,
                "--dy", sdy, "--dx", dx, "--dpointwise-filter", dpw, "--dmiddle-scale", dscale));
        assertUsageError(r, List.of(dx, dpw, dscale), "--dmiddle-scale");
        Path db = dir.resolve("sdb.npy");
        r = run(args("op", "sepconv2d-grad", "--x", x, "--depthwise-filter", dwf, "--pointwise-filter", pwf,
                "--dy", sdy, "--dx", dx, "--dpointwise-filter", dpw, "--dbias", db));
        assertUsageError(r, List.of(dx, dpw, db), "--dbias");
    }

    @Test
    void middleScaleWithoutShiftWritesNothing() {
        Random rnd = new Random(3);
        Path dwf = npy(dir.resolve("dwf.npy"), random(rnd, 3, 3, 3, 1));
        Path pwf = npy(dir.resolve("pwf.npy"), random(rnd, 1, 1, 3, 4));
        Path scale = npy(dir.resolve("scale.npy"), random(rnd, 3));
        Result r = run(args("op", "sepconv2d", "--x", x, "--depthwise-filter", dwf, "--pointwise-filter", pwf,
                "--middle-scale", scale, "--y", y));
        assertUsageError(r, List.of(y), "--middle-scale", "--middle-shift");
    }

    @Test
    void spatialBiasGradientWithoutBiasWritesNothing() {
        Random rnd = new Random(4);
        Path v = npy(dir.resolve("v.npy"), random(rnd, 3, 1, 3, 1));
        Path h = npy(dir.resolve("h.npy"), random(rnd, 1, 3, 3, 1));
        Path dv = dir.resolve("dv.npy");
        Result r = run(args("op", "spatial-sepconv2d-grad", "--x", x, "--vertical-filter", v,
                "--horizontal-filter", h, "--dy", dy, "--dx", dx, "--dvertical-filter", dv, "--dbias", dbias));
        assertUsageError(r, List.of(dx, dv, dbias), "--dbias");
    }

    /**
     * An output that cannot be written (its folder does not exist) is an I/O failure, not a usage error,
     * but the outputs before it in the list must not be left behind either.
     */
    @Test
    void unwritableOutputLeavesNoOtherOutput() {
        Path nowhere = dir.resolve("no-such-folder").resolve("dw.npy");
        Result r = run(args("op", "dwconv2d-grad", "--x", x, "--filter", filter, "--bias", bias, "--dy", dy,
                "--y", y, "--dx", dx, "--dfilter", nowhere, "--dbias", dbias));
        assertNotEquals(0, r.code(), r.describe());
        assertTrue(r.err().startsWith("depthwise: "), r.describe());
        assertTrue(r.err().contains(nowhere.toString()), r.describe());
        assertFalse(r.err().contains("at dev."), r.describe());
        for (Path p : List.of(y, dx, nowhere, dbias)) {
            assertFalse(Files.exists(p), p + " was left behind by a failed run");
        }
    }

    @Test
    void failedRunLeavesAnExistingOutputUntouched() {
        NdArray old = new NdArray(new int[] {2}, new float[] {42, 43});
        npy(y, old);
        npy(dx, old);
        assertEquals(2, run(args("op", "dwconv2d", "--x", x, "--filter", filter, "--y", y, "--stride", "0")).code());
        assertEquals(old, read(y));
        Path bad = npy(dir.resolve("bad.npy"), random(new Random(1), 1, 2, 2, 3));
        assertEquals(2, run(args("op", "dwconv2d-grad", "--x", x, "--filter", filter, "--dy", bad, "--dx", dx))
                .code());
        assertEquals(old, read(dx));
    }
}
