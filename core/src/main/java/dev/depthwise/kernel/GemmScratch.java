package dev.depthwise.kernel;

/**
 * The working memory of {@link Gemm}: a packed strip of B, packed panels of A, a spill tile, and
 * room for a caller's staged operand and output. One per thread, reused from call to call and grown when a call needs
 * more, so a convolution allocates nothing once warm. Only valid inside the task that took it.
 */
public final class GemmScratch {
    private static final ThreadLocal<GemmScratch> LOCAL = ThreadLocal.withInitial(GemmScratch::new);

    /** {@link GemmBlock#TILE} floats for the tiles that stick out of C. */
    final float[] tile = new float[GemmBlock.TILE];
    private float[] a = new float[0];
    private float[] b = new float[0];
    private float[] extra = new float[0];
    private float[] staged = new float[0];

    private GemmScratch() {
    }

    /** This thread's scratch. */
    public static GemmScratch local() {
        return LOCAL.get();
    }

    float[] a(int floats) {
        if (a.length < floats) {
            a = new float[floats];
        }
        return a;
    }

    float[] b(int floats) {
        if (b.length < floats) {
            b = new float[floats];
        }
        return b;
    }

    /** At least {@code floats} floats for a caller's staged output, apart from {@link #extra}; contents undefined. */
    public float[] staged(int floats) {
        if (staged.length < floats) {
            staged = new float[floats];
        }
        return staged;
    }

    /** At least {@code floats} floats for the caller (a staged operand); contents undefined. */
    public float[] extra(int floats) {
        if (extra.length < floats) {
            extra = new float[floats];
        }
        return extra;
    }
}
