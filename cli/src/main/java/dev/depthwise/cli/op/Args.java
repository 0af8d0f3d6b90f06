package dev.depthwise.cli.op;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/** Parsing and checking of command-line values, with messages that name the option. */
final class Args {
    private Args() {
    }

    /** {@code "2"} or {@code "2,1"}: one value for every axis or one per axis. */
    static int[] ints(String option, String text, int rank) {
        String[] parts = text.split(",");
        if (parts.length != 1 && parts.length != rank) {
            throw new ShapeException(option + " takes 1 or " + rank + " comma-separated integers for a " + rank
                    + "-D op, got '" + text + "'");
        }
        int[] r = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                r[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new ShapeException(option + " takes integers, got '" + text + "'");
            }
        }
        return r;
    }

    /** As {@link #ints}, each value >= 1 (stride, dilation). */
    static int[] positiveInts(String option, String text, int rank) {
        int[] r = ints(option, text, rank);
        for (int v : r) {
            if (v < 1) {
                throw new ShapeException(option + " values must be >= 1, got '" + text + "'");
            }
        }
        return r;
    }

    /** Runs a library parser, prefixing its error with the option it came from. */
    static <T> T option(String option, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ShapeException e) {
            throw new ShapeException(option + ": " + e.getMessage());
        }
    }

    /** Requires {@code a} to have {@code rank} axes. */
    static void rank(String option, NdArray a, int rank, String what) {
        if (a.rank() != rank) {
            throw new ShapeException(option + " must be a " + rank + "-D array (" + what + "), got shape "
                    + Checks.shape(a.shape()));
        }
    }

    /** Requires {@code a}'s shape to equal {@code expected}. */
    static void shape(String option, NdArray a, int[] expected, String why) {
        if (!java.util.Arrays.equals(a.shape(), expected)) {
            throw new ShapeException(option + " must have shape " + Checks.shape(expected) + " (" + why + "), got "
                    + Checks.shape(a.shape()));
        }
    }
}
