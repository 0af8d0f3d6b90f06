package dev.depthwise.spec;

import java.util.Locale;

/**
 * How a filter's elements are ordered. A filter always has the spatial axes, the input channels of
 * one group ({@code I = C / groups}) and the output channels ({@code O}).
 */
public enum FilterLayout {
    /**
     * TensorFlow / Keras: spatial axes first, then {@code I}, then {@code O}: {@code [kh, kw, I, O]}
     * (HWIO). For depthwise convolution TensorFlow writes it as {@code [kh, kw, C, M]} (HWCM), which
     * is the same memory, since output channel {@code c*M + m} belongs to group {@code c}.
     */
    SPATIAL_IN_OUT,
    /** PyTorch / ONNX: {@code [O, I, kh, kw]} (OIHW); depthwise is {@code [C*M, 1, kh, kw]}. */
    OUT_IN_SPATIAL;

    /**
     * Parses {@code HWCM}, {@code HWIO} (and their 1-D/3-D forms such as {@code WCM}, {@code DHWIO}),
     * {@code OIHW} ({@code OIW}, {@code OIDHW}), case-insensitively.
     */
    public static FilterLayout parse(String text) {
        if (text == null) {
            throw new ShapeException("filter layout must not be null");
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.matches("D?H?W(CM|IO)") || t.equals("SPATIAL_IN_OUT")) {
            return SPATIAL_IN_OUT;
        }
        if (t.matches("OID?H?W") || t.equals("OUT_IN_SPATIAL")) {
            return OUT_IN_SPATIAL;
        }
        throw new ShapeException("filter layout must be HWCM/HWIO (TensorFlow) or OIHW (PyTorch/ONNX), got '"
                + text + "'");
    }
}
