package dev.depthwise.op;

import dev.depthwise.kernel.BatchNormRef;
import dev.depthwise.kernel.ChannelRef;
import dev.depthwise.spec.ChannelSpec;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/**
 * Batch normalization over every axis but the channel one: training form (batch statistics, whose
 * dependence on x the gradient includes) and inference form (given moving statistics: a per-channel
 * affine map). {@code gamma} and {@code beta} may be null (Keras's {@code scale=False},
 * {@code center=False}). Stateless and thread-safe; the moving averages belong to the layer.
 */
public final class BatchNorm {
    private static final String OP = "batch norm";
    private final ChannelSpec spec;
    private final float epsilon;
    private final int n, c, spatial, cs, ps;

    private BatchNorm(ChannelSpec spec, float epsilon) {
        this.spec = spec;
        this.epsilon = epsilon;
        n = spec.batch();
        c = spec.channels();
        spatial = spec.spatialSize();
        cs = spec.channelStride();
        ps = spec.positionStride();
    }

    /** The op for tensors of {@code spec}, with {@code epsilon} added to the variance (Keras: 1e-3). */
    public static BatchNorm of(ChannelSpec spec, float epsilon) {
        if (spec == null) {
            throw new ShapeException(OP + ": spec must not be null");
        }
        checkEpsilon(epsilon);
        return new BatchNorm(spec, epsilon);
    }

