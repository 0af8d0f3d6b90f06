package dev.depthwise.op;

import static dev.depthwise.op.BadInputTest.assertAllNaN;
import static dev.depthwise.op.BadInputTest.assertRefused;
import static dev.depthwise.op.BadInputTest.nans;
import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Conv#backward(float[], float[], float[], float[], float[], float[], float[])}, the form
 * that writes into the caller's arrays: the same bits as the allocating form on every path
 * (depthwise both layouts, multipliers 1 and 2, an activation; pointwise; grouped im2col; the
 * reference), every element written (outputs start as NaN), nothing accumulated into what the
 * arrays held (called again into the same arrays), no stale kept scratch between ops of other
 * sizes on the same thread, and every bad array refused, naming it, before anything is written.
 * The allocating form's accuracy against the reference is in the per-path backward tests.
 */
@Tag("simd")
class ConvBackwardIntoTest {

    /** A spec, the thread count to run it with, and the path it should take when SIMD is available. */
    record Case(ConvSpec spec, int threads, String path) {
        @Override
        public String toString() {
            return spec + " threads=" + threads;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (var layout : List.of(CHANNELS_LAST, CHANNELS_FIRST)) {
            for (int m = 1; m <= 2; m++) {
                for (int threads = 1; threads <= 2; threads++) {
                    c.add(new Case(ConvSpec.builder(layout, 2, 9, 7, 19).kernel(3, 3).depthwise(m)
                            .stride(m == 2 ? 2 : 1).padding(Padding.same())
                            .filterLayout(threads == 1 ? FilterLayout.SPATIAL_IN_OUT : FilterLayout.OUT_IN_SPATIAL)
                            .build(), threads, "DwBackward"));
                }
            }
        }
        // stride 3 over a narrow row (some input pixels meet no output), dilation, 1-D and 3-D
        c.add(new Case(ConvSpec.builder(CHANNELS_LAST, 1, 8, 13, 17).kernel(3, 3).depthwise(1).stride(3)
                .dilation(2).padding(Padding.valid()).build(), 1, "DwBackward"));
        c.add(new Case(ConvSpec.builder(CHANNELS_FIRST, 1, 5, 4, 6, 7).kernel(3, 3, 3).depthwise(2)
                .stride(2, 1, 3).padding(Padding.sameLower()).build(), 2, "DwBackward"));
        c.add(new Case(ConvSpec.builder(CHANNELS_LAST, 1, 23, 33).kernel(3).depthwise(1)
                .padding(Padding.causal()).dilation(2).build(), 1, "DwBackward"));
        c.add(new Case(ConvSpec.builder(CHANNELS_LAST, 2, 6, 5, 13).kernel(3, 3).depthwise(2)
                .padding(Padding.same()).activation(Activation.HARD_SWISH).build(), 2, "DwBackward"));
        c.add(new Case(ConvSpec.builder(CHANNELS_FIRST, 1, 13, 6, 5).kernel(3, 3).depthwise(1)
                .padding(Padding.same()).activation(Activation.RELU6).build(), 1, "DwBackward"));
        // pointwise: 1280 positions, so two threads split the positions (kept partial sums)
        for (var layout : List.of(CHANNELS_LAST, CHANNELS_FIRST)) {
            c.add(new Case(ConvSpec.builder(layout, 1, 32, 40, 24).pointwise(17).build(), 2, "pw-gemm"));
            c.add(new Case(ConvSpec.builder(layout, 2, 5, 7, 12).pointwise(20)
                    .filterLayout(FilterLayout.OUT_IN_SPATIAL).build(), 1, "pw-gemm"));
        }
        c.add(new Case(ConvSpec.builder(CHANNELS_LAST, 2, 5, 7, 12).pointwise(8).activation(Activation.RELU)
                .build(), 2, "pw-gemm"));
        // grouped and full convolutions: im2col, both filter layouts, more images than threads
        c.add(new Case(ConvSpec.builder(CHANNELS_LAST, 3, 9, 8, 6).kernel(3, 3).conv(8, 2).stride(2)
                .padding(Padding.same()).build(), 2, "im2col"));
        c.add(new Case(ConvSpec.builder(CHANNELS_LAST, 1, 7, 6, 5).kernel(3, 3).conv(12, 1)
                .filterLayout(FilterLayout.OUT_IN_SPATIAL).padding(Padding.same())
                .activation(Activation.SIGMOID).build(), 1, "im2col"));
        // the reference: a padding mode no fast path takes, and channels-first grouped
        c.add(new Case(ConvSpec.builder(CHANNELS_LAST, 1, 6, 7, 5).kernel(3, 3).depthwise(2)
                .padding(Padding.same()).padMode(PadMode.REFLECT).build(), 1, "reference"));
        c.add(new Case(ConvSpec.builder(CHANNELS_FIRST, 2, 6, 5, 4).kernel(3, 3).conv(4, 2)
                .padding(Padding.same()).build(), 2, "reference"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> intoArraysGivesTheAllocatingFormsBits() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            checkPath(c);
            check(c, true);
            check(c, false);
        }));
    }

