package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;

import jdk.incubator.vector.FloatVector;

/**
 * The channels-first/channels-last transposes of {@link NchwToNhwc} and {@link NhwcToNchw} in V x V
 * register tiles, V = {@link VecSpecies#LEN} (16x16 at 512 bits, 8x8 at 256, 4x4 at 128): V row
 * loads, log2(V) rounds of two-source permutes (one vpermi2ps each on AVX-512: 64 per 16x16 tile),
 * V row stores, so both sides move whole vectors instead of one float per load or store: 2-3x the
 * scalar tiles' rate on MobileNetV2 shapes. A copy of the same bytes still runs up to 2x faster:
 * the tiles' 64-byte rows rarely start a cache line (Java cannot align arrays), and where they
 * happened to (measured with shifted offsets) the rate rose by up to 60%. The converters call it
 * only when the vector bodies are on.
 */
final class TransposeVxV {
    /**
     * Lane {@code 2j + h} takes lane {@code j} of the first source ({@code h = 0}) or of the second:
     * the interleave of two rows' first halves; {@link #HIGH} does their second halves. One round
     * maps rows i and i + V/2 to rows 2i and 2i + 1, which moves the row index's top bit to the
     * column index's bottom and the column's top bit to the row's bottom: log2(V) rounds swap them.
     */
    private static final FloatVector LOW = FloatVector.fromArray(F, zip(0), 0);
    private static final FloatVector HIGH = FloatVector.fromArray(F, zip(LEN / 2), 0);

    private TransposeVxV() {
    }

    private static float[] zip(int first) {
        float[] v = new float[LEN];
        for (int j = 0; j < LEN / 2; j++) {
            v[2 * j] = first + j;
            v[2 * j + 1] = first + j + LEN;
        }
        return v;
    }

    /**
     * Floats of each side one block of positions spans: the tiles of a block go channel strip after
     * channel strip, so a block's part of both tensors (2 x 256 KiB) should stay in L2 until every
     * strip has gone through it. Measured on MobileNetV2 shapes: blocks of 8K floats are up to 2x
     * slower on large planes (96x112x112), 64K to 128K are best, a whole plane is a little slower.
     */
    private static final int BLOCK = 1 << 16;

    private static int blockPositions(int c) {
        return Math.max(LEN, BLOCK / c / LEN * LEN);
    }

    /**
     * {@code out[outOff + p*c + ch] = x[xOff + ch*s + p]} for {@code ch < c}, {@code p} in {@code
     * [pFrom, pTo)}: channels-first to channels-last. A copy may write a float twice, so the last
     * channel strip and the last tile of positions end at the region's edge, overlapping the ones
     * before, instead of running a scalar tail; only a region narrower than a tile runs in scalar.
     */
    static void planesToRows(float[] x, int xOff, int c, int s, float[] out, int outOff, int pFrom, int pTo) {
        if (VecSpecies.bound(c) == 0 || VecSpecies.bound(pTo - pFrom) == 0) {
            for (int p = pFrom; p < pTo; p++) {
                for (int ch = 0; ch < c; ch++) {
                    out[outOff + p * c + ch] = x[xOff + ch * s + p];
                }
            }
            return;
        }
        int strips = (c + LEN - 1) / LEN;
        int pb = pFrom + VecSpecies.bound(pTo - pFrom);
        int block = blockPositions(c);
        for (int p0 = pFrom; p0 < pb; p0 += block) {
            int tiles = (Math.min(pb, p0 + block) - p0) / LEN;
            for (int i = 0, ch = 0; i < strips; i++, ch = Math.min(ch + LEN, c - LEN)) {
                strip(x, xOff + ch * s + p0, LEN, s, out, outOff + p0 * c + ch, LEN * c, c, tiles);
            }
        }
        if (pb < pTo) {
            // The last tile of positions, one strip down the channels rather than one call per strip.
            int p0 = pTo - LEN;
            strip(x, xOff + p0, LEN * s, s, out, outOff + p0 * c, LEN, c, c / LEN);
            if (c % LEN != 0) {
                strip(x, xOff + (c - LEN) * s + p0, LEN, s, out, outOff + p0 * c + c - LEN, LEN * c, c, 1);
            }
        }
    }

