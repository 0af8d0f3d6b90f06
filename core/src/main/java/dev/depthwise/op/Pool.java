package dev.depthwise.op;

import dev.depthwise.kernel.PoolRef;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.PoolGeometry;
import dev.depthwise.spec.PoolSpec;
import dev.depthwise.spec.ShapeException;

/** Max or average pooling bound to its {@link PoolSpec}, forward and backward. Thread-safe. */
public final class Pool {
    private final PoolSpec spec;
    private final PoolGeometry geometry;
    private final boolean max;

    private Pool(PoolSpec spec) {
        this.spec = spec;
        this.geometry = spec.geometry();
        this.max = spec.kind() == PoolSpec.Kind.MAX;
    }

    /** The op for {@code spec}. */
    public static Pool of(PoolSpec spec) {
        if (spec == null) {
            throw new ShapeException("pool: spec must not be null");
        }
        return new Pool(spec);
    }

    public PoolSpec spec() { return spec; }

    /** The pooled tensor. */
    public float[] forward(float[] x) {
        Checks.length(spec.kind().op(), "x", x, spec.inputLength(), spec.inputShape());
        float[] y = new float[spec.outputLength()];
        PoolRef.forward(geometry, max, x, y);
        return y;
    }

    /** The gradient w.r.t. x; max pooling reads x again to find each window's maximum. */
    public float[] backward(float[] x, float[] dy) {
        String op = spec.kind().op();
        Checks.length(op, "x", x, spec.inputLength(), spec.inputShape());
        Checks.length(op, "dy", dy, spec.outputLength(), spec.outputShape());
        double[] acc = new double[x.length];
        PoolRef.backward(geometry, max, x, dy, acc);
        float[] dx = new float[acc.length];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = (float) acc[i];
        }
        return dx;
    }
}
