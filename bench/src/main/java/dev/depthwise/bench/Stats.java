package dev.depthwise.bench;

import java.util.Arrays;

/** Order statistics of repeated timings. */
final class Stats {
    private Stats() {
    }

    /** The median (the mean of the middle two for an even count); NaN for no values. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** The smallest value; NaN for no values. */
    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }
}
