package dev.depthwise.nn;

import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;
import java.util.StringJoiner;

/** Small shape helpers shared by the layers. */
final class Shapes {
    private Shapes() {
    }

    /** {@code [batch, shape...]}. */
    static int[] withBatch(int batch, int[] shape) {
        int[] r = new int[shape.length + 1];
        r[0] = batch;
        System.arraycopy(shape, 0, r, 1, shape.length);
        return r;
    }

    /** {@code shape} without its first axis. */
    static int[] withoutBatch(int[] shape) {
        int[] r = new int[shape.length - 1];
        System.arraycopy(shape, 1, r, 0, r.length);
        return r;
    }

    static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        if (p > Integer.MAX_VALUE) {
            throw new ShapeException("shape " + python(shape) + " has more elements than an array can hold");
        }
        return (int) p;
    }

    /** Python's tuple spelling: {@code (2, 3)}, {@code (3,)}. */
    static String python(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (int d : shape) {
            j.add(Integer.toString(d));
        }
        return j.toString();
    }

    /** {@code (batch, 32, 32, 3)}: a per-sample shape with its batch axis named. */
    static String batched(int[] shape) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        j.add("batch");
        for (int d : shape) {
            j.add(Integer.toString(d));
        }
        return j.toString();
    }

    /** A Keras summary's output shape: {@code (None, 112, 112, 32)}. */
    static String keras(int[] shape) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        j.add("None");
        for (int d : shape) {
            j.add(Integer.toString(d));
        }
        return j.toString();
    }

    /** The channel count of a per-sample shape in {@code layout}. */
    static int channels(int[] shape, Layout layout) {
        return shape[layout == Layout.CHANNELS_LAST ? shape.length - 1 : 0];
    }

    /** Parses Keras's {@code data_format}: {@code channels_last} or {@code channels_first}. */
    static Layout dataFormat(String text) {
        if (text == null) {
            throw new ShapeException("data_format must be channels_last or channels_first, got null");
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "channels_last" -> Layout.CHANNELS_LAST;
            case "channels_first" -> Layout.CHANNELS_FIRST;
            default -> throw new ShapeException("data_format must be channels_last or channels_first, got '"
                    + text + "'");
        };
    }
}
