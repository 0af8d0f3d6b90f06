package dev.depthwise.kernel;

/**
 * The pointwise GEMM with the vector bodies off ({@code -Ddepthwise.simd=scalar}): the same
 * operands as the blocked path, given by strides, in plain loops with float accumulation. Row
 * {@code i} of {@code C} is swept once per k (i-k-j order), so both operands are read along rows.
 */
public final class GemmScalar {
    private GemmScalar() {
    }

    /**
     * {@code C(i, j) (+)= sum_k A(i, k) B(k, j)} for {@code i < m, j < n, k < kk}, with
     * {@code A(i, k) = a[aOff + i*ars + k*acs]}, {@code B(k, j) = b[bOff + k*brs + j*bcs]},
     * {@code C(i, j) = c[cOff + i*ldc + j]}; without {@code accumulate} C is overwritten.
     */
    public static void gemm(int m, int n, int kk, float[] a, int aOff, int ars, int acs,
                            float[] b, int bOff, int brs, int bcs,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = 0f;
                }
            }
            for (int k = 0; k < kk; k++) {
                float aik = a[aOff + i * ars + k * acs];
                int bk = bOff + k * brs;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aik * b[bk + j * bcs];
                }
            }
        }
    }
}
