package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Depthwise weights packed once per call for the channels-last kernels, XNNPACK style: per tile of
 * {@code tile} output channels, {@code [bias | tap 0 | tap 1 | ...]}, each entry {@code tile} floats,
 * so a kernel walks one contiguous block per channel tile and loads whole vectors. Taps are numbered
 * {@code (i*kH + j)*kW + l}. Lanes past the last channel hold zeros. One float after the blocks says
 * whether every weight and bias is finite ({@link #finite}), checked once here for the kernels that
 * read zeros for the padding: zero times Inf is NaN where the reference skips the padded tap.
 */
public final class DwWeightsPacked {
    private DwWeightsPacked() {
    }

    /** Floats of the packed weights of {@code channels} output channels with {@code taps} taps each. */
    public static int length(int channels, int taps, int tile) {
        return flag(channels, taps, tile) + 1;
    }

    /** Where the block of channel tile {@code c / tile} starts. */
    public static int tileStart(int c, int taps, int tile) {
        return c / tile * tile * (1 + taps);
    }

    /** True when the weights and bias packed for {@code channels} output channels are all finite. */
    public static boolean finite(float[] packed, int channels, int taps, int tile) {
        return packed[flag(channels, taps, tile)] == 0f;
    }

    /** Where the finiteness flag sits: right after the blocks. */
    private static int flag(int channels, int taps, int tile) {
        return (channels + tile - 1) / tile * tile * (1 + taps);
    }

    /**
     * Packs the depthwise filter and bias (may be null) of {@code g} into {@code packed}, which may be
     * longer than {@link #length} (what lies past it is left alone).
     */
    public static void pack(ConvGeometry g, float[] filter, float[] bias, int tile, float[] packed) {
        int taps = g.kD * g.kH * g.kW;
        int block = tile * (1 + taps);
        for (int c0 = 0, p = 0; c0 < g.k; c0 += tile, p += block) {
            int lanes = Math.min(tile, g.k - c0);
            if (bias != null) {
                System.arraycopy(bias, c0, packed, p, lanes);
            } else {
                java.util.Arrays.fill(packed, p, p + lanes, 0f);
            }
            java.util.Arrays.fill(packed, p + lanes, p + tile, 0f);
            int t = 1;
            for (int i = 0; i < g.kD; i++) {
                for (int j = 0; j < g.kH; j++) {
                    for (int l = 0; l < g.kW; l++, t++) {
                        int f = c0 * g.fO + i * g.fD + j * g.fH + l * g.fW;
                        int q = p + t * tile;
                        if (g.fO == 1) {
                            System.arraycopy(filter, f, packed, q, lanes);   // channels-last filters: a run
                        } else {
                            for (int lane = 0; lane < lanes; lane++) {
                                packed[q + lane] = filter[f + lane * g.fO];
                            }
                        }
                        java.util.Arrays.fill(packed, q + lanes, q + tile, 0f);
                    }
                }
            }
        }
        int end = flag(g.k, taps, tile);
        packed[end] = allFinite(packed, end) ? 0f : Float.NaN;
    }

    /** True when {@code a[0, n)} holds no Inf nor NaN. */
    static boolean allFinite(float[] a, int n) {
        int i = 0;
        for (int bound = VecSpecies.bound(n); i < bound; i += VecSpecies.LEN) {
            // v * 0 is 0 for a finite v and NaN otherwise, and NaN compares unequal to everything
            if (FloatVector.fromArray(VecSpecies.F, a, i).mul(0f).compare(VectorOperators.NE, 0f).anyTrue()) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (!Float.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }
}
