package dev.depthwise.op;

import dev.depthwise.kernel.ChannelRef;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;

/** ShuffleNet's channel shuffle, forward and backward (the inverse permutation). Thread-safe. */
public final class ChannelShuffle {
    private static final String OP = "channel shuffle";
    private final ChannelShuffleSpec spec;
    private final int[] source;
    private final int n, c, spatial, cs, ps;

    private ChannelShuffle(ChannelShuffleSpec spec) {
        this.spec = spec;
        c = spec.channels();
        n = spec.shape()[0];
        spatial = spec.spatialSize();
        boolean last = spec.layout() == Layout.CHANNELS_LAST;
        cs = last ? 1 : spatial;
        ps = last ? c : 1;
        int g = spec.groups();
        int perGroup = c / g;
        source = new int[c];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < perGroup; j++) {
                source[j * g + i] = i * perGroup + j;
            }
        }
    }

    public static ChannelShuffle of(ChannelShuffleSpec spec) {
        if (spec == null) {
            throw new ShapeException(OP + ": spec must not be null");
        }
        return new ChannelShuffle(spec);
    }

    public ChannelShuffleSpec spec() {
        return spec;
    }

    /** The shuffled tensor. */
    public float[] forward(float[] x) {
        Checks.length(OP, "x", x, spec.length(), spec.shape());
        float[] y = new float[x.length];
        ChannelRef.permute(x, source, y, n, c, spatial, cs, ps);
        return y;
    }

    /** The gradient w.r.t. the input: {@code dy} shuffled back. */
    public float[] backward(float[] dy) {
        Checks.length(OP, "dy", dy, spec.length(), spec.shape());
        float[] dx = new float[dy.length];
        ChannelRef.unpermute(dy, source, dx, n, c, spatial, cs, ps);
        return dx;
    }
}
