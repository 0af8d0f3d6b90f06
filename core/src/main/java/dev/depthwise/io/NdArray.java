package dev.depthwise.io;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A dense float32 array in C (row-major) order: a shape and its elements.
 *
 * <p>The shape is copied on the way in and out, so it cannot change; the data array is shared, not
 * copied, since it can be large. A rank-0 array (shape {@code ()}) holds one element; a dimension may
 * be 0, in which case there are no elements.
 *
 * @param shape the size of each dimension, outermost first; none negative
 * @param data the elements, {@code product(shape)} of them, last dimension varying fastest
 */
public record NdArray(int[] shape, float[] data) {

    /**
     * Checks that the data holds exactly as many elements as the shape says.
     *
     * @throws IllegalArgumentException if a dimension is negative or the counts differ
     * @throws NullPointerException if either argument is null
     */
    public NdArray {
        shape = shape.clone();
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has a negative dimension");
            }
            // Cannot overflow: stops growing once it passes data.length, which is below 2^31.
            count = Math.min(count * d, Integer.MAX_VALUE + 1L);
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " needs " + count
                    + " elements but the data has " + data.length);
        }
    }

    /** Returns a copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Returns the number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** Returns the number of elements. */
    public int size() {
        return data.length;
    }

    /** Two arrays are equal when their shapes and elements are (NaN equals NaN, as in {@link Arrays#equals(float[], float[])}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** Shows the shape only: the data can be large. */
    @Override
    public String toString() {
        return "NdArray[shape=" + shapeString(shape) + "]";
    }

    /** Formats a shape the way Python writes a tuple: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (int d : shape) {
            j.add(Integer.toString(d));
        }
        return j.toString();
    }
}
