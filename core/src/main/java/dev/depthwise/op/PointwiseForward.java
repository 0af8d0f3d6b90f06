package dev.depthwise.op;

import dev.depthwise.spec.ConvSpec;

/** Placeholder: the fast path is being written; {@link #supports} is false until it is. */
final class PointwiseForward implements ForwardPath {
    static boolean supports(ConvSpec spec) {
        return false;
    }

    PointwiseForward(ConvSpec spec, int threads) {
        throw new UnsupportedOperationException("not written yet");
    }

    @Override
    public void forward(float[] x, float[] filter, float[] bias, float[] y) {
        throw new UnsupportedOperationException("not written yet");
    }

    @Override
    public String name() {
        return "PointwiseForward";
    }
}
