package dev.depthwise.spec;

/**
 * Validation helpers shared by the specs and ops. Each throws {@link ShapeException} with a message
 * of the form {@code <op>: <parameter> must <rule>, got <value>}. Sizes are computed in {@code long}
 * so that overflow is detected, never wrapped.
 */
public final class Checks {

    /** The largest array length every JVM accepts (a few header words below Integer.MAX_VALUE). */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8L;

    private Checks() {
    }

    /** Requires {@code value >= 1}. */
    public static int positive(String op, String name, int value) {
        if (value < 1) {
            throw new ShapeException(op + ": " + name + " must be >= 1, got " + value);
        }
        return value;
    }

    /**
     * The product of {@code dims}, refused when it is more elements than a Java array can hold. An
     * overflow of {@code long} itself is also reported as too large.
     */
    public static int elementCount(String op, String name, int... dims) {
        long n = 1;
        for (int d : dims) {
            try {
                n = Math.multiplyExact(n, (long) d);
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
        }
        if (n > MAX_ARRAY_LENGTH) {
            throw new ShapeException(op + ": " + name + " " + shape(dims) + " has " + (n == Long.MAX_VALUE
                    ? "more than 2^63" : String.valueOf(n)) + " elements, more than a Java array can hold ("
                    + MAX_ARRAY_LENGTH + ")");
        }
        return (int) n;
    }

    /**
     * Requires {@code array} (non-null) to hold exactly {@code expected} elements, the product of
     * {@code shape}. Longer arrays are refused too: a flat array whose length does not match its
     * declared shape is a caller's mistake in one of the two.
     */
    public static void length(String op, String name, float[] array, int expected, int[] shape) {
        if (array == null) {
            throw new ShapeException(op + ": " + name + " must not be null (expected " + shape(shape) + ")");
        }
        if (array.length != expected) {
            throw new ShapeException(op + ": " + name + " must have " + expected + " elements (" + shape(shape)
                    + "), got " + array.length);
        }
    }

    /** {@code 1x3x3x2}. */
    public static String shape(int... dims) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return dims.length == 0 ? "scalar" : s.toString();
    }
}
