package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SpatialSeparableSpec;
import dev.depthwise.testutil.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Identities between operators and between layouts, each computed along two different code paths:
 * depthwise == per-channel full convolutions; separable == depthwise then pointwise; 1-D == 2-D
 * with H = 1; 3-D with D = 1 == 2-D; channels-first == transposed channels-last; TensorFlow filter
 * layout == PyTorch layout after permutation; spatially separable == full depthwise with the outer
 * product filter.
 */
class IdentityTest {
    private static final double TOL = 1e-6;

    @Test
    void depthwiseEqualsOneFullConvolutionPerChannel() {
        int n = 2, h = 5, w = 4, c = 3, m = 2;
        ConvSpec dw = ConvSpec.builder(CHANNELS_LAST, n, h, w, c).kernel(3, 3).depthwise(m).stride(2)
                .padding(Padding.same()).build();
        float[] x = Tensors.random(1, dw.inputLength());
        float[] f = Tensors.random(2, dw.filterLength());
        float[] y = Conv.of(dw).forward(x, f, null);
        int[] out = dw.outputSpatial();
        int pixels = n * out[0] * out[1];
        for (int ch = 0; ch < c; ch++) {
            ConvSpec single = ConvSpec.builder(CHANNELS_LAST, n, h, w, 1).kernel(3, 3).conv(m, 1).stride(2)
                    .padding(Padding.same()).build();
            float[] xc = new float[n * h * w];
            for (int i = 0; i < xc.length; i++) {
                xc[i] = x[i * c + ch];
            }
            float[] fc = new float[9 * m];
            for (int tap = 0; tap < 9; tap++) {
                for (int j = 0; j < m; j++) {
                    fc[tap * m + j] = f[(tap * c + ch) * m + j];
                }
            }
            float[] yc = Conv.of(single).forward(xc, fc, null);
            for (int p = 0; p < pixels; p++) {
                for (int j = 0; j < m; j++) {
                    assertEquals(yc[p * m + j], y[p * c * m + ch * m + j], TOL, "pixel " + p + " channel " + ch + "*M+" + j);
                }
            }
        }
    }

    @Test
    void depthwiseEqualsGroupedWithGroupsEqualToChannels() {
        ConvSpec dw = ConvSpec.builder(CHANNELS_FIRST, 2, 4, 6, 5).kernel(3, 2).depthwise(3).dilation(2, 1)
                .padding(Padding.same()).padMode(PadMode.REFLECT).build();
        ConvSpec grouped = dw.toBuilder().conv(12, 4).build();
        float[] x = Tensors.random(3, dw.inputLength());
        float[] f = Tensors.random(4, dw.filterLength());
        float[] b = Tensors.random(5, dw.outChannels());
        float[] dy = Tensors.random(6, dw.outputLength());
        assertArrayEquals(Conv.of(dw).forward(x, f, b), Conv.of(grouped).forward(x, f, b));
        ConvGradients g1 = Conv.of(dw).backward(x, f, b, dy);
        ConvGradients g2 = Conv.of(grouped).backward(x, f, b, dy);
        assertArrayEquals(g1.dx(), g2.dx());
        assertArrayEquals(g1.dfilter(), g2.dfilter());
        assertArrayEquals(g1.dbias(), g2.dbias());
    }

