package dev.depthwise.op;

/**
 * The parameters of a depthwise-separable convolution. Biases may be null (no bias). {@code scale}
 * and {@code shift} are the middle slot's per-channel affine map and must be given exactly when the
 * spec's middle has one; {@link #batchNorm} folds batch-norm statistics into them.
 */
public record SeparableWeights(float[] depthwiseFilter, float[] depthwiseBias, float[] scale, float[] shift,
                               float[] pointwiseFilter, float[] pointwiseBias) {

    /** Keras / Xception form: no middle parameters. */
    public static SeparableWeights of(float[] depthwiseFilter, float[] pointwiseFilter, float[] pointwiseBias) {
        return new SeparableWeights(depthwiseFilter, null, null, null, pointwiseFilter, pointwiseBias);
    }

    /**
     * Batch norm in inference form as {@code {scale, shift}}: {@code scale = gamma / sqrt(var + eps)},
     * {@code shift = beta - mean * scale}.
     */
    public static float[][] batchNorm(float[] gamma, float[] beta, float[] mean, float[] variance, float eps) {
        if (gamma == null || beta == null || mean == null || variance == null) {
            throw new dev.depthwise.spec.ShapeException("batch norm: gamma, beta, mean and variance must not be null"
                    + " (got gamma=" + (gamma == null ? "null" : "array") + ", beta=" + (beta == null ? "null" : "array")
                    + ", mean=" + (mean == null ? "null" : "array") + ", variance="
                    + (variance == null ? "null" : "array") + ")");
        }
        int c = gamma.length;
        if (beta.length != c || mean.length != c || variance.length != c) {
            throw new dev.depthwise.spec.ShapeException("batch norm: gamma, beta, mean and variance must have the "
                    + "same length, got " + c + ", " + beta.length + ", " + mean.length + ", " + variance.length);
        }
        if (!(eps > 0) || Float.isInfinite(eps)) {
            throw new dev.depthwise.spec.ShapeException("batch norm: eps must be finite and > 0, got " + eps);
        }
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            double s = gamma[i] / Math.sqrt((double) variance[i] + eps);
            scale[i] = (float) s;
            shift[i] = (float) (beta[i] - mean[i] * s);
        }
        return new float[][] {scale, shift};
    }
}