    private static void checkEpsilon(float epsilon) {
        if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
            throw new ShapeException(OP + ": epsilon must be finite and > 0, got " + epsilon);
        }
    }

    public ChannelSpec spec() { return spec; }

    public float epsilon() { return epsilon; }

    /** The output and the batch statistics it used (biased variance, as Keras keeps). */
    public record Training(float[] y, float[] mean, float[] variance) {
    }

    /** The gradients w.r.t. x, gamma and beta (the latter two null when the parameter is). */
    public record Gradients(float[] dx, float[] dgamma, float[] dbeta) {
    }

    /**
     * Normalizes with the statistics of this batch.
     *
     * @throws ShapeException if each channel has a single value (batch 1, no spatial extent): its
     *     variance is 0, the output would be beta and no gradient would pass (PyTorch refuses this too)
     */
    public Training forwardTraining(float[] x, float[] gamma, float[] beta) {
        check(x, "x", gamma, beta);
        requireStatistics();
        double[] mean = new double[c];
        double[] variance = new double[c];
        BatchNormRef.moments(x, mean, variance, n, c, spatial, cs, ps);
        float[] y = new float[x.length];
        BatchNormRef.normalize(x, mean, invStd(variance), gamma, beta, y, n, c, spatial, cs, ps);
        return new Training(y, toFloat(mean), toFloat(variance));
    }

    /** The training-form gradient; the batch statistics are recomputed from x. */
    public Gradients backwardTraining(float[] x, float[] gamma, float[] beta, float[] dy) {
        check(x, "x", gamma, beta);
        requireStatistics();
        Checks.length(OP, "dy", dy, spec.length(), spec.shape());
        double[] mean = new double[c];
        double[] variance = new double[c];
        BatchNormRef.moments(x, mean, variance, n, c, spatial, cs, ps);
        float[] dx = new float[x.length];
        float[] dgamma = new float[c];
        float[] dbeta = new float[c];
        BatchNormRef.backward(x, mean, invStd(variance), gamma, dy, dx, dgamma, dbeta, n, c, spatial, cs, ps);
        return new Gradients(dx, gamma == null ? null : dgamma, beta == null ? null : dbeta);
    }

    /** Normalizes with given (moving) statistics: {@code gamma * (x - mean) / sqrt(var + eps) + beta}. */
    public float[] forwardInference(float[] x, float[] gamma, float[] beta, float[] mean, float[] variance) {
        check(x, "x", gamma, beta);
        checkStats(mean, variance);
        float[][] affine = affine(gamma, beta, mean, variance);
        float[] y = new float[x.length];
        ChannelRef.affine(x, affine[0], affine[1], y, n, c, spatial, cs, ps);
        return y;
    }

    /** The gradient of {@link #forwardInference}, where the statistics are constants. */
    public Gradients backwardInference(float[] x, float[] gamma, float[] beta, float[] mean, float[] variance,
                                       float[] dy) {
        check(x, "x", gamma, beta);
        checkStats(mean, variance);
        Checks.length(OP, "dy", dy, spec.length(), spec.shape());
        // y = (gamma * invStd) * x + const, so with u = xhat = (x - mean) * invStd the affine backward
        // (scale = gamma * invStd) gives dx = dy * scale, dscale = sum(dy * xhat) = dgamma, dshift = dbeta
        double[] inv = invStd(toDouble(variance));
        float[] scale = new float[c];
        float[] invF = new float[c];
        float[] negMean = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = (float) ((gamma == null ? 1 : gamma[ch]) * inv[ch]);
            invF[ch] = (float) inv[ch];
            negMean[ch] = (float) (-(double) mean[ch] * inv[ch]);
        }
        float[] u = new float[x.length];
        ChannelRef.affine(x, invF, negMean, u, n, c, spatial, cs, ps);
        float[] dx = new float[x.length];
        float[] dgamma = new float[c];
        float[] dbeta = new float[c];
        ChannelRef.affineBackward(u, scale, dy, dx, dgamma, dbeta, n, c, spatial, cs, ps);
        return new Gradients(dx, gamma == null ? null : dgamma, beta == null ? null : dbeta);
    }

    /** {@code {scale, shift}} of the inference form, with null gamma as 1 and null beta as 0. */
    private float[][] affine(float[] gamma, float[] beta, float[] mean, float[] variance) {
        float[] g = gamma;
        float[] b = beta;
        if (g == null) {
            g = new float[c];
            java.util.Arrays.fill(g, 1f);
        }
        if (b == null) {
            b = new float[c];
        }
        return SeparableWeights.batchNorm(g, b, mean, variance, epsilon);
    }

    /** A convolution's (or dense layer's) weights with a following inference-form batch norm folded in. */
    public record Folded(float[] kernel, float[] bias) {
    }

    /**
     * Folds inference-form batch norm into the layer before it: {@code kernel'[i] = kernel[i] * s[o]}
     * and {@code bias'[o] = (bias[o] - mean[o]) * s[o] + beta[o]} with {@code s = gamma / sqrt(var + eps)},
     * where output channel {@code o = i % outChannels} — true of every kernel whose output channel is
     * its fastest axis: Keras's HWIO conv kernels, HWCM depthwise kernels (channel {@code c*M + m}),
     * pointwise and dense {@code [in, out]} kernels. {@code bias} and {@code gamma}/{@code beta} may be
     * null (no bias, 1, 0).
     */
    public static Folded fold(float[] kernel, float[] bias, int outChannels, float[] gamma, float[] beta,
                              float[] mean, float[] variance, float epsilon) {
        Checks.positive(OP, "output channels", outChannels);
        checkEpsilon(epsilon);
        if (kernel == null || kernel.length % outChannels != 0) {
            throw new ShapeException(OP + ": fold needs a kernel whose length is a multiple of the "
                    + outChannels + " output channels, got " + (kernel == null ? "null" : kernel.length));
        }
        int[] cshape = {outChannels};
        if (bias != null) {
            Checks.length(OP, "bias", bias, outChannels, cshape);
        }
        BatchNorm shape = new BatchNorm(ChannelSpec.of(OP, dev.depthwise.spec.Layout.CHANNELS_LAST, 1,
                outChannels), epsilon);
        shape.check(new float[outChannels], "x", gamma, beta);
        shape.checkStats(mean, variance);
        float[][] affine = shape.affine(gamma, beta, mean, variance);
        float[] k = new float[kernel.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) ((double) kernel[i] * affine[0][i % outChannels]);
        }
        float[] b = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            b[o] = (float) ((bias == null ? 0 : (double) bias[o]) * affine[0][o] + affine[1][o]);
        }
        return new Folded(k, b);
    }

    private void check(float[] x, String name, float[] gamma, float[] beta) {
        Checks.length(OP, name, x, spec.length(), spec.shape());
        int[] cshape = {c};
        if (gamma != null) {
            Checks.length(OP, "gamma", gamma, c, cshape);
        }
        if (beta != null) {
            Checks.length(OP, "beta", beta, c, cshape);
        }
    }

    private void requireStatistics() {
        if ((long) n * spatial < 2) {
            throw new ShapeException(OP + ": training mode needs more than 1 value per channel to take statistics "
                    + "of, got batch " + n + " x " + spatial + " position(s) (" + spec + ")");
        }
    }

    private void checkStats(float[] mean, float[] variance) {
        int[] cshape = {c};
        Checks.length(OP, "moving mean", mean, c, cshape);
        Checks.length(OP, "moving variance", variance, c, cshape);
        for (int ch = 0; ch < c; ch++) {
            if (!(variance[ch] >= 0)) {
                throw new ShapeException(OP + ": moving variance[" + ch + "] must be >= 0, got " + variance[ch]);
            }
        }
    }

    private double[] invStd(double[] variance) {
        double[] r = new double[variance.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 / Math.sqrt(variance[i] + epsilon);
        }
        return r;
    }

    private static float[] toFloat(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    private static double[] toDouble(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }
}
