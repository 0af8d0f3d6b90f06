package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LayoutsTest {
    @Test
    void nchwToNhwcAndBackOnSizesAcrossTiles() {
        int n = 2, c = 19, hw = 35; // neither a multiple of the 16-element tile
        float[] nchw = new float[n * c * hw];
        for (int i = 0; i < nchw.length; i++) {
            nchw[i] = i;
        }
        float[] nhwc = new float[nchw.length];
        Layouts.nchwToNhwc(nchw, nhwc, n, c, hw);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < hw; p++) {
                    assertEquals(nchw[(b * c + ch) * hw + p], nhwc[(b * hw + p) * c + ch]);
                }
            }
        }
        float[] back = new float[nchw.length];
        Layouts.nhwcToNchw(nhwc, back, n, c, hw);
        assertArrayEquals(nchw, back);
    }

    @Test
    void oihwToHwio() {
        int o = 3, i = 2, s = 4;
        float[] oihw = new float[o * i * s];
        for (int k = 0; k < oihw.length; k++) {
            oihw[k] = k;
        }
        float[] hwio = Layouts.oihwToHwio(oihw, o, i, s);
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < i; b++) {
                for (int t = 0; t < s; t++) {
                    assertEquals(oihw[(a * i + b) * s + t], hwio[(t * i + b) * o + a]);
                }
            }
        }
    }
}
