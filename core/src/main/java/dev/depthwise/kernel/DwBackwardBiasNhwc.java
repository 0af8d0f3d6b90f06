package dev.depthwise.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bias gradient of a convolution, channels-last: {@code acc[k] += sum over pixels of dz[pixel, k]}.
 * Adds (never overwrites), so threads that split the pixels each sum into their own {@code acc}.
 */
public final class DwBackwardBiasNhwc {
    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int LEN = VecSpecies.LEN;

    private DwBackwardBiasNhwc() {
    }

    /** Pixels {@code [from, to)} of {@code dz}, {@code channels} floats each from {@code dzOff}. */
    public static void pixels(float[] dz, int dzOff, int channels, float[] acc, int accOff, int from, int to) {
        int bound = VecSpecies.bound(channels);
        int c = 0;
        for (; c < bound; c += LEN) {
            FloatVector s = FloatVector.zero(F);
            for (int p = from; p < to; p++) {
                s = s.add(FloatVector.fromArray(F, dz, dzOff + p * channels + c));
            }
            FloatVector.fromArray(F, acc, accOff + c).add(s).intoArray(acc, accOff + c);
        }
        for (; c < channels; c++) {
            float s = 0;
            for (int p = from; p < to; p++) {
                s += dz[dzOff + p * channels + c];
            }
            acc[accOff + c] += s;
        }
    }
}
