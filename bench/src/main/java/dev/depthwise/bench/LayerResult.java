package dev.depthwise.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one layer's race measured. Times are microseconds per forward pass.
 *
 * @param layer        the layer
 * @param oursNchw     this library, NCHW in and out (transposes included where {@code path} starts with T+)
 * @param oursNhwc     this library, NHWC in and out
 * @param ortOneOp     ONNX Runtime's session run on NCHW, reorders included
 * @param ortProfile   ONNX Runtime's profiler: its kernels and its reorders (null when not profiled)
 * @param path         this library's kernel path for NCHW and NHWC data
 * @param transposed   true when our NCHW time includes the caller's NCHW/NHWC transposes
 * @param maxError     the largest |ours - ORT| over both of our layouts, relative to max |ORT|
 * @param rounds       timed rounds
 * @param buffers      input/output buffers rotated over
 */
record LayerResult(Layer layer, Timing oursNchw, Timing oursNhwc, Timing ortOneOp, OrtProfile.Summary ortProfile,
                   String path, boolean transposed, double maxError, int rounds, int buffers) {

    /** The median and the fastest of a side's timed calls, microseconds. */
    record Timing(double medianUs, double minUs) {
        static Timing of(double[] us) {
            return new Timing(Stats.median(us), Stats.min(us));
        }

        /** {@code {"median": ..., "min": ...}} for the JSON reports. */
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("median", medianUs);
            m.put("min", minUs);
            return m;
        }
    }

    /** Our faster layout's median: the rates are computed from it. */
    double oursBestUs() {
        return Math.min(oursNchw.medianUs, oursNhwc.medianUs);
    }
}
