package dev.depthwise.kernel;

/**
 * Cache blocking of the pointwise GEMM, sized for the project's machine (48 KiB L1d, 2 MiB L2 a
 * core):
 * <ul>
 * <li>{@link #MAX_DEPTH}: k is cut into balanced blocks of at most this many steps, so one packed
 * strip of B ({@code depth x 32} floats, 32 KiB) stays in L1 while the row tiles stream past it;</li>
 * <li>{@link #rows}: rows per block, so that their rows of A and C stay in L2 ({@link #L2_BUDGET}).</li>
 * </ul>
 */
public final class GemmBlocking {
    public static final int MAX_DEPTH = 256;
    /** Bytes of L2 a block of rows may fill with its rows of A and C. */
    public static final int L2_BUDGET = 1 << 20;

    private static final int MR = Gemm8x2v.MR;

    private GemmBlocking() {
    }

    /** The depth of each k block for a product of depth {@code k}: balanced, at most {@link #MAX_DEPTH}. */
    public static int depth(int k) {
        int blocks = (k + MAX_DEPTH - 1) / MAX_DEPTH;
        return (k + blocks - 1) / blocks;
    }

    /** Rows per block for a block of k of {@code depth} and {@code cols} columns: whole tiles within {@link #L2_BUDGET}. */
    public static int rows(int depth, int cols) {
        int fit = L2_BUDGET / (4 * (depth + cols));
        return Math.max(MR, fit / MR * MR);
    }
}
