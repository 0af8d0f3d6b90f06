package dev.depthwise.op;

import dev.depthwise.spec.ChannelSpec;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/**
 * Global average pooling: the mean of each channel over all spatial positions, giving a
 * {@code [batch, channels]} tensor. Thread-safe.
 */
public final class SpatialMean {
    private static final String OP = "global average pool";
    private final ChannelSpec spec;

    private SpatialMean(ChannelSpec spec) {
        this.spec = spec;
    }

    /** The op for inputs of {@code spec} (at least one spatial axis). */
    public static SpatialMean of(ChannelSpec spec) {
        if (spec == null) {
            throw new ShapeException(OP + ": spec must not be null");
        }
        if (spec.shape().length < 3) {
            throw new ShapeException(OP + ": input must have a spatial axis (3 to 5 axes), got "
                    + Checks.shape(spec.shape()));
        }
        return new SpatialMean(spec);
    }

    public ChannelSpec spec() { return spec; }

    /** Output shape {@code [batch, channels]}. */
    public int[] outputShape() { return new int[] {spec.batch(), spec.channels()}; }

    /** The per-channel means, {@code [batch, channels]}. */
    public float[] forward(float[] x) {
        Checks.length(OP, "x", x, spec.length(), spec.shape());
        int n = spec.batch(), c = spec.channels(), s = spec.spatialSize();
        int cs = spec.channelStride(), ps = spec.positionStride();
        float[] y = new float[n * c];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                for (int p = 0; p < s; p++) {
                    sum += x[b * c * s + ch * cs + p * ps];
                }
                y[b * c + ch] = (float) (sum / s);
            }
        }
        return y;
    }

    /** Each position receives {@code dy / spatialSize}. */
    public float[] backward(float[] dy) {
        int n = spec.batch(), c = spec.channels(), s = spec.spatialSize();
        Checks.length(OP, "dy", dy, n * c, outputShape());
        int cs = spec.channelStride(), ps = spec.positionStride();
        float[] dx = new float[spec.length()];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                float g = (float) ((double) dy[b * c + ch] / s);
                for (int p = 0; p < s; p++) {
                    dx[b * c * s + ch * cs + p * ps] = g;
                }
            }
        }
        return dx;
    }
}
