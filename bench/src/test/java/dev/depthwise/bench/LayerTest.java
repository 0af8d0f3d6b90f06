package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.SeparableSpec;
import org.junit.jupiter.api.Test;

class LayerTest {
    @Test
    void depthwiseLayerSpecsInBothLayouts() {
        Layer l = Layer.dw(112, 112, 96, 2);
        ConvSpec nhwc = l.conv(Layout.CHANNELS_LAST, 8);
        assertArrayEquals(new int[] {8, 112, 112, 96}, nhwc.inputShape());
        assertArrayEquals(new int[] {8, 56, 56, 96}, nhwc.outputShape());
        assertEquals(FilterLayout.SPATIAL_IN_OUT, nhwc.filterLayout());
        assertArrayEquals(new int[] {0, 0}, nhwc.padBefore(), "TensorFlow 'same': the odd pixel goes after");
        assertArrayEquals(new int[] {1, 1}, nhwc.padAfter());
        ConvSpec nchw = l.conv(Layout.CHANNELS_FIRST, 8);
        assertArrayEquals(new int[] {8, 96, 56, 56}, nchw.outputShape());
        assertEquals(FilterLayout.OUT_IN_SPATIAL, nchw.filterLayout());
        assertEquals(nhwc.multAdds() * 2, l.flops(8));
        assertEquals(4L * (8 * 112 * 112 * 96 + 8 * 56 * 56 * 96 + 9 * 96 + 96), l.bytes(8));
        assertEquals("112x112x96 s2", l.name());
        assertEquals("112x112x96s2", l.id());
    }

    @Test
    void pointwiseAndSeparableSpecs() {
        Layer pw = Layer.pw(7, 7, 960, 320);
        ConvSpec spec = pw.conv(Layout.CHANNELS_LAST, 1);
        assertArrayEquals(new int[] {1, 7, 7, 320}, spec.outputShape());
        assertEquals(2L * 49 * 960 * 320, pw.flops(1));
        assertEquals("7x7 960>320", pw.name());
        assertThrows(IllegalStateException.class, () -> pw.depthwise(Layout.CHANNELS_LAST, 1));

        Layer sep = Layer.sep(7, 7, 5, 2, 6);
        SeparableSpec s = sep.separable(Layout.CHANNELS_FIRST, 2);
        assertArrayEquals(new int[] {2, 6, 4, 4}, s.pointwise().outputShape());
        assertEquals(sep.outputLength(2), s.pointwise().outputLength());
        assertEquals(2L * (s.depthwise().multAdds() + s.pointwise().multAdds()), sep.flops(2));
        assertEquals("7x7x5 s2 >6", sep.name());
        assertEquals("7x7x5s2-6", sep.id());
        assertThrows(IllegalStateException.class, () -> Layer.dw(7, 7, 5, 1).pointwise(Layout.CHANNELS_LAST, 1));
    }

    @Test
    void ceilingsPickCacheOrDramByBytesPerThread() {
        Ceilings one = Ceilings.forThreads(1);
        assertEquals(224, one.fmaGflops());
        assertEquals(94, one.bandwidthGbs(1 << 20));
        assertEquals(29, one.bandwidthGbs((1 << 20) + 1));
        Ceilings two = Ceilings.forThreads(2);
        assertEquals(320, two.bandwidthGbs(2 << 20));
        assertEquals(57, two.bandwidthGbs(3 << 20));
        assertEquals(0.5, two.fmaFraction(222), 1e-12);
        assertEquals(4 * 29.0, Ceilings.forThreads(4).dramGbs());
        assertEquals(2.0, Ceilings.gflops(2_000_000_000L, 1.0), 1e-12);
    }
}
