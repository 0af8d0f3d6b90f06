package dev.depthwise.op;

import dev.depthwise.spec.ConvSpec;

/**
 * Picks the path for a spec: the first fast kernel that supports it, else the reference. A small,
 * tested function (see ConvPathsTest): every fast path is listed here, so tests and benchmarks can
 * enumerate them and none is forgotten.
 */
final class ConvPaths {
    private ConvPaths() {
    }

    static ForwardPath forward(ConvSpec spec, int threads) {
        if (DepthwiseForward.supports(spec)) {
            return new DepthwiseForward(spec, threads);
        }
        if (PointwiseForward.supports(spec)) {
            return new PointwiseForward(spec, threads);
        }
        if (Im2colForward.supports(spec)) {
            return new Im2colForward(spec, threads);
        }
        return RefPaths.forward(spec);
    }

    static BackwardPath backward(ConvSpec spec, int threads) {
        BackwardPath nchw = DepthwiseBackwardNchw3x3s1.of(spec, threads);
        if (nchw != null) {
            return nchw;
        }
        if (DepthwiseBackward.supports(spec)) {
            return new DepthwiseBackward(spec, threads);
        }
        if (PointwiseBackward.supports(spec)) {
            return new PointwiseBackward(spec, threads);
        }
        if (Im2colBackward.supports(spec)) {
            return new Im2colBackward(spec, threads);
        }
        return RefPaths.backward(spec);
    }
}