    @Test
    void separableEqualsDepthwiseThenPointwise() {
        ConvSpec dw = ConvSpec.builder(CHANNELS_LAST, 2, 6, 5, 3).kernel(3, 3).depthwise(2).stride(2)
                .padding(Padding.same()).build();
        float[] x = Tensors.random(7, dw.inputLength());
        float[] df = Tensors.random(8, dw.filterLength());
        SeparableSpec keras = SeparableSpec.of(dw, SeparableSpec.Middle.NONE, 4, Activation.RELU);
        float[] pf = Tensors.random(9, keras.pointwise().filterLength());
        float[] pb = Tensors.random(10, 4);
        float[] u = Conv.of(dw).forward(x, df, null);
        float[] expected = Conv.of(keras.pointwise()).forward(u, pf, pb);
        Tensors.assertClose(expected, SeparableConv.of(keras).forward(x, SeparableWeights.of(df, pf, pb)), TOL, 0,
                "Keras form");

        // MobileNet form: batch norm (folded to scale and shift) and ReLU6 between the stages
        SeparableSpec mobile = SeparableSpec.of(dw, SeparableSpec.Middle.batchNorm(Activation.RELU6), 4,
                Activation.NONE);
        float[] scale = Tensors.random(11, 6);
        float[] shift = Tensors.random(12, 6);
        float[] v = u.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ActivationRef.apply(Activation.RELU6, (double) u[i] * scale[i % 6] + shift[i % 6]);
        }
        expected = Conv.of(mobile.pointwise()).forward(v, pf, null);
        Tensors.assertClose(expected, SeparableConv.of(mobile).forward(x,
                new SeparableWeights(df, null, scale, shift, pf, null)), TOL, 0, "MobileNet form");
    }

    @Test
    void oneDimensionalEqualsTwoDimensionalWithHeightOne() {
        ConvSpec one = ConvSpec.builder(CHANNELS_LAST, 2, 11, 3).kernel(3).depthwise(2).stride(2).dilation(2)
                .padding(Padding.same()).activation(Activation.SIGMOID).build();
        ConvSpec two = ConvSpec.builder(CHANNELS_LAST, 2, 1, 11, 3).kernel(1, 3).depthwise(2).stride(1, 2)
                .dilation(1, 2).padding(Padding.same()).activation(Activation.SIGMOID).build();
        assertSameResults(one, two, 13);
        ConvSpec causal = ConvSpec.builder(CHANNELS_FIRST, 1, 3, 8).kernel(3).depthwise(1).dilation(2)
                .padding(Padding.causal()).build();
        ConvSpec leftPadded = ConvSpec.builder(CHANNELS_FIRST, 1, 3, 1, 8).kernel(1, 3).depthwise(1).dilation(1, 2)
                .padding(Padding.explicit(new int[] {0, 4}, new int[] {0, 0})).build();
        assertSameResults(causal, leftPadded, 14);
    }

    @Test
    void threeDimensionalWithDepthOneEqualsTwoDimensional() {
        ConvSpec three = ConvSpec.builder(CHANNELS_FIRST, 2, 3, 1, 6, 5).kernel(1, 3, 3).depthwise(2).stride(1, 2, 1)
                .padding(Padding.same()).padMode(PadMode.REPLICATE).activation(Activation.HARD_SWISH).build();
        ConvSpec two = ConvSpec.builder(CHANNELS_FIRST, 2, 3, 6, 5).kernel(3, 3).depthwise(2).stride(2, 1)
                .padding(Padding.same()).padMode(PadMode.REPLICATE).activation(Activation.HARD_SWISH).build();
        assertSameResults(three, two, 15);
    }

    /** Forward and all gradients agree when both specs read the same flat arrays. */
    private static void assertSameResults(ConvSpec a, ConvSpec b, long seed) {
        float[] x = Tensors.random(seed, a.inputLength());
        float[] f = Tensors.random(seed + 1, a.filterLength());
        float[] bias = Tensors.random(seed + 2, a.outChannels());
        float[] dy = Tensors.random(seed + 3, a.outputLength());
        Tensors.assertClose(Conv.of(a).forward(x, f, bias), Conv.of(b).forward(x, f, bias), TOL, 0, a + " vs " + b);
        ConvGradients ga = Conv.of(a).backward(x, f, bias, dy);
        ConvGradients gb = Conv.of(b).backward(x, f, bias, dy);
        Tensors.assertClose(ga.dx(), gb.dx(), TOL, 0, "dx");
        Tensors.assertClose(ga.dfilter(), gb.dfilter(), TOL, 0, "dfilter");
        Tensors.assertClose(ga.dbias(), gb.dbias(), TOL, 0, "dbias");
    }

    static List<ConvSpec> layoutCases() {
        return List.of(
                ConvSpec.builder(CHANNELS_LAST, 2, 9, 4).kernel(3).depthwise(3).stride(2).padding(Padding.causal())
                        .build(),
                ConvSpec.builder(CHANNELS_LAST, 2, 5, 6, 3).kernel(3, 3).depthwise(2).stride(2, 1)
                        .padding(Padding.same()).padMode(PadMode.CIRCULAR).activation(Activation.RELU6).build(),
                ConvSpec.builder(CHANNELS_LAST, 1, 3, 4, 5, 2).kernel(2, 3, 3).depthwise(1).dilation(2, 1, 2)
                        .padding(Padding.same()).padMode(PadMode.REFLECT).build(),
                ConvSpec.builder(CHANNELS_LAST, 2, 4, 4, 6).kernel(3, 3).conv(4, 2).padding(Padding.of(1)).build());
    }

    @Test
    void channelsFirstEqualsTransposedChannelsLast() {
        for (ConvSpec last : layoutCases()) {
            ConvSpec first = last.toBuilder().layout(CHANNELS_FIRST).build();
            int rank = last.rank();
            float[] x = Tensors.random(20, last.inputLength());
            float[] f = Tensors.random(21, last.filterLength());
            float[] dy = Tensors.random(22, last.outputLength());
            float[] xFirst = Tensors.moveAxis(x, last.inputShape(), rank + 1, 1);
            float[] dyFirst = Tensors.moveAxis(dy, last.outputShape(), rank + 1, 1);
            float[] yLast = Conv.of(last).forward(x, f, null);
            float[] yFirst = Conv.of(first).forward(xFirst, f, null);
            Tensors.assertClose(Tensors.moveAxis(yLast, last.outputShape(), rank + 1, 1), yFirst, TOL, 0, last + " y");
            ConvGradients gl = Conv.of(last).backward(x, f, null, dy);
            ConvGradients gf = Conv.of(first).backward(xFirst, f, null, dyFirst);
            Tensors.assertClose(Tensors.moveAxis(gl.dx(), last.inputShape(), rank + 1, 1), gf.dx(), TOL, 0, "dx");
            Tensors.assertClose(gl.dfilter(), gf.dfilter(), TOL, 0, "dfilter");
        }
    }

    @Test
    void tensorflowFilterLayoutEqualsPytorchLayoutAfterPermutation() {
        for (ConvSpec tf : layoutCases()) {
            ConvSpec pt = tf.toBuilder().filterLayout(FilterLayout.OUT_IN_SPATIAL).build();
            int rank = tf.rank();
            // TF [k..., I, O] -> PyTorch [O, I, k...]: depthwise [k..., C, M] is the same memory as [k..., 1, C*M]
            int[] tfShape = new int[rank + 2];
            System.arraycopy(tf.kernel(), 0, tfShape, 0, rank);
            tfShape[rank] = tf.inChannels() / tf.groups();
            tfShape[rank + 1] = tf.outChannels();
            int[] order = new int[rank + 2];
            order[0] = rank + 1;
            order[1] = rank;
            for (int a = 0; a < rank; a++) {
                order[a + 2] = a;
            }
            float[] x = Tensors.random(30, tf.inputLength());
            float[] f = Tensors.random(31, tf.filterLength());
            float[] dy = Tensors.random(32, tf.outputLength());
            float[] fPt = Tensors.transpose(f, tfShape, order);
            assertArrayEquals(pt.filterShape(), Tensors.transposedShape(tfShape, order), "PyTorch filter shape");
            Tensors.assertClose(Conv.of(tf).forward(x, f, null), Conv.of(pt).forward(x, fPt, null), TOL, 0, tf + " y");
            Tensors.assertClose(Tensors.transpose(Conv.of(tf).backward(x, f, null, dy).dfilter(), tfShape, order),
                    Conv.of(pt).backward(x, fPt, null, dy).dfilter(), TOL, 0, "dfilter");
        }
    }

    @ParameterizedTest
    @EnumSource(PadMode.class)
    void spatiallySeparableEqualsFullDepthwiseWithOuterProductFilter(PadMode mode) {
        ConvSpec full = ConvSpec.builder(CHANNELS_FIRST, 2, 3, 7, 6).kernel(3, 2).depthwise(2).stride(2, 1)
                .dilation(1, 2).padding(Padding.same()).padMode(mode).activation(Activation.leakyRelu(0.1f)).build();
        SpatialSeparableSpec sep = SpatialSeparableSpec.of(full);
        float[] x = Tensors.random(40, full.inputLength());
        float[] v = Tensors.random(41, sep.vertical().filterLength());     // [3, 1, C, M]
        float[] h = Tensors.random(42, sep.horizontal().filterLength());   // [1, 2, C*M, 1]
        float[] b = Tensors.random(43, full.outChannels());
        int cm = full.outChannels();
        float[] outer = new float[full.filterLength()];                    // [3, 2, C, M]: v[i][o] * h[j][o]
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                for (int o = 0; o < cm; o++) {
                    outer[(i * 2 + j) * cm + o] = v[i * cm + o] * h[j * cm + o];
                }
            }
        }
        Tensors.assertClose(Conv.of(full).forward(x, outer, b), SpatialSeparableConv.of(sep).forward(x, v, h, b),
                1e-5, 0, sep.toString());
    }
}
