package dev.depthwise.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.spec.Activation;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Gemm#run} and {@link GemmScalar#gemm} called directly, their output a region inside a
 * larger NaN-filled buffer (at an offset, with a row stride wider than the region), so a write
 * outside the region or a read of an unwritten element shows up as a NaN or a changed sentinel.
 * Rows around the 8-row tile, columns around one and two vectors, depths of one step, odd ones and
 * several blocks of k; A read in place and packed, B row- and column-major; overwrite and
 * accumulate; bias per column and per row; every activation; both loop orders (C's rows as
 * positions, or as channels far apart). Every vector width (simd tag).
 */
@Tag("simd")
class GemmTest {
    private static final int[] ROWS = {1, 3, 7, 8, 9, 13, 16, 17, 31, 33};
    private static final int[] COLS = {1, 3, 7, 8, 13, 16, 17, 24, 31, 33, 100};
    private static final int[] DEPTHS = {1, 2, 3, 16, 17, 33, 100, 300};
    private static final Activation[] ACTS = {Activation.NONE, Activation.RELU, Activation.RELU6,
        Activation.leakyRelu(0.2f), Activation.SIGMOID, Activation.HARD_SWISH};

    record Case(int rows, int cols, int depth, boolean aInPlace, boolean bRowMajor, boolean accumulate,
                int bias, Activation act, boolean farRows) {
        @Override
        public String toString() {
            return rows + "x" + cols + " k" + depth + (farRows ? " far rows" : "") + (aInPlace ? " A in place" : " A packed")
                    + (bRowMajor ? " B rows" : " B cols") + (accumulate ? " accumulate" : "")
                    + (bias == 0 ? "" : bias == 1 ? " bias/col" : " bias/row") + " " + act;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int i = 0;
        for (int rows : ROWS) {
            for (int cols : COLS) {
                int depth = DEPTHS[i % DEPTHS.length];
                boolean accumulate = i % 5 == 4;
                int bias = accumulate ? 0 : i % 3;
                cases.add(new Case(rows, cols, depth, i % 2 == 0, i / 2 % 2 == 0, accumulate, bias,
                        accumulate ? Activation.NONE : ACTS[i % ACTS.length], i % 4 == 1));
                i++;
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> blockedGemmWritesItsRegionOnly() {
        return cases().stream().map(c -> DynamicTest.dynamicTest("Gemm.run " + c, () -> check(c, true)));
    }

    @TestFactory
    Stream<DynamicTest> scalarGemmWritesItsRegionOnly() {
        return cases().stream().filter(c -> c.bias == 0 && c.act.kind() == Activation.Kind.NONE)
                .map(c -> DynamicTest.dynamicTest("GemmScalar " + c, () -> check(c, false)));
    }

    static void check(Case c, boolean blocked) {
        long seed = c.toString().hashCode();
        // A(i, k) at a[aOff + i*ars + k*acs], B(k, j) at b[bOff + k*brs + j*bcs], with slack around them
        int aOff = 5;
        int ars = c.aInPlace ? c.depth + 3 : 1;
        int acs = c.aInPlace ? 1 : c.rows + 2;
        int bOff = 7;
        int brs = c.bRowMajor ? c.cols + 1 : 1;
        int bcs = c.bRowMajor ? 1 : c.depth + 4;
        float[] a = Tensors.random(seed, aOff + (c.rows + 2) * (c.depth + 4) + 8);
        float[] b = Tensors.random(seed + 1, bOff + (c.depth + 4) * (c.cols + 1) + 8);
        float[] bias = c.bias == 0 ? null : Tensors.random(seed + 2, 3 + (c.bias == 1 ? c.cols : c.rows));
        int biasOff = bias == null ? 0 : 3;
        int cOff = 11;
        // far rows: C's rows are channels of a channels-first output (written a tile of rows at a time)
        int ldc = c.cols + (c.farRows ? 1100 : 6);
        float[] out = new float[cOff + c.rows * ldc + 13];
        Arrays.fill(out, Float.NaN);
        float[] before = Tensors.random(seed + 3, c.rows * c.cols);
        if (c.accumulate) {
            for (int i = 0; i < c.rows; i++) {
                System.arraycopy(before, i * c.cols, out, cOff + i * ldc, c.cols);
            }
        }
        if (blocked) {
            PwEpilogue e = PwEpilogue.of(bias, biasOff, c.bias == 2, c.act);
            // the region is rows [0, rows) and columns [0, cols) of the whole output
            Gemm.run(c.rows, c.cols, c.depth, a, aOff, ars, acs, b, bOff, brs, bcs, out, cOff, ldc, c.accumulate,
                    c.farRows, GemmScratch.local(), e, 0, 0);
        } else {
            GemmScalar.gemm(c.rows, c.cols, c.depth, a, aOff, ars, acs, b, bOff, brs, bcs, out, cOff, ldc,
                    c.accumulate);
        }
        for (int p = 0; p < out.length; p++) {
            int i = (p - cOff) / ldc;
            int j = (p - cOff) % ldc;
            boolean inside = p >= cOff && i < c.rows && j < c.cols;
            if (!inside) {
                assertTrue(Float.isNaN(out[p]), c + ": element " + p + " outside the region was written: " + out[p]);
                continue;
            }
            double sum = 0;
            double abs = 0;
            for (int k = 0; k < c.depth; k++) {
                double t = (double) a[aOff + i * ars + k * acs] * b[bOff + k * brs + j * bcs];
                sum += t;
                abs += Math.abs(t);
            }
            if (c.accumulate) {
                sum += before[i * c.cols + j];
                abs += Math.abs(before[i * c.cols + j]);
            }
            if (bias != null) {
                float bv = bias[biasOff + (c.bias == 1 ? j : i)];
                sum += bv;
                abs += Math.abs(bv);
            }
            double want = ActivationRef.apply(c.act, sum);
            double tol = 1.5e-5 * abs + 1e-6;
            if (!(Math.abs(want - out[p]) <= tol)) {
                fail(c + ": C(" + i + ", " + j + ") = " + out[p] + ", expected " + want + " (tolerance " + tol + ")");
            }
        }
    }
}
