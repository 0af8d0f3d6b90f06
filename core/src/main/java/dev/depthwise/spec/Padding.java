package dev.depthwise.spec;

import java.util.Arrays;
import java.util.Locale;

/**
 * How much border a convolution adds before and after the input on each spatial axis. The amounts of
 * {@link #same()}, {@link #sameLower()} and {@link #causal()} depend on the input size, kernel,
 * stride and dilation, and are resolved by {@link ConvSpec}.
 */
public sealed interface Padding {

    /** No padding; the output only covers positions where the whole kernel fits. */
    record Valid() implements Padding {
        @Override public String toString() { return "valid"; }
    }

    /**
     * Output size {@code ceil(in / stride)}. TensorFlow's rule puts the odd extra pixel at the end
     * ({@code lower == false}); ONNX's {@code SAME_LOWER} puts it at the beginning.
     */
    record Same(boolean lower) implements Padding {
        @Override public String toString() { return lower ? "same_lower" : "same"; }
    }

    /** 1-D only: {@code (k-1)*dilation} zeros before, none after, so output t never sees input t+1. */
    record Causal() implements Padding {
        @Override public String toString() { return "causal"; }
    }

    /** Explicit amounts per spatial axis, outermost axis first; each may differ before and after. */
    record Explicit(int[] before, int[] after) implements Padding {
        public Explicit {
            if (before == null || after == null) {
                throw new ShapeException("padding: before and after must not be null");
            }
            if (before.length != after.length) {
                throw new ShapeException("padding: before and after must name the same number of axes, got "
                        + before.length + " and " + after.length);
            }
            for (int i = 0; i < before.length; i++) {
                if (before[i] < 0 || after[i] < 0) {
                    throw new ShapeException("padding: pad[" + i + "] must be >= 0, got before=" + before[i]
                            + " after=" + after[i]);
                }
            }
            before = before.clone();
            after = after.clone();
        }

        @Override public int[] before() { return before.clone(); }
        @Override public int[] after() { return after.clone(); }

        @Override public boolean equals(Object o) {
            return o instanceof Explicit e && Arrays.equals(before, e.before) && Arrays.equals(after, e.after);
        }

        @Override public int hashCode() { return 31 * Arrays.hashCode(before) + Arrays.hashCode(after); }

        @Override public String toString() {
            StringBuilder s = new StringBuilder("pad");
            for (int i = 0; i < before.length; i++) {
                s.append(i == 0 ? "(" : ",").append(before[i]).append(',').append(after[i]);
            }
            return s.append(')').toString();
        }
    }

    static Padding valid() { return new Valid(); }

    static Padding same() { return new Same(false); }

    static Padding sameLower() { return new Same(true); }

    static Padding causal() { return new Causal(); }

    /** The same amount {@code p} on every side of every axis. Resolved against the rank later. */
    static Padding of(int p) {
        return new Explicit(new int[] {p}, new int[] {p});
    }

    /** Explicit padding, {@code before[i]} and {@code after[i]} on spatial axis {@code i}. */
    static Padding explicit(int[] before, int[] after) {
        return new Explicit(before, after);
    }

    /**
     * Parses the command-line spelling: {@code valid}, {@code same}, {@code same_lower},
     * {@code causal}, one number {@code P} (all sides), {@code rank} numbers (symmetric per axis), or
     * {@code 2*rank} numbers as before,after pairs per axis ({@code T,B,L,R} in 2-D).
     */
    static Padding parse(String text, int rank) {
        Layout.checkRank(rank);
        if (text == null) {
            throw new ShapeException("padding must not be null");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "valid": return valid();
            case "same": case "same_upper": return same();
            case "same_lower": return sameLower();
            case "causal": return causal();
            default: break;
        }
        String[] parts = t.split(",");
        int[] n = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new ShapeException("padding must be valid, same, same_lower, causal or comma-separated "
                        + "integers, got '" + text + "'");
            }
        }
        int[] before = new int[rank];
        int[] after = new int[rank];
        for (int a = 0; a < rank; a++) {
            if (n.length == 1) {
                before[a] = after[a] = n[0];
            } else if (n.length == 2 * rank) {
                before[a] = n[2 * a];
                after[a] = n[2 * a + 1];
            } else if (n.length == rank) {
                before[a] = after[a] = n[a];
            } else {
                throw new ShapeException("padding for " + rank + " spatial axes takes 1, " + rank + " or "
                        + 2 * rank + " numbers, got " + n.length + " in '" + text + "'");
            }
        }
        return explicit(before, after);
    }
}
