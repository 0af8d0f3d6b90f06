package dev.depthwise.spec;

import java.util.Locale;

/** Where the channel axis sits in an activation tensor. */
public enum Layout {
    /** Channels last: NWC, NHWC, NDHWC (TensorFlow, Keras, TF.js default). */
    CHANNELS_LAST,
    /** Channels first: NCW, NCHW, NCDHW (PyTorch, ONNX default). */
    CHANNELS_FIRST;

    private static final String SPATIAL = "DHW";

    /** The conventional name for a tensor of this layout with {@code rank} spatial axes, e.g. NHWC. */
    public String name(int rank) {
        checkRank(rank);
        String spatial = SPATIAL.substring(3 - rank);
        return this == CHANNELS_LAST ? "N" + spatial + "C" : "NC" + spatial;
    }

    /** Refuses a number of spatial axes other than 1, 2 or 3. */
    static void checkRank(int rank) {
        if (rank < 1 || rank > 3) {
            throw new ShapeException("rank (spatial axes) must be 1, 2 or 3, got " + rank);
        }
    }

    /**
     * Parses {@code NHWC}, {@code NCHW} (or the 1-D/3-D forms, matching {@code rank}) and
     * {@code channels_last} / {@code channels_first}, case-insensitively.
     */
    public static Layout parse(String text, int rank) {
        checkRank(rank);
        if (text == null) {
            throw new ShapeException("layout must not be null");
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (Layout l : values()) {
            if (t.equals(l.name(rank)) || t.equals(l.name())) {
                return l;
            }
        }
        throw new ShapeException("layout must be " + CHANNELS_LAST.name(rank) + " or "
                + CHANNELS_FIRST.name(rank) + " (or channels_last / channels_first), got '" + text + "'");
    }
}
