package dev.depthwise.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/** Test helpers: seeded random tensors, layout permutations, and comparisons with useful messages. */
public final class Tensors {
    private Tensors() {
    }

    /** {@code n} values uniform in [-1, 1), reproducible from {@code seed}. */
    public static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    /**
     * Moves axis {@code from} of a row-major tensor of {@code shape} to position {@code to}, e.g.
     * NHWC to NCHW is {@code moveAxis(a, shape, 3, 1)}.
     */
    public static float[] moveAxis(float[] a, int[] shape, int from, int to) {
        int[] perm = new int[shape.length];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (i != from) {
                perm[k++] = i;
            }
        }
        // perm lists the other axes in order; insert `from` at `to`
        int[] order = new int[shape.length];
        for (int i = 0, j = 0; i < shape.length; i++) {
            order[i] = i == to ? from : perm[j++];
        }
        return transpose(a, shape, order);
    }

    /** Output axis {@code i} is input axis {@code order[i]}. */
    public static float[] transpose(float[] a, int[] shape, int[] order) {
        int rank = shape.length;
        int[] inStride = new int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStride[i] = s;
            s *= shape[i];
        }
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[order[i]];
        }
        float[] out = new float[a.length];
        int[] idx = new int[rank];
        for (int o = 0; o < out.length; o++) {
            int src = 0;
            for (int i = 0; i < rank; i++) {
                src += idx[i] * inStride[order[i]];
            }
            out[o] = a[src];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return out;
    }

    /** Shape after {@link #transpose}. */
    public static int[] transposedShape(int[] shape, int[] order) {
        int[] r = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            r[i] = shape[order[i]];
        }
        return r;
    }

    /** Asserts {@code |expected - actual| <= abs + rel * |expected|} element-wise. */
    public static void assertClose(float[] expected, float[] actual, double abs, double rel, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(e - a) <= abs + rel * Math.abs(e)) && !(Double.isNaN(e) && Double.isNaN(a))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (diff " + Math.abs(e - a) + ")");
            }
        }
    }
}
