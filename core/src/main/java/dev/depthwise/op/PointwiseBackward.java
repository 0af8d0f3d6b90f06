package dev.depthwise.op;

import dev.depthwise.spec.ConvSpec;

/** Placeholder: the fast path is being written; {@link #supports} is false until it is. */
final class PointwiseBackward implements BackwardPath {
    static boolean supports(ConvSpec spec) {
        return false;
    }

    PointwiseBackward(ConvSpec spec, int threads) {
        throw new UnsupportedOperationException("not written yet");
    }

    @Override
    public ConvGradients backward(float[] x, float[] filter, float[] bias, float[] dz) {
        throw new UnsupportedOperationException("not written yet");
    }

    @Override
    public String name() {
        return "PointwiseBackward";
    }
}
