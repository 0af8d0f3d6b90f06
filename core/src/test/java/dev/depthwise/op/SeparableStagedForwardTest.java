package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.kernel.ConvRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SeparableSpec.Middle;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The unfused separable forward pass (middle affine folded into the depthwise weights, middle
 * activation applied by the depthwise stage, kept intermediate, then the pointwise stage) against
 * the stages computed one by one in double with the reference: channels-first (the 3x3 stride 1
 * and 2 plane kernels, the transposing ones, 1-D and 3-D), channels-last with multiplier 2 and
 * with a non-zero pad mode; every middle activation with and without the affine map, biases or
 * none, 1 and 2 threads, both filter layouts. Each op runs twice with different weights, so the
 * kept intermediate and folded weights of a warm call are checked too. Every vector width (simd tag).
 */
@Tag("simd")
class SeparableStagedForwardTest {
    private static final Activation[] MID_ACTS = {Activation.NONE, Activation.RELU, Activation.RELU6,
        Activation.leakyRelu(0.1f), Activation.SIGMOID, Activation.HARD_SWISH};
    private static final Activation[] OUTER = {Activation.NONE, Activation.RELU6, Activation.SIGMOID};

    record Case(SeparableSpec spec, boolean dwBias, boolean pwBias, int threads) {
    }

    private static ConvSpec.Builder dw(Layout layout, int... shape) {
        return ConvSpec.builder(layout, shape).padding(Padding.same());
    }

    static List<Case> cases() {
        List<ConvSpec> dws = List.of(
                dw(CHANNELS_FIRST, 1, 8, 9, 7).kernel(3, 3).depthwise(1).build(),
                dw(CHANNELS_FIRST, 2, 13, 11, 10).kernel(3, 3).depthwise(1).stride(2).build(),
                dw(CHANNELS_FIRST, 1, 3, 8, 9).kernel(3, 3).depthwise(2).stride(2)
                        .filterLayout(FilterLayout.SPATIAL_IN_OUT).build(),
                dw(CHANNELS_FIRST, 1, 16, 6, 6).kernel(3, 3).depthwise(2).build(),
                dw(CHANNELS_FIRST, 1, 17, 21).kernel(3).depthwise(1).stride(2).padding(Padding.causal()).build(),
                dw(CHANNELS_FIRST, 1, 7, 4, 5, 6).kernel(3, 3, 3).depthwise(1).build(),
                dw(CHANNELS_FIRST, 1, 5, 7, 8).kernel(5, 3).depthwise(1).dilation(2, 1).build(),
                dw(CHANNELS_FIRST, 2, 4, 7, 7).kernel(3, 3).depthwise(1).stride(2).padMode(PadMode.REPLICATE).build(),
                dw(CHANNELS_LAST, 1, 7, 8, 7).kernel(3, 3).depthwise(2).build(),
                dw(CHANNELS_LAST, 2, 9, 9, 17).kernel(3, 3).depthwise(2).stride(2)
                        .filterLayout(FilterLayout.OUT_IN_SPATIAL).build(),
                dw(CHANNELS_LAST, 1, 13, 3).kernel(5).depthwise(2).stride(2).build(),
                dw(CHANNELS_LAST, 1, 4, 5, 3, 8).kernel(3, 3, 3).depthwise(2).build(),
                dw(CHANNELS_LAST, 1, 6, 7, 5).kernel(3, 3).depthwise(1).padMode(PadMode.REFLECT).build());
        int[] outs = {1, 7, 16, 33};
        List<Case> cases = new ArrayList<>();
        int i = 0;
        for (ConvSpec d : dws) {
            for (boolean affine : new boolean[] {false, true}) {
                Middle mid = new Middle(affine, MID_ACTS[i % MID_ACTS.length]);
                SeparableSpec spec = SeparableSpec.of(d, mid, outs[i % outs.length], OUTER[i % OUTER.length]);
                cases.add(new Case(spec, i % 3 != 1, i % 2 == 0, 1 + i % 2));
                i++;
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> stagedMatchesTheReference() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.spec + " dwBias=" + c.dwBias + " pwBias="
                + c.pwBias + " threads=" + c.threads, () -> check(c)));
    }