    private static void checkPath(Case c) {
        String paths = Conv.of(c.spec(), c.threads()).paths();
        String want = Simd.AVAILABLE ? c.path() : "reference";
        assertTrue(paths.endsWith(" / reference") == want.equals("reference") && paths.contains(want),
                c + ": expected the " + want + " backward path, got " + paths);
    }

    private static void check(Case c, boolean withBias) {
        ConvSpec spec = c.spec();
        Conv conv = Conv.of(spec, c.threads());
        long seed = spec.toString().hashCode();
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = withBias ? Tensors.random(seed + 2, spec.outChannels()) : null;
        float[] dy = Tensors.random(seed + 3, spec.outputLength());
        float[] dy2 = Tensors.random(seed + 4, spec.outputLength());
        String what = c + (withBias ? " +bias" : "");
        ConvGradients want = conv.backward(x, f, b, dy);
        if (!withBias) {
            assertNull(want.dbias(), what);
        }
        float[] dx = nans(spec.inputLength());
        float[] df = nans(spec.filterLength());
        float[] db = withBias ? nans(spec.outChannels()) : null;
        conv.backward(x, f, b, dy, dx, df, db);
        assertSame(want, dx, df, db, what + ", into NaN-filled arrays");
        // into the same arrays again, after another dy: overwritten, not accumulated
        conv.backward(x, f, b, dy2, dx, df, db);
        conv.backward(x, f, b, dy, dx, df, db);
        assertSame(want, dx, df, db, what + ", into the arrays again");
    }

    private static void assertSame(ConvGradients want, float[] dx, float[] df, float[] db, String what) {
        assertArrayEquals(want.dx(), dx, what + ": dx");
        assertArrayEquals(want.dfilter(), df, what + ": dfilter");
        if (db != null) {
            assertArrayEquals(want.dbias(), db, what + ": dbias");
        }
    }

    /**
     * The paths keep their working memory per thread, shared by every op: ops of other sizes run
     * in between (bigger, then smaller) must leave no trace.
     */
    @Test
    void keptScratchCarriesNothingBetweenOps() {
        List<Case> cases = cases();
        List<ConvGradients> first = new ArrayList<>();
        for (Case c : cases) {
            first.add(run(c));
        }
        for (int i = cases.size() - 1; i >= 0; i--) {
            ConvGradients again = run(cases.get(i));
            String what = cases.get(i) + " after other ops";
            assertSame(first.get(i), again.dx(), again.dfilter(), again.dbias(), what);
        }
    }

    private static ConvGradients run(Case c) {
        ConvSpec spec = c.spec();
        long seed = spec.toString().hashCode() + 11;
        float[] dx = nans(spec.inputLength());
        float[] df = nans(spec.filterLength());
        float[] db = nans(spec.outChannels());
        Conv.of(spec, c.threads()).backward(Tensors.random(seed, spec.inputLength()),
                Tensors.random(seed + 1, spec.filterLength()), Tensors.random(seed + 2, spec.outChannels()),
                Tensors.random(seed + 3, spec.outputLength()), dx, df, db);
        return new ConvGradients(dx, df, db);
    }

