package dev.depthwise.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs GEMM operands into the layouts the register tiles ({@link Gemm8x2v}, {@link Gemm8x1v})
 * stream through (BLIS/MLAS style): the operand that every tile re-reads is copied once per call
 * into contiguous, zero-padded panels, so the tiles' loads advance by constants.
 *
 * <p>An operand element {@code (i, j)} sits at {@code src[off + i*rs + j*cs]}: the strides say
 * which layout it has (row-major, column-major, or a filter in either framework's layout), so
 * transposition is free here.
 */
public final class GemmPack {
    private static final int MR = Gemm8x2v.MR;
    private static final int NR = Gemm8x2v.NR;
    private static final int L = Gemm8x1v.NR;
    private static final VectorSpecies<Float> F = VecSpecies.F;

    private GemmPack() {
    }

    /** Columns {@link #b} writes per k row for {@code n} columns: whole strips, then one narrower or padded strip. */
    public static int paddedWidth(int n) {
        int full = n / NR * NR;
        int rest = n - full;
        return full + (rest == 0 ? 0 : rest <= L ? L : NR);
    }

    /** Width of the strip that starts {@code left} columns before the end: {@link Gemm8x2v#NR} or {@link Gemm8x1v#NR}. */
    public static int stripWidth(int left) {
        return left > L ? NR : L;
    }

    /**
     * Packs {@code B(k, j) = src[off + k*rs + j*cs]}, {@code k < kb}, {@code j < n}, as column strips:
     * strip {@code q} (columns {@code q*NR ...}) at {@code dst[dstOff + q*kb*NR]}, {@code kb} rows of
     * {@link #stripWidth} floats each, zero past column {@code n}. Writes {@code kb * paddedWidth(n)} floats.
     */
    public static void b(float[] src, int off, int rs, int cs, int kb, int n, float[] dst, int dstOff) {
        int d = dstOff;
        for (int j0 = 0; j0 < n; j0 += NR) {
            int w = Math.min(NR, n - j0);
            int sw = stripWidth(n - j0);
            int s0 = off + j0 * cs;
            if (cs == 1 && w == NR && NR == 2 * L) {
                // a whole strip of a row-major source: two vector copies a row (arraycopy's call costs more)
                for (int k = 0; k < kb; k++, d += NR) {
                    int sk = s0 + k * rs;
                    FloatVector.fromArray(F, src, sk).intoArray(dst, d);
                    FloatVector.fromArray(F, src, sk + L).intoArray(dst, d + L);
                }
            } else if (cs == 1) {
                for (int k = 0; k < kb; k++, d += sw) {
                    System.arraycopy(src, s0 + k * rs, dst, d, w);
                    for (int j = w; j < sw; j++) {
                        dst[d + j] = 0f;
                    }
                }
            } else {
                // a transposed source: walk it along its contiguous axis (k when rs == 1)
                for (int j = 0; j < sw; j++) {
                    int s = s0 + j * cs;
                    for (int k = 0; k < kb; k++) {
                        dst[d + k * sw + j] = j < w ? src[s + k * rs] : 0f;
                    }
                }
                d += kb * sw;
            }
        }
    }

    /** Floats {@link #a} writes for {@code rows} rows: whole panels of {@link Gemm8x2v#MR}. */
    public static int paddedRows(int rows) {
        return (rows + MR - 1) / MR * MR;
    }

    /**
     * Packs {@code A(i, k) = src[off + i*rs + k*cs]}, {@code i < rows}, {@code k < kb}, as row panels:
     * panel {@code p} (rows {@code 8p ... 8p+7}) at {@code dst[dstOff + p*kb*8]}, {@code kb} steps of 8
     * values side by side, zero past row {@code rows}. Writes {@code paddedRows(rows) * kb} floats.
     */
    public static void a(float[] src, int off, int rs, int cs, int rows, int kb, float[] dst, int dstOff) {
        for (int i0 = 0; i0 < rows; i0 += MR) {
            int h = Math.min(MR, rows - i0);
            int d = dstOff + i0 * kb;
            int s0 = off + i0 * rs;
            if (rs == 1) {
                // column-major source: each k step is h contiguous values
                for (int k = 0; k < kb; k++, d += MR) {
                    int sk = s0 + k * cs;
                    for (int r = 0; r < h; r++) {
                        dst[d + r] = src[sk + r];
                    }
                    for (int r = h; r < MR; r++) {
                        dst[d + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    int s = s0 + r * rs;
                    for (int k = 0; k < kb; k++) {
                        dst[d + k * MR + r] = r < h ? src[s + k * cs] : 0f;
                    }
                }
            }
        }
    }

    /** Floats {@link #bWhole} writes for a {@code depth x n} matrix. */
    public static int wholeBLength(int depth, int n) {
        return depth * paddedWidth(n);
    }

    /**
     * Packs all of {@code B(k, j) = src[off + k*rs + j*cs]}, {@code k < depth}, {@code j < n}, once,
     * for {@link Gemm#runPackedB}: its blocks of k ({@link GemmBlocking#depth}) one after another, the
     * block starting at step {@code k0} at {@code dst[dstOff + k0*paddedWidth(n)]}, each as {@link #b}
     * packs it. Writes {@link #wholeBLength} floats.
     */
    public static void bWhole(float[] src, int off, int rs, int cs, int depth, int n, float[] dst, int dstOff) {
        bWholeColumns(src, off, rs, cs, depth, n, 0, n, dst, dstOff);
    }

    /**
     * The part of {@link #bWhole} that holds columns {@code [from, to)}: {@code from} a multiple of
     * {@link Gemm8x2v#NR}, {@code to} one too or {@code n}. Threads that pack disjoint ranges write
     * together exactly what one call over all columns writes.
     */
    public static void bWholeColumns(float[] src, int off, int rs, int cs, int depth, int n, int from, int to,
                                     float[] dst, int dstOff) {
        int kc = GemmBlocking.depth(depth);
        int width = paddedWidth(n);
        for (int k0 = 0; k0 < depth; k0 += kc) {
            int kb = Math.min(kc, depth - k0);
            // strip q of a block starts q*kb*NR floats in, and the strips before column from are all full
            b(src, off + k0 * rs + from * cs, rs, cs, kb, to - from, dst, dstOff + k0 * width + from * kb);
        }
    }

    /** Floats {@link #aWhole} writes for a {@code rows x depth} matrix. */
    public static int wholeALength(int rows, int depth) {
        return paddedRows(rows) * depth;
    }

    /**
     * Packs all of {@code A(i, k) = src[off + i*rs + k*cs]}, {@code i < rows}, {@code k < depth}, once,
     * for {@link Gemm#runPackedA}: its blocks of k one after another, the block starting at step
     * {@code k0} at {@code dst[dstOff + k0*paddedRows(rows)]}, each as {@link #a} packs it. Writes
     * {@link #wholeALength} floats.
     */
    public static void aWhole(float[] src, int off, int rs, int cs, int rows, int depth, float[] dst, int dstOff) {
        int kc = GemmBlocking.depth(depth);
        int padded = paddedRows(rows);
        for (int k0 = 0; k0 < depth; k0 += kc) {
            a(src, off + k0 * cs, rs, cs, rows, Math.min(kc, depth - k0), dst, dstOff + k0 * padded);
        }
    }
}