    static void check(Case c) {
        SeparableConv op = SeparableConv.of(c.spec, c.threads);
        assertFalse(op.fused(), "this spec takes the unfused forward pass");
        for (long seed = c.spec.toString().hashCode(), run = 0; run < 2; run++, seed += 100) {
            ConvSpec dw = c.spec.depthwise();
            ConvSpec pw = c.spec.pointwise();
            float[] x = Tensors.random(seed, dw.inputLength());
            float[] df = Tensors.random(seed + 1, dw.filterLength());
            float[] db = c.dwBias ? Tensors.random(seed + 2, dw.outChannels()) : null;
            float[] scale = null;
            float[] shift = null;
            if (c.spec.middle().affine()) {
                scale = Tensors.random(seed + 3, dw.outChannels());
                shift = Tensors.random(seed + 4, dw.outChannels());
            }
            float[] pf = Tensors.random(seed + 5, pw.filterLength());
            float[] pb = c.pwBias ? Tensors.random(seed + 6, pw.outChannels()) : null;
            SeparableWeights w = new SeparableWeights(df, db, scale, shift, pf, pb);
            float[] got = op.forward(x, w);
            assertMatches(c.spec, x, df, db, scale, shift, pf, pb, got);
            // into a given array (the second run: the kept intermediates are warm), every element written
            float[] into = new float[got.length];
            Arrays.fill(into, Float.NaN);
            op.forward(x, w, into);
            assertMatches(c.spec, x, df, db, scale, shift, pf, pb, into);
        }
    }

    /**
     * The stages in double, and as tolerance 2e-5 of the sum of |terms| carried through both stages
     * (folding the middle into the depthwise weights rounds differently from applying it after), in
     * either layout.
     */
    static void assertMatches(SeparableSpec spec, float[] x, float[] df, float[] db, float[] scale, float[] shift,
                              float[] pf, float[] pb, float[] got) {
        ConvSpec dw = spec.depthwise();
        ConvSpec pw = spec.pointwise();
        ConvGeometry g = dw.geometry();
        int c = dw.outChannels();
        int pixels = g.outD * g.outH * g.outW;
        boolean last = dw.layout() == CHANNELS_LAST;
        float[] u = new float[dw.outputLength()];
        ConvRef.forward(g, x, df, db, Activation.NONE, u);
        float[] uAbs = new float[u.length];
        ConvRef.forward(g, PointwiseForwardTest.abs(x), PointwiseForwardTest.abs(df),
                db == null ? null : PointwiseForwardTest.abs(db), Activation.NONE, uAbs);
        float[] a = new float[u.length];
        float[] aAbs = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            int ch = last ? i % c : i / pixels % c;
            double v = spec.middle().affine() ? (double) u[i] * scale[ch] + shift[ch] : u[i];
            a[i] = (float) ActivationRef.apply(spec.middle().activation(), v);
            double vAbs = spec.middle().affine() ? uAbs[i] * Math.abs(scale[ch]) + Math.abs(shift[ch]) : uAbs[i];
            aAbs[i] = (float) (1.5 * vAbs);
        }
        float[] want = new float[pw.outputLength()];
        ConvRef.forward(pw.geometry(), a, pf, pb, pw.activation(), want);
        float[] bound = new float[pw.outputLength()];
        ConvRef.forward(pw.geometry(), aAbs, PointwiseForwardTest.abs(pf),
                pb == null ? null : PointwiseForwardTest.abs(pb), Activation.NONE, bound);
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            double tol = 2e-5 * bound[i] + 1e-6;
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                fail(spec + ": y[" + i + "] = " + got[i] + ", expected " + want[i] + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void threadCountIsChecked() {
        SeparableSpec spec = SeparableSpec.of(dw(CHANNELS_FIRST, 1, 4, 5, 5).kernel(3, 3).depthwise(1).build(),
                Middle.NONE, 2, Activation.NONE);
        assertThrows(ShapeException.class, () -> SeparableConv.of(spec, 0));
        assertThrows(ShapeException.class, () -> SeparableConv.of(null, 1));
        assertEquals(spec, SeparableConv.of(spec, 3).spec());
    }
}
