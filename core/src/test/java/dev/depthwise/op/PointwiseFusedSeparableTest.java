package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.kernel.ConvRef;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SeparableSpec.Middle;
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
 * The fused separable forward pass (depthwise band in L2, middle folded into the depthwise
 * weights, pointwise GEMM on the band) against the stages computed one by one with the reference
 * kernels in double: 3x3 stride 1 and 2 and a 5x5 dilated one, 1-D, channel counts below and
 * above a vector, every middle, pointwise activations, biases or none, both filter layouts, bands
 * of one row and of many, 1 to 3 threads. Every vector width (simd tag; with the vector bodies off
 * the unfused path runs and the same comparison holds).
 */
@Tag("simd")
class PointwiseFusedSeparableTest {
    private static final Middle[] MIDDLES = {Middle.NONE, Middle.batchNorm(Activation.RELU6),
        new Middle(false, Activation.RELU), Middle.batchNorm(Activation.HARD_SWISH), Middle.batchNorm(Activation.NONE)};
    private static final Activation[] OUTER = {Activation.NONE, Activation.RELU, Activation.SIGMOID,
        Activation.RELU6, Activation.leakyRelu(0.1f)};

    record Case(SeparableSpec spec, boolean dwBias, boolean pwBias, int threads, int bandBytes) {
    }

    static List<Case> cases() {
        List<ConvSpec> dws = new ArrayList<>();
        int[][] shapes = {{1, 9, 7, 3}, {2, 8, 8, 16}, {1, 13, 11, 17}, {1, 6, 10, 33}, {2, 5, 5, 8}};
        for (int[] sh : shapes) {
            dws.add(ConvSpec.builder(CHANNELS_LAST, sh).kernel(3, 3).depthwise(1).padding(Padding.same()).build());
            dws.add(ConvSpec.builder(CHANNELS_LAST, sh).kernel(3, 3).depthwise(1).stride(2).padding(Padding.same())
                    .filterLayout(FilterLayout.OUT_IN_SPATIAL).build());
        }
        dws.add(ConvSpec.builder(CHANNELS_LAST, 1, 12, 12, 8).kernel(5, 5).depthwise(1).dilation(2)
                .padding(Padding.explicit(new int[] {3, 1}, new int[] {2, 4})).build());
        dws.add(ConvSpec.builder(CHANNELS_LAST, 2, 21, 24).kernel(3).depthwise(1).padding(Padding.causal()).build());
        int[] outs = {1, 7, 16, 24, 40};
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < dws.size(); i++) {
            SeparableSpec spec = SeparableSpec.of(dws.get(i), MIDDLES[i % MIDDLES.length], outs[i % outs.length],
                    OUTER[i % OUTER.length]);
            int band = i % 2 == 0 ? 1 : SeparableConv.BAND_BYTES;   // 1 byte: bands of one row
            cases.add(new Case(spec, i % 3 != 0, i % 2 == 0, 1 + i % 3, band));
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> fusedMatchesTheStages() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.spec + " dwBias=" + c.dwBias + " pwBias="
                + c.pwBias + " threads=" + c.threads + " band=" + c.bandBytes, () -> check(c)));
    }

    static void check(Case c) {
        SeparableConv op = SeparableConv.of(c.spec, c.threads, c.bandBytes);
        assertEquals(Simd.enabled(), op.fused(), "fused exactly when the vector kernels are on");
        ConvSpec dw = c.spec.depthwise();
        ConvSpec pw = c.spec.pointwise();
        long seed = c.spec.toString().hashCode();
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
        // into a given array, every element written, twice (the second call on warm kept arrays)
        for (int call = 0; call < 2; call++) {
            float[] into = new float[got.length];
            Arrays.fill(into, Float.NaN);
            op.forward(x, w, into);
            assertMatches(c.spec, x, df, db, scale, shift, pf, pb, into);
        }
    }

    /**
     * The stages in double, and as tolerance 2e-5 of the sum of |terms| carried through both stages
     * (folding the middle into the depthwise weights rounds differently from applying it after).
     */
    static void assertMatches(SeparableSpec spec, float[] x, float[] df, float[] db, float[] scale, float[] shift,
                              float[] pf, float[] pb, float[] got) {
        ConvSpec dw = spec.depthwise();
        ConvSpec pw = spec.pointwise();
        ConvGeometry g = dw.geometry();
        int c = dw.outChannels();
        float[] u = new float[dw.outputLength()];
        ConvRef.forward(g, x, df, db, Activation.NONE, u);
        float[] uAbs = new float[u.length];
        ConvRef.forward(g, PointwiseForwardTest.abs(x), PointwiseForwardTest.abs(df),
                db == null ? null : PointwiseForwardTest.abs(db), Activation.NONE, uAbs);
        float[] a = new float[u.length];
        float[] aAbs = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            int ch = i % c;
            double v = spec.middle().affine() ? (double) u[i] * scale[ch] + shift[ch] : u[i];
            a[i] = (float) ActivationRef.apply(spec.middle().activation(), v);
            double vAbs = spec.middle().affine() ? uAbs[i] * Math.abs(scale[ch]) + Math.abs(shift[ch]) : uAbs[i];
            aAbs[i] = (float) (1.5 * vAbs);
        }
        float[] want = new float[pw.outputLength()];
        ConvRef.forward(pw.geometry(), a, pf, pb, pw.activation(), want);
        float[] bound = new float[pw.outputLength()];
        ConvRef.forward(pw.geometry(), aAbs, PointwiseForwardTest.abs(pf), pb == null ? null : PointwiseForwardTest.abs(pb),
                Activation.NONE, bound);
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            double tol = 2e-5 * bound[i] + 1e-6;
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                fail(spec + ": y[" + i + "] = " + got[i] + ", expected " + want[i] + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void channelsFirstAndMultipliersTakeTheStages() {
        ConvSpec first = ConvSpec.builder(CHANNELS_FIRST, 1, 8, 6, 6).kernel(3, 3).depthwise(1)
                .padding(Padding.same()).build();
        assertFalse(SeparableConv.fusable(SeparableSpec.of(first, Middle.NONE, 4, Activation.NONE)));
        ConvSpec twice = ConvSpec.builder(CHANNELS_LAST, 1, 6, 6, 8).kernel(3, 3).depthwise(2)
                .padding(Padding.same()).build();
        assertFalse(SeparableConv.fusable(SeparableSpec.of(twice, Middle.NONE, 4, Activation.NONE)));
    }
}
