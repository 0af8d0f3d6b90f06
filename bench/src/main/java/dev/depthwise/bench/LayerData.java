package dev.depthwise.bench;

import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random input and weights of one layer, shared by both sides: the input in NCHW, the filters
 * in ONNX's OIHW, biases per output channel; and the one-op ONNX model built from them.
 *
 * @param x        input, NCHW
 * @param dwFilter depthwise filter {@code [C, 1, 3, 3]} (null for a pointwise layer)
 * @param dwBias   depthwise bias {@code [C]} (null for a pointwise layer)
 * @param pwFilter pointwise filter {@code [K, C, 1, 1]} (null for a depthwise layer)
 * @param pwBias   pointwise bias {@code [K]} (null for a depthwise layer)
 */
record LayerData(Layer layer, int batch, float[] x, float[] dwFilter, float[] dwBias, float[] pwFilter,
                 float[] pwBias) {

    /** Inputs uniform in [-1, 1); weights scaled by 1/sqrt(fan-in) so that outputs stay near 1. */
    static LayerData random(Layer layer, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = uniform(r, Math.toIntExact(layer.inputLength(batch)), 1f);
        boolean dw = layer.kind() != Layer.Kind.PW;
        boolean pw = layer.kind() != Layer.Kind.DW;
        int c = layer.c();
        return new LayerData(layer, batch, x,
                dw ? uniform(r, c * Layer.KERNEL * Layer.KERNEL, 1f / Layer.KERNEL) : null,
                dw ? uniform(r, c, 0.1f) : null,
                pw ? uniform(r, c * layer.k(), (float) (1 / Math.sqrt(c))) : null,
                pw ? uniform(r, layer.k(), 0.1f) : null);
    }

    /** A random output gradient dy for a backward pass, NCHW, uniform in [-1, 1) (its own stream of {@code seed}). */
    float[] randomOutputGradient(long seed) {
        SplittableRandom r = new SplittableRandom(seed).split();
        return uniform(r, Math.toIntExact(layer.outputLength(batch)), 1f);
    }

    /**
     * The one-op ONNX model on NCHW data: {@code Conv}, or {@code Conv(group=C) -> Relu -> Conv} for
     * a separable block, with the same padding as this library's 'same' (TensorFlow's rule).
     */
    byte[] onnxModel() {
        ConvSpec first = layer.kind() == Layer.Kind.PW ? layer.pointwise(Layout.CHANNELS_FIRST, batch)
                : layer.depthwise(Layout.CHANNELS_FIRST, batch);
        OnnxGraph g = new OnnxGraph(layer.kind().name().toLowerCase(java.util.Locale.ROOT))
                .input("x", batch, layer.c(), layer.h(), layer.w())
                .output("y", batch, layer.k(), layer.outH(), layer.outW());
        switch (layer.kind()) {
            case DW -> depthwiseNode(g, first, "x", "y");
            case PW -> pointwiseNode(g, "x", "y");
            case SEP -> {
                depthwiseNode(g, first, "x", "u");
                g.node("Relu", List.of("u"), List.of("v"));
                pointwiseNode(g, "v", "y");
            }
        }
        return g.toModel();
    }

    private void depthwiseNode(OnnxGraph g, ConvSpec dw, String in, String out) {
        int[] before = dw.padBefore();
        int[] after = dw.padAfter();
        int c = layer.c();
        int s = layer.stride();
        g.initializer("dw_w", dwFilter, c, 1, Layer.KERNEL, Layer.KERNEL).initializer("dw_b", dwBias, c)
                .node("Conv", List.of(in, "dw_w", "dw_b"), List.of(out),
                        OnnxGraph.Attribute.of("group", c),
                        OnnxGraph.Attribute.ints("kernel_shape", Layer.KERNEL, Layer.KERNEL),
                        OnnxGraph.Attribute.ints("pads", before[0], before[1], after[0], after[1]),
                        OnnxGraph.Attribute.ints("strides", s, s),
                        OnnxGraph.Attribute.ints("dilations", 1, 1));
    }

    private void pointwiseNode(OnnxGraph g, String in, String out) {
        g.initializer("pw_w", pwFilter, layer.k(), layer.c(), 1, 1).initializer("pw_b", pwBias, layer.k())
                .node("Conv", List.of(in, "pw_w", "pw_b"), List.of(out),
                        OnnxGraph.Attribute.of("group", 1),
                        OnnxGraph.Attribute.ints("kernel_shape", 1, 1),
                        OnnxGraph.Attribute.ints("pads", 0, 0, 0, 0),
                        OnnxGraph.Attribute.ints("strides", 1, 1));
    }

    private static float[] uniform(SplittableRandom r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