    /**
     * {@code out[outOff + ch*s + p] = x[xOff + p*c + ch]} for {@code ch < c}, {@code p} in {@code
     * [pFrom, pTo)}: channels-last to channels-first, with the edges done as in {@link #planesToRows}.
     */
    static void rowsToPlanes(float[] x, int xOff, int c, int s, float[] out, int outOff, int pFrom, int pTo) {
        if (VecSpecies.bound(c) == 0 || VecSpecies.bound(pTo - pFrom) == 0) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = pFrom; p < pTo; p++) {
                    out[outOff + ch * s + p] = x[xOff + p * c + ch];
                }
            }
            return;
        }
        int strips = (c + LEN - 1) / LEN;
        int pb = pFrom + VecSpecies.bound(pTo - pFrom);
        int block = blockPositions(c);
        for (int p0 = pFrom; p0 < pb; p0 += block) {
            int tiles = (Math.min(pb, p0 + block) - p0) / LEN;
            for (int i = 0, ch = 0; i < strips; i++, ch = Math.min(ch + LEN, c - LEN)) {
                strip(x, xOff + p0 * c + ch, LEN * c, c, out, outOff + ch * s + p0, LEN, s, tiles);
            }
        }
        if (pb < pTo) {
            int p0 = pTo - LEN;
            strip(x, xOff + p0 * c, LEN, c, out, outOff + p0, LEN * s, s, c / LEN);
            if (c % LEN != 0) {
                strip(x, xOff + p0 * c + c - LEN, LEN * c, c, out, outOff + (c - LEN) * s + p0, LEN, s, 1);
            }
        }
    }

    /**
     * Tiles {@code t < count} of a strip: tile t transposes the V x V block whose row r starts at
     * {@code a[ai + t*aStep + r*aRow]} into the block whose row r starts at {@code b[bi + t*bStep +
     * r*bRow]}. Row r of the result is column r of the source.
     */
    private static void strip(float[] a, int ai, int aStep, int aRow, float[] b, int bi, int bStep, int bRow,
                              int count) {
        switch (LEN) {
            case 16 -> strip16(a, ai, aStep, aRow, b, bi, bStep, bRow, count);
            case 8 -> strip8(a, ai, aStep, aRow, b, bi, bStep, bRow, count);
            default -> strip4(a, ai, aStep, aRow, b, bi, bStep, bRow, count);
        }
    }

    private static void strip16(float[] a, int ai, int aStep, int aRow, float[] b, int bi, int bStep, int bRow,
                                int count) {
        FloatVector lo = LOW, hi = HIGH;
        for (int t = 0, p = ai, q = bi; t < count; t++, p += aStep, q += bStep) {
            FloatVector r0 = FloatVector.fromArray(F, a, p);
            FloatVector r1 = FloatVector.fromArray(F, a, p + aRow);
            FloatVector r2 = FloatVector.fromArray(F, a, p + 2 * aRow);
            FloatVector r3 = FloatVector.fromArray(F, a, p + 3 * aRow);
            FloatVector r4 = FloatVector.fromArray(F, a, p + 4 * aRow);
            FloatVector r5 = FloatVector.fromArray(F, a, p + 5 * aRow);
            FloatVector r6 = FloatVector.fromArray(F, a, p + 6 * aRow);
            FloatVector r7 = FloatVector.fromArray(F, a, p + 7 * aRow);
            FloatVector r8 = FloatVector.fromArray(F, a, p + 8 * aRow);
            FloatVector r9 = FloatVector.fromArray(F, a, p + 9 * aRow);
            FloatVector r10 = FloatVector.fromArray(F, a, p + 10 * aRow);
            FloatVector r11 = FloatVector.fromArray(F, a, p + 11 * aRow);
            FloatVector r12 = FloatVector.fromArray(F, a, p + 12 * aRow);
            FloatVector r13 = FloatVector.fromArray(F, a, p + 13 * aRow);
            FloatVector r14 = FloatVector.fromArray(F, a, p + 14 * aRow);
            FloatVector r15 = FloatVector.fromArray(F, a, p + 15 * aRow);
            for (int round = 0; round < 4; round++) {
                FloatVector t0 = lo.selectFrom(r0, r8), t1 = hi.selectFrom(r0, r8);
                FloatVector t2 = lo.selectFrom(r1, r9), t3 = hi.selectFrom(r1, r9);
                FloatVector t4 = lo.selectFrom(r2, r10), t5 = hi.selectFrom(r2, r10);
                FloatVector t6 = lo.selectFrom(r3, r11), t7 = hi.selectFrom(r3, r11);
                FloatVector t8 = lo.selectFrom(r4, r12), t9 = hi.selectFrom(r4, r12);
                FloatVector t10 = lo.selectFrom(r5, r13), t11 = hi.selectFrom(r5, r13);
                FloatVector t12 = lo.selectFrom(r6, r14), t13 = hi.selectFrom(r6, r14);
                FloatVector t14 = lo.selectFrom(r7, r15), t15 = hi.selectFrom(r7, r15);
                r0 = t0;
                r1 = t1;
                r2 = t2;
                r3 = t3;
                r4 = t4;
                r5 = t5;
                r6 = t6;
                r7 = t7;
                r8 = t8;
                r9 = t9;
                r10 = t10;
                r11 = t11;
                r12 = t12;
                r13 = t13;
                r14 = t14;
                r15 = t15;
            }
            r0.intoArray(b, q);
            r1.intoArray(b, q + bRow);
            r2.intoArray(b, q + 2 * bRow);
            r3.intoArray(b, q + 3 * bRow);
            r4.intoArray(b, q + 4 * bRow);
            r5.intoArray(b, q + 5 * bRow);
            r6.intoArray(b, q + 6 * bRow);
            r7.intoArray(b, q + 7 * bRow);
            r8.intoArray(b, q + 8 * bRow);
            r9.intoArray(b, q + 9 * bRow);
            r10.intoArray(b, q + 10 * bRow);
            r11.intoArray(b, q + 11 * bRow);
            r12.intoArray(b, q + 12 * bRow);
            r13.intoArray(b, q + 13 * bRow);
            r14.intoArray(b, q + 14 * bRow);
            r15.intoArray(b, q + 15 * bRow);
        }
    }

    private static void strip8(float[] a, int ai, int aStep, int aRow, float[] b, int bi, int bStep, int bRow,
                                int count) {
        FloatVector lo = LOW, hi = HIGH;
        for (int t = 0, p = ai, q = bi; t < count; t++, p += aStep, q += bStep) {
            FloatVector r0 = FloatVector.fromArray(F, a, p);
            FloatVector r1 = FloatVector.fromArray(F, a, p + aRow);
            FloatVector r2 = FloatVector.fromArray(F, a, p + 2 * aRow);
            FloatVector r3 = FloatVector.fromArray(F, a, p + 3 * aRow);
            FloatVector r4 = FloatVector.fromArray(F, a, p + 4 * aRow);
            FloatVector r5 = FloatVector.fromArray(F, a, p + 5 * aRow);
            FloatVector r6 = FloatVector.fromArray(F, a, p + 6 * aRow);
            FloatVector r7 = FloatVector.fromArray(F, a, p + 7 * aRow);
            for (int round = 0; round < 3; round++) {
                FloatVector t0 = lo.selectFrom(r0, r4), t1 = hi.selectFrom(r0, r4);
                FloatVector t2 = lo.selectFrom(r1, r5), t3 = hi.selectFrom(r1, r5);
                FloatVector t4 = lo.selectFrom(r2, r6), t5 = hi.selectFrom(r2, r6);
                FloatVector t6 = lo.selectFrom(r3, r7), t7 = hi.selectFrom(r3, r7);
                r0 = t0;
                r1 = t1;
                r2 = t2;
                r3 = t3;
                r4 = t4;
                r5 = t5;
                r6 = t6;
                r7 = t7;
            }
            r0.intoArray(b, q);
            r1.intoArray(b, q + bRow);
            r2.intoArray(b, q + 2 * bRow);
            r3.intoArray(b, q + 3 * bRow);
            r4.intoArray(b, q + 4 * bRow);
            r5.intoArray(b, q + 5 * bRow);
            r6.intoArray(b, q + 6 * bRow);
            r7.intoArray(b, q + 7 * bRow);
        }
    }

    private static void strip4(float[] a, int ai, int aStep, int aRow, float[] b, int bi, int bStep, int bRow,
                                int count) {
        FloatVector lo = LOW, hi = HIGH;
        for (int t = 0, p = ai, q = bi; t < count; t++, p += aStep, q += bStep) {
            FloatVector r0 = FloatVector.fromArray(F, a, p);
            FloatVector r1 = FloatVector.fromArray(F, a, p + aRow);
            FloatVector r2 = FloatVector.fromArray(F, a, p + 2 * aRow);
            FloatVector r3 = FloatVector.fromArray(F, a, p + 3 * aRow);
            FloatVector t0 = lo.selectFrom(r0, r2), t1 = hi.selectFrom(r0, r2);
            FloatVector t2 = lo.selectFrom(r1, r3), t3 = hi.selectFrom(r1, r3);
            lo.selectFrom(t0, t2).intoArray(b, q);
            hi.selectFrom(t0, t2).intoArray(b, q + bRow);
            lo.selectFrom(t1, t3).intoArray(b, q + 2 * bRow);
            hi.selectFrom(t1, t3).intoArray(b, q + 3 * bRow);
        }
    }
}
