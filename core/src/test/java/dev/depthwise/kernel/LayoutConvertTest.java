package dev.depthwise.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link NchwToNhwc} and {@link NhwcToNchw} against their index formulas, called the way the ops
 * call them (one image at a time, position ranges split across threads), into NaN-filled buffers
 * larger than the output so that a stray write shows. The channel counts and planes sit below, at
 * and above the tile (16, 8 or 4 lanes, or scalar: the simd tag runs them all), and the large
 * planes span several cache blocks.
 */
@Tag("simd")
class LayoutConvertTest {
    private static final int[] CHANNELS = {1, 3, 7, 8, 13, 15, 16, 17, 31, 33, 100};
    private static final int[][] PLANES = {{1, 1}, {1, 17}, {3, 5}, {7, 7}, {14, 14}, {17, 19}};
    /** Where the input starts in its array, so no kernel may assume offset 0. */
    private static final int X_OFF = 5;
    /** NaNs before and after the output. */
    private static final int PAD = 37;

    @Test
    void channelsFirstToLast() {
        for (int c : CHANNELS) {
            for (int[] plane : PLANES) {
                for (int n : new int[] {1, 3}) {
                    checkToLast(n, c, plane[0] * plane[1], 1);
                }
            }
        }
    }

    @Test
    void channelsLastToFirst() {
        for (int c : CHANNELS) {
            for (int[] plane : PLANES) {
                for (int n : new int[] {1, 3}) {
                    checkToFirst(n, c, plane[0] * plane[1]);
                }
            }
        }
    }

    /** Planes longer than a cache block of positions, with a partial tile at the end. */
    @Test
    void planesSpanningSeveralBlocks() {
        for (int c : new int[] {17, 33, 100}) {
            checkToLast(2, c, 71 * 73, 1);
            checkToFirst(2, c, 71 * 73);
        }
    }

    /** The depthwise multiplier's repeats (the forward op's channels-first path with M > 1). */
    @Test
    void channelsFirstToLastRepeated() {
        for (int m : new int[] {2, 3}) {
            for (int c : new int[] {1, 7, 16, 17}) {
                checkToLast(3, c, 7 * 7, m);
                checkToLast(1, c, 17 * 19, m);
            }
        }
    }

    @Test
    void roundTripIsExact() {
        for (int c : CHANNELS) {
            for (int[] plane : PLANES) {
                int s = plane[0] * plane[1];
                int n = 3;
                float[] x = distinct(n * c * s, 0);
                float[] last = new float[x.length];
                float[] back = new float[x.length];
                for (int i = 0; i < n; i++) {
                    NchwToNhwc.convert(x, i * c * s, c, s, 1, last, i * c * s, 0, s);
                    NhwcToNchw.convert(last, i * c * s, c, s, back, i * c * s, 0, s);
                }
                if (!Arrays.equals(x, back)) {
                    fail("round trip of " + n + "x" + c + "x" + s + " changed the tensor");
                }
            }
        }
    }

    /** A range of positions leaves the others untouched. */
    @Test
    void onlyTheRangeIsWritten() {
        for (int c : new int[] {3, 16, 33}) {
            int s = 17 * 19;
            int from = 21;
            int to = s - 30;
            float[] x = distinct(c * s, X_OFF);
            float[] last = nans(c * s + 2 * PAD);
            NchwToNhwc.convert(x, X_OFF, c, s, 1, last, PAD, from, to);
            float[] first = nans(c * s + 2 * PAD);
            NhwcToNchw.convert(x, X_OFF, c, s, first, PAD, from, to);
            for (int p = 0; p < s; p++) {
                boolean in = p >= from && p < to;
                for (int ch = 0; ch < c; ch++) {
                    float wantLast = in ? x[X_OFF + ch * s + p] : Float.NaN;
                    float wantFirst = in ? x[X_OFF + p * c + ch] : Float.NaN;
                    assertEquals(wantLast, last[PAD + p * c + ch], "channels-last c=" + c + " p=" + p + " ch=" + ch);
                    assertEquals(wantFirst, first[PAD + ch * s + p], "channels-first c=" + c + " p=" + p + " ch=" + ch);
                }
            }
        }
    }

    /** {@code out[n][p][ch*m + r] = x[n][ch][p]}, written by one call per image and range. */
    private static void checkToLast(int n, int c, int s, int m) {
        float[] x = distinct(n * c * s, X_OFF);
        int k = c * m;
        for (int parts : new int[] {1, 2, 3}) {
            float[] out = nans(n * k * s + 2 * PAD);
            forEachRange(n, s, parts, (image, from, to) -> NchwToNhwc.convert(x, X_OFF + image * c * s, c, s, m, out,
                    PAD + image * k * s, from, to));
            float[] want = nans(out.length);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < s; p++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int r = 0; r < m; r++) {
                            want[PAD + (i * s + p) * k + ch * m + r] = x[X_OFF + (i * c + ch) * s + p];
                        }
                    }
                }
            }
            same(want, out, "NchwToNhwc " + n + "x" + c + "x" + s + " m=" + m + " in " + parts + " ranges");
        }
    }

    /** {@code out[n][ch][p] = x[n][p][ch]}, written by one call per image and range. */
    private static void checkToFirst(int n, int c, int s) {
        float[] x = distinct(n * c * s, X_OFF);
        for (int parts : new int[] {1, 2, 3}) {
            float[] out = nans(n * c * s + 2 * PAD);
            forEachRange(n, s, parts, (image, from, to) -> NhwcToNchw.convert(x, X_OFF + image * c * s, c, s, out,
                    PAD + image * c * s, from, to));
            float[] want = nans(out.length);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < s; p++) {
                    for (int ch = 0; ch < c; ch++) {
                        want[PAD + (i * c + ch) * s + p] = x[X_OFF + (i * s + p) * c + ch];
                    }
                }
            }
            same(want, out, "NhwcToNchw " + n + "x" + c + "x" + s + " in " + parts + " ranges");
        }
    }

    private interface Call {
        void run(int image, int from, int to);
    }

    /**
     * Splits the flattened (image, position) range into {@code parts} the way DepthwiseBackward
     * splits it over threads, then each part at image boundaries, one call per piece.
     */
    private static void forEachRange(int n, int s, int parts, Call call) {
        int total = n * s;
        for (int part = 0; part < parts; part++) {
            int from = (int) ((long) total * part / parts);
            int to = (int) ((long) total * (part + 1) / parts);
            for (int pos = from; pos < to; ) {
                int image = pos / s;
                int end = Math.min(s, to - image * s);
                call.run(image, pos - image * s, end);
                pos = image * s + end;
            }
        }
    }

    private static void same(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                fail(what + ": element " + i + " (output offset " + PAD + ") is " + got[i] + ", want " + want[i]
                        + " (" + Simd.describe() + ")");
            }
        }
    }

    /** Every element different (exactly representable), after {@code off} leading NaNs. */
    private static float[] distinct(int length, int off) {
        float[] a = nans(length + off);
        for (int i = 0; i < length; i++) {
            a[off + i] = i + 0.25f;
        }
        return a;
    }

    private static float[] nans(int length) {
        float[] a = new float[length];
        Arrays.fill(a, Float.NaN);
        return a;
    }
}
