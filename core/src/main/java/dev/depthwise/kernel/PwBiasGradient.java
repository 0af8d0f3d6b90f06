package dev.depthwise.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bias gradient of a pointwise convolution: sums of {@code dz} per output channel, over the
 * columns of a channels-first image or the rows of a channels-last batch. Float vectors add up
 * blocks of {@link #BLOCK} values, the block sums go into double accumulators, so a sum over a
 * whole batch keeps float rounding of a short sum.
 */
public final class PwBiasGradient {
    /** Values a float partial sum takes before it is added into double. */
    public static final int BLOCK = 64;

    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int L = VecSpecies.LEN;

    private PwBiasGradient() {
    }

    /** {@code acc[j] += sum_i dz[off + i*ld + j]} for {@code i < rows, j < cols} (channels-last). */
    public static void columns(float[] dz, int off, int rows, int cols, int ld, double[] acc) {
        // a block of rows at a time, so the block is read from memory once and summed from L1
        for (int i0 = 0; i0 < rows; i0 += BLOCK) {
            int i1 = Math.min(rows, i0 + BLOCK);
            int j = 0;
            for (; j < VecSpecies.bound(cols); j += L) {
                FloatVector s = FloatVector.zero(F);
                for (int i = i0; i < i1; i++) {
                    s = s.add(FloatVector.fromArray(F, dz, off + i * ld + j));
                }
                for (int l = 0; l < L; l++) {
                    acc[j + l] += s.lane(l);
                }
            }
            for (; j < cols; j++) {
                float s = 0f;
                for (int i = i0; i < i1; i++) {
                    s += dz[off + i * ld + j];
                }
                acc[j] += s;
            }
        }
    }

    /** {@code acc[i] += sum_j dz[off + i*ld + j]} for {@code i < rows, j < cols} (channels-first). */
    public static void rows(float[] dz, int off, int rows, int cols, int ld, double[] acc) {
        for (int i = 0; i < rows; i++) {
            int o = off + i * ld;
            double total = 0;
            int j = 0;
            while (j < VecSpecies.bound(cols)) {
                int end = Math.min(VecSpecies.bound(cols), j + BLOCK * L);
                FloatVector s = FloatVector.zero(F);
                for (; j < end; j += L) {
                    s = s.add(FloatVector.fromArray(F, dz, o + j));
                }
                total += s.reduceLanes(VectorOperators.ADD);
            }
            while (j < cols) {
                int end = Math.min(cols, j + BLOCK);
                float t = 0f;
                for (; j < end; j++) {
                    t += dz[o + j];
                }
                total += t;
            }
            acc[i] += total;
        }
    }
}
