package dev.depthwise.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Gemm#runPackedA}, {@link Gemm#runPackedB} and {@link Gemm#runPacked}, operands packed once
 * beforehand ({@link GemmPack#aWhole}, {@link GemmPack#bWhole}) and the region starting inside it (row 8 or 16
 * of the packed A, a strip or two into the packed B): against a double-precision product within
 * 1e-5 of the sum of |terms|, and bit for bit against {@link Gemm#run} on the unpacked operand.
 * Rows, columns and depths of 1, 7, 8, 9, 15, 16, 17, 31, 33, 49, 196 (and 300: two blocks of k),
 * both loop orders (C's rows far apart or not; shallow products over 300 to 530 columns), bias per
 * row or column, every activation; C a region of a larger NaN-filled buffer. Every vector width
 * (simd tag).
 */
@Tag("simd")
class GemmPackedTest {
    private static final int[] SIZES = {1, 7, 8, 9, 15, 16, 17, 31, 33, 49, 196};
    private static final Activation[] ACTS = {Activation.NONE, Activation.RELU, Activation.RELU6,
        Activation.leakyRelu(0.2f), Activation.SIGMOID, Activation.HARD_SWISH};

    record Case(int rows, int cols, int depth, boolean packA, int skip, boolean channelRows, int bias, Activation act) {
        @Override
        public String toString() {
            return rows + "x" + cols + " k" + depth + (packA ? " A packed, from row " : " B packed, from strip ") + skip
                    + (channelRows ? " far rows" : "") + (bias == 0 ? "" : bias == 1 ? " bias/col" : " bias/row") + " "
                    + act;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int n = SIZES.length;
        for (int i = 0; i < 2 * n + 4; i++) {
            int rows = SIZES[i % n];
            int cols = SIZES[(3 * i + 1) % n];
            int depth = i >= 2 * n ? 300 : SIZES[(7 * i + 2) % n];
            cases.add(new Case(rows, cols, depth, i % 2 == 0, i % 3, i / 2 % 2 == 0, i % 3,
                    ACTS[i % ACTS.length]));
        }
        // shallow products over many columns with C's rows far apart: written a row tile at a time,
        // in blocks of 512 columns
        cases.add(new Case(17, 300, 33, true, 1, true, 2, Activation.RELU6));
        cases.add(new Case(25, 517, 7, false, 2, true, 1, Activation.HARD_SWISH));
        cases.add(new Case(31, 530, 64, true, 2, true, 0, Activation.NONE));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> packedOperandGivesTheSameProduct() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    static void check(Case c) {
        long seed = c.toString().hashCode();
        // the whole matrices: A has skip*8 rows before the region's and 3 after; B skip strips before
        int aRow = c.packA ? c.skip * Gemm8x2v.MR : 0;
        int bCol = c.packA ? 0 : c.skip * Gemm8x2v.NR;
        int aRows = aRow + c.rows + (c.packA ? 3 : 0);
        int bCols = bCol + c.cols;
        // A row-major, B column-major (a filter stored either way): the packers' transposing walks
        float[] a = Tensors.random(seed, aRows * c.depth);
        float[] b = Tensors.random(seed + 1, c.depth * bCols);
        int bias0 = 2;
        float[] bias = c.bias == 0 ? null : Tensors.random(seed + 2, bias0 + (c.bias == 1 ? c.cols : c.rows));
        PwEpilogue e = PwEpilogue.of(bias, bias0, c.bias == 2, c.act);
        int cOff = 9;
        int ldc = c.cols + (c.channelRows ? 700 : 5);
        float[] got = new float[cOff + c.rows * ldc + 11];
        Arrays.fill(got, Float.NaN);
        float[] want = got.clone();
        GemmScratch s = GemmScratch.local();
        if (c.packA) {
            float[] ap = new float[3 + GemmPack.wholeALength(aRows, c.depth)];
            GemmPack.aWhole(a, 0, c.depth, 1, aRows, c.depth, ap, 3);
            Gemm.runPackedA(c.rows, c.cols, c.depth, ap, 3, GemmPack.paddedRows(aRows), aRow, b, 0, 1, c.depth,
                    got, cOff, ldc, false, c.channelRows, s, e, 0, 0);
            // and with B packed as well: the same bits
            float[] bp = new float[GemmPack.wholeBLength(c.depth, bCols)];
            GemmPack.bWhole(b, 0, 1, c.depth, c.depth, bCols, bp, 0);
            float[] both = new float[got.length];
            Arrays.fill(both, Float.NaN);
            Gemm.runPacked(c.rows, c.cols, c.depth, ap, 3, GemmPack.paddedRows(aRows), aRow, bp, 0,
                    GemmPack.paddedWidth(bCols), 0, both, cOff, ldc, false, c.channelRows, s, e, 0, 0);
            for (int p = 0; p < got.length; p++) {
                assertEquals(Float.floatToIntBits(got[p]), Float.floatToIntBits(both[p]),
                        c + ": element " + p + " differs with both operands packed");
            }
        } else {
            float[] bp = new float[5 + GemmPack.wholeBLength(c.depth, bCols)];
            GemmPack.bWhole(b, 0, 1, c.depth, c.depth, bCols, bp, 5);
            Gemm.runPackedB(c.rows, c.cols, c.depth, a, 0, c.depth, 1, bp, 5, GemmPack.paddedWidth(bCols), bCol,
                    got, cOff, ldc, false, c.channelRows, s, e, 0, 0);
        }
        Gemm.run(c.rows, c.cols, c.depth, a, aRow * c.depth, c.depth, 1, b, bCol * c.depth, 1, c.depth, want, cOff,
                ldc, false, c.channelRows, s, e, 0, 0);
        for (int p = 0; p < got.length; p++) {
            assertEquals(Float.floatToIntBits(want[p]), Float.floatToIntBits(got[p]),
                    c + ": element " + p + " differs from the unpacked product: " + got[p] + " vs " + want[p]);
            int i = (p - cOff) / ldc;
            int j = (p - cOff) % ldc;
            if (p < cOff || i >= c.rows || j >= c.cols) {
                assertTrue(Float.isNaN(got[p]), c + ": element " + p + " outside the region was written");
                continue;
            }
            double sum = bias == null ? 0 : bias[bias0 + (c.bias == 1 ? j : i)];
            double abs = Math.abs(sum);
            for (int k = 0; k < c.depth; k++) {
                double t = (double) a[(aRow + i) * c.depth + k] * b[(bCol + j) * c.depth + k];
                sum += t;
                abs += Math.abs(t);
            }
            double expected = ActivationRef.apply(c.act, sum);
            double tol = 1.5 * (1e-5 * abs + 1e-6);
            if (!(Math.abs(expected - got[p]) <= tol)) {
                fail(c + ": C(" + i + ", " + j + ") = " + got[p] + ", expected " + expected + " (tolerance " + tol + ")");
            }
        }
    }

    /** Column ranges packed apart (as threads do) write exactly what one whole pack writes. */
    @Test
    void packingColumnRangesApartEqualsPackingTheWhole() {
        int nr = Gemm8x2v.NR;
        for (int depth : new int[] {1, 7, GemmBlocking.MAX_DEPTH + 3}) {
            for (int n : new int[] {1, nr - 1, nr, 3 * nr + 1, 5 * nr + nr / 2 + 1}) {
                float[] b = Tensors.random(depth * 31 + n, depth * n);
                int length = GemmPack.wholeBLength(depth, n);
                float[] whole = new float[length + 3];
                Arrays.fill(whole, Float.NaN);
                GemmPack.bWhole(b, 0, n, 1, depth, n, whole, 3);
                int strips = (n + nr - 1) / nr;
                for (int parts = 1; parts <= Math.min(3, strips); parts++) {
                    float[] apart = new float[length + 3];
                    Arrays.fill(apart, Float.NaN);
                    for (int p = 0; p < parts; p++) {
                        int from = strips * p / parts * nr;
                        int to = Math.min(n, strips * (p + 1) / parts * nr);
                        GemmPack.bWholeColumns(b, 0, n, 1, depth, n, from, to, apart, 3);
                    }
                    assertTrue(Arrays.equals(whole, apart), "depth " + depth + ", " + n + " columns, " + parts + " parts");
                }
            }
        }
    }
}
