package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.kernel.DwActivation;
import dev.depthwise.kernel.DwNchw3x3s1;
import dev.depthwise.kernel.DwNchw3x3s2;
import dev.depthwise.kernel.VecSpecies;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 3x3 kernels at the widths that pick each of their tiles, sized from the vector width in use
 * (so the 128-bit and scalar reruns cover them too): channels-first rows of 1 to 17 vectors (every
 * tile of DwNchw3x3s1 and s2, one pass and several, the last vector full and partial, the two-plane
 * tiles of narrow planes), heights across the kernels' row blocks, every padding mode and a padding
 * wide enough to reach the middle strips; channels-last channel counts that split into pairs of
 * vectors, a single vector and a scalar tail; and a non-finite weight in each layout (also
 * through {@link DepthwiseForward#prepare}, where the channels-last weights are packed once).
 */
@Tag("simd")
class DepthwiseForwardTilesTest {
    private static final Activation[] ACTS = {Activation.NONE, Activation.RELU6, Activation.HARD_SWISH,
            Activation.RELU, Activation.leakyRelu(0.3f), Activation.SIGMOID};

    record Case(ConvSpec spec, boolean bias) {
        @Override
        public String toString() {
            return spec + (bias ? " +bias" : "");
        }
    }

    static Stream<Case> grid() {
        int lanes = VecSpecies.LEN;
        List<Case> cases = new ArrayList<>();
        Padding[] pads = {Padding.same(), Padding.valid(), Padding.sameLower(),
                Padding.explicit(new int[] {2, 0}, new int[] {1, 2}), Padding.explicit(new int[] {1, 1}, new int[] {3, 3})};
        int[] heights = {1, 5, 19, 37};
        int i = 0;
        for (int s = 1; s <= 2; s++) {
            for (int vectors = 1; vectors <= 17; vectors += vectors < 9 ? 1 : 8, i++) {
                for (int partial = 0; partial <= 1; partial++, i++) {
                    int outW = vectors * lanes - partial * (1 + i % Math.max(1, lanes - 1));
                    int w = Math.max(1, outW * s);
                    Padding pad = pads[i % pads.length];
                    int h = heights[i % heights.length];
                    if (pad instanceof Padding.Valid && (h < 3 || w < 3)) {
                        pad = Padding.same();
                    }
                    cases.add(new Case(ConvSpec.builder(CHANNELS_FIRST, 1 + i % 2, 3, h, w).kernel(3, 3)
                            .depthwise(1 + i % 3 / 2).stride(s).padding(pad).activation(ACTS[i % ACTS.length]).build(),
                            i % 2 == 0));
                }
            }
            // narrow planes, in pairs of planes and alone: widths 1 to lanes/2 + 1
            for (int w = 1; w <= lanes / 2 + 1; w++, i++) {
                int h = 2 + i % 9;
                cases.add(new Case(ConvSpec.builder(CHANNELS_FIRST, 1 + i % 2, 5, h, w * s).kernel(3, 3)
                        .depthwise(1 + i % 2).stride(s).padding(i % 3 == 0 ? Padding.sameLower() : Padding.same())
                        .activation(ACTS[i % ACTS.length]).build(), i % 2 == 1));
            }
            // channels-last: pairs of vectors, one vector, a scalar tail
            for (int c : new int[] {2 * lanes, 3 * lanes + 1, 4 * lanes - 1, lanes, 1}) {
                for (Padding pad : new Padding[] {Padding.same(), pads[3]}) {
                    i++;
                    cases.add(new Case(ConvSpec.builder(CHANNELS_LAST, 1 + i % 2, 4 + i % 7, 3 + i % 11, c)
                            .kernel(3, 3).depthwise(1).stride(s).padding(pad).activation(ACTS[i % ACTS.length])
                            .build(), i % 2 == 0));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grid")
    void everyTileMatchesTheReference(Case t) {
        ConvSpec spec = t.spec();
        float[] x = Tensors.random(1, spec.inputLength());
        float[] f = Tensors.random(2, spec.filterLength());
        float[] b = t.bias() ? Tensors.random(3, spec.outChannels()) : null;
        float[] want = DepthwiseForwardTest.reference(spec, x, f, b);
        double[] tol = DepthwiseForwardTest.tolerance(spec, x, f, b);
        for (int threads : new int[] {1, 3}) {
            float[] y = new float[spec.outputLength()];
            DepthwiseForward path = new DepthwiseForward(spec, threads);
            path.forward(x, f, b, y);
            DepthwiseForwardTest.assertClose(want, y, tol, path.name() + " with " + threads + " threads on " + t);
        }
    }

    @Test
    void wideChannelsFirstRowsWriteOnlyTheirRegion() {
        int lanes = VecSpecies.LEN;
        for (int s = 1; s <= 2; s++) {
            for (int outW : new int[] {lanes / 2, 3 * lanes - 1, 8 * lanes, 9 * lanes + 1}) {
                ConvSpec spec = ConvSpec.builder(CHANNELS_FIRST, 1, 4, 18, Math.max(1, outW * s)).kernel(3, 3)
                        .depthwise(1).stride(s).padding(Padding.same()).activation(Activation.RELU6).build();
                ConvGeometry g = spec.geometry();
                DepthwiseForward.NchwPlanes fast = s == 1 ? DwNchw3x3s1::planes : DwNchw3x3s2::planes;
                DepthwiseForwardKernelTest.check(spec, (x, xOff, f, b, y, yOff) -> fast.planes(g, x, xOff, f, b,
                        DwActivation.RELU6, 0f, y, yOff, 0, g.n * g.k, 0, g.outH), "nchw 3x3s" + s + " outW=" + outW);
            }
        }
    }

    @Test
    void nonFiniteWeightsSkipThePaddedTapsInBothLayoutsAlsoPrepared() {
        for (Layout layout : new Layout[] {CHANNELS_FIRST, CHANNELS_LAST}) {
            for (int s = 1; s <= 2; s++) {
                int c = VecSpecies.LEN + 3;
                ConvSpec spec = (layout == CHANNELS_LAST ? ConvSpec.builder(layout, 1, 7, 2 * VecSpecies.LEN + 3, c)
                        : ConvSpec.builder(layout, 1, c, 7, 2 * VecSpecies.LEN + 3)).kernel(3, 3).depthwise(1)
                        .stride(s).padding(Padding.same()).build();
                float[] x = Tensors.random(1, spec.inputLength());
                float[] f = Tensors.random(2, spec.filterLength());
                f[0] = Float.POSITIVE_INFINITY;   // a corner tap of the first channel, in both filter layouts
                f[f.length - 1] = Float.NaN;      // the opposite corner of the last channel
                float[] want = DepthwiseForwardTest.reference(spec, x, f, null);
                float[] got = new float[want.length];
                DepthwiseForward path = new DepthwiseForward(spec, 2);
                path.forward(x, f, null, got);
                float[] prepared = new float[want.length];
                path.prepare(f, null).forward(x, prepared);
                for (int i = 0; i < want.length; i++) {
                    boolean same = Float.isFinite(want[i]) ? Math.abs(want[i] - got[i]) < 1e-4
                            : Float.compare(want[i], got[i]) == 0;
                    assertTrue(same, spec + " element " + i + ": " + got[i] + ", expected " + want[i]);
                    assertEquals(Float.floatToIntBits(got[i]), Float.floatToIntBits(prepared[i]),
                            spec + " prepared, element " + i);
                }
            }
        }
    }

    @Test
    void theChosenKernelsAreTheThreeByThreeOnes() {
        ConvSpec nchw = ConvSpec.builder(CHANNELS_FIRST, 1, 8, 9, 30).kernel(3, 3).depthwise(1)
                .padding(Padding.explicit(new int[] {2, 2}, new int[] {2, 2})).build();
        assertEquals("dw-nchw-3x3s1", DepthwiseForward.choose(nchw).label);
        assertEquals("dw-nchw-3x3s2", DepthwiseForward.choose(nchw.toBuilder().stride(2).build()).label);
    }
}
