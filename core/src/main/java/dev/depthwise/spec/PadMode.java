package dev.depthwise.spec;

import java.util.Locale;

/** What the padded border holds (PyTorch's {@code padding_mode}). */
public enum PadMode {
    /** Zeros outside the input (TensorFlow, Keras, ONNX). */
    ZEROS,
    /** Mirror without repeating the edge: {@code [c b | a b c d | c b]}; needs padding < size. */
    REFLECT,
    /** Repeat the edge element: {@code [a a | a b c d | d d]}. */
    REPLICATE,
    /** Wrap around: {@code [c d | a b c d | a b]}; needs padding <= size. */
    CIRCULAR;

    /** Parses {@code zeros}, {@code reflect}, {@code replicate}, {@code circular}. */
    public static PadMode parse(String text) {
        if (text == null) {
            throw new ShapeException("pad mode must not be null");
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (PadMode m : values()) {
            if (m.name().equals(t)) {
                return m;
            }
        }
        throw new ShapeException("pad mode must be zeros, reflect, replicate or circular, got '" + text + "'");
    }
}
