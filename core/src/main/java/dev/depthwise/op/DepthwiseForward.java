package dev.depthwise.op;

import dev.depthwise.spec.ConvSpec;

/** Placeholder: the fast path is being written; {@link #supports} is false until it is. */
final class DepthwiseForward implements ForwardPath {
    static boolean supports(ConvSpec spec) {
        return false;
    }

    DepthwiseForward(ConvSpec spec, int threads) {
        throw new UnsupportedOperationException("not written yet");
    }

    @Override
    public void forward(float[] x, float[] filter, float[] bias, float[] y) {
        throw new UnsupportedOperationException("not written yet");
    }

    @Override
    public String name() {
        return "DepthwiseForward";
    }
}