    // ---------------------------------------------------------------- refusals

    /** 1x3x3x3 NHWC, 3x3 depthwise, same: x, filter and y all 27 floats, so any two could be one array. */
    private static final ConvSpec EQUAL = ConvSpec.builder(CHANNELS_LAST, 1, 3, 3, 3).kernel(3, 3).depthwise(1)
            .padding(Padding.same()).build();

    /** The arguments of one call: x, filter, bias, dy, dx, dfilter, dbias. */
    private static float[][] good(ConvSpec spec) {
        return new float[][] {Tensors.random(1, spec.inputLength()), Tensors.random(2, spec.filterLength()),
                Tensors.random(3, spec.outChannels()), Tensors.random(4, spec.outputLength()),
                nans(spec.inputLength()), nans(spec.filterLength()), nans(spec.outChannels())};
    }

    private static final String[] NAMES = {"x", "filter", "bias", "dy", "dx", "dfilter", "dbias"};

    /** Calls with {@code a}, expects a refusal naming {@code fragments}, and the outputs still all NaN. */
    private static void refused(Conv conv, float[][] a, String... fragments) {
        assertRefused(() -> conv.backward(a[0], a[1], a[2], a[3], a[4], a[5], a[6]), fragments);
        for (int i = 4; i < 7; i++) {
            if (a[i] != null && a[i] != a[0] && a[i] != a[1] && a[i] != a[2] && a[i] != a[3]) {
                assertAllNaN(a[i], String.join(" ", fragments) + ": " + NAMES[i]);
            }
        }
    }

    @Test
    void everyWrongLengthOrNullIsRefusedNamingTheArrayBeforeAnyWrite() {
        ConvSpec spec = ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 3).kernel(3, 3).depthwise(2).stride(2)
                .padding(Padding.same()).activation(Activation.RELU).build();
        Conv conv = Conv.of(spec);
        int[] lengths = {spec.inputLength(), spec.filterLength(), spec.outChannels(), spec.outputLength(),
                spec.inputLength(), spec.filterLength(), spec.outChannels()};
        for (int i = 0; i < 7; i++) {
            for (int delta : new int[] {-1, 1}) {
                float[][] a = good(spec);
                a[i] = nans(lengths[i] + delta);
                refused(conv, a, NAMES[i] + " must have " + lengths[i] + " elements", "got " + (lengths[i] + delta));
            }
            if (i != 2) { // a null bias means no bias
                float[][] a = good(spec);
                a[i] = null;
                refused(conv, a, NAMES[i] + " must not be null");
            }
        }
        float[][] a = good(spec);
        a[2] = null;
        refused(conv, a, "dbias must be null when bias is null", "got an array of " + spec.outChannels());
        // and the good arguments work
        float[][] ok = good(spec);
        conv.backward(ok[0], ok[1], ok[2], ok[3], ok[4], ok[5], ok[6]);
        assertEquals(0, countNaN(ok[4]) + countNaN(ok[5]) + countNaN(ok[6]));
    }

    @Test
    void anOutputThatIsAnInputOrAnotherOutputIsRefused() {
        assertEquals(27, EQUAL.inputLength());
        assertEquals(27, EQUAL.filterLength());
        assertEquals(27, EQUAL.outputLength());
        Conv conv = Conv.of(EQUAL);
        for (int out = 4; out < 7; out++) {
            for (int other = 0; other < out; other++) {
                float[][] a = good(EQUAL);
                if (a[out].length != a[other].length) {
                    continue;
                }
                a[out] = a[other];
                refused(conv, a, NAMES[out] + " must not be the same array as " + NAMES[other]);
            }
        }
    }

    private static int countNaN(float[] a) {
        int n = 0;
        for (float v : a) {
            n += Float.isNaN(v) ? 1 : 0;
        }
        return n;
    }
}
