package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;

/**
 * Depthwise weights packed once per call for the channels-last kernels, XNNPACK style: per tile of
 * {@code tile} output channels, {@code [bias | tap 0 | tap 1 | ...]}, each entry {@code tile} floats,
 * so a kernel walks one contiguous block per channel tile and loads whole vectors. Taps are numbered
 * {@code (i*kH + j)*kW + l}. Lanes past the last channel hold zeros.
 */
public final class DwWeightsPacked {
    private DwWeightsPacked() {
    }

    /** Floats of the packed weights of {@code channels} output channels with {@code taps} taps each. */
    public static int length(int channels, int taps, int tile) {
        return (channels + tile - 1) / tile * tile * (1 + taps);
    }

    /** Where the block of channel tile {@code c / tile} starts. */
    public static int tileStart(int c, int taps, int tile) {
        return c / tile * tile * (1 + taps);
    }

    /** Packs the depthwise filter and bias (may be null) of {@code g} into {@code packed}. */
    public static void pack(ConvGeometry g, float[] filter, float[] bias, int tile, float[] packed) {
        int taps = g.kD * g.kH * g.kW;
        int block = tile * (1 + taps);
        for (int c0 = 0, p = 0; c0 < g.k; c0 += tile, p += block) {
            int lanes = Math.min(tile, g.k - c0);
            for (int lane = 0; lane < tile; lane++) {
                packed[p + lane] = bias != null && lane < lanes ? bias[c0 + lane] : 0f;
            }
            int t = 1;
            for (int i = 0; i < g.kD; i++) {
                for (int j = 0; j < g.kH; j++) {
                    for (int l = 0; l < g.kW; l++, t++) {
                        int f = c0 * g.fO + i * g.fD + j * g.fH + l * g.fW;
                        int q = p + t * tile;
                        for (int lane = 0; lane < lanes; lane++) {
                            packed[q + lane] = filter[f + lane * g.fO];
                        }
                        for (int lane = lanes; lane < tile; lane++) {
                            packed[q + lane] = 0f;
                        }
                    }
                }
            }
        }
    }
}
