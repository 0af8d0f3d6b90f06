package dev.depthwise.bench;

import dev.depthwise.bench.LayerResult.Timing;

/**
 * What one layer's {@code dwgrad} race measured, microseconds per call.
 *
 * @param layer     the layer
 * @param fwdNhwc   our forward, NHWC in and out
 * @param fwdNchw   our forward, NCHW in and out (transposes included where {@code fwdPath} says T+)
 * @param bwdNhwc   our backward (dx, dfilter, dbias into kept arrays), NHWC
 * @param bwdNchw   our backward, NCHW
 * @param dl4jFwd   Deeplearning4j's forward (null without Deeplearning4j)
 * @param dl4jBwd   Deeplearning4j's backward, dx + dW + db (null without Deeplearning4j)
 * @param fwdPath   our forward kernel path(s)
 * @param bwdPath   our backward kernel path(s)
 * @param errors    the outputs check
 * @param rounds    timed rounds
 * @param buffers   buffers rotated over
 */
record GradResult(Layer layer, Timing fwdNhwc, Timing fwdNchw, Timing bwdNhwc, Timing bwdNchw, Timing dl4jFwd,
                  Timing dl4jBwd, String fwdPath, String bwdPath, Errors errors, int rounds, int buffers) {

    /**
     * The largest |ours - want| / max |want| of each output over both of our layouts; {@code want} is
     * Deeplearning4j's, or without it our NCHW side's (then only the two layouts are compared).
     * {@code dl4jLayer} compares the timed Deeplearning4j op with the layer's own backpropGradient
     * (0 without Deeplearning4j).
     */
    record Errors(double y, double dx, double dfilter, double dbias, double dl4jLayer) {
        /** The worst of them; NaN if any is. */
        double max() {
            double m = 0;
            for (double e : new double[] {y, dx, dfilter, dbias, dl4jLayer}) {
                if (Double.isNaN(e)) {
                    return Double.NaN;
                }
                m = Math.max(m, e);
            }
            return m;
        }
    }

    double fwdBestUs() {
        return Math.min(fwdNhwc.medianUs(), fwdNchw.medianUs());
    }

    double bwdBestUs() {
        return Math.min(bwdNhwc.medianUs(), bwdNchw.medianUs());
    }

    double fwdBestMinUs() {
        return Math.min(fwdNhwc.minUs(), fwdNchw.minUs());
    }

    double bwdBestMinUs() {
        return Math.min(bwdNhwc.minUs(), bwdNchw.minUs());
    }
}
