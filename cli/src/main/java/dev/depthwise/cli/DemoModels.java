package dev.depthwise.cli;

import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.DepthwiseConv2D;
import dev.depthwise.nn.GlobalAveragePool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Node;
import dev.depthwise.nn.OpCost;
import dev.depthwise.nn.Layer;
import dev.depthwise.nn.ReLU;
import dev.depthwise.spec.ShapeException;

/**
 * The demo's two small CNNs, twins that differ only in their 3x3 convolutions, MobileNet style:
 * <pre>
 *   stem     3x3 conv, 16 channels, stride 2, BN, ReLU            (standard in both, as in MobileNet:
 *                                                                 on 1 input channel a depthwise stage
 *                                                                 would save nothing)
 *   block 1  32 channels, stride 1   standard: 3x3 conv, BN, ReLU
 *   block 2  64 channels, stride 2   separable: 3x3 depthwise, BN, ReLU, 1x1 conv, BN, ReLU
 *   block 3  64 channels, stride 1
 *   global average pooling, dense to the classes (logits)
 * </pre>
 * On 28 x 28 digits the standard model costs about 3.64M mult-adds per image and the separable one
 * 0.50M, 7.3 times fewer (each block saves {@code 1 / (1/N + 1/9)}). Convolutions have no bias (batch
 * norm's beta is the bias). Batch norm uses momentum 0.9 (PyTorch's 0.1) instead of Keras's 0.99:
 * the demo trains for a few hundred steps, too few for 0.99's moving averages to forget their initial
 * values, which would spoil the held-out accuracy.
 */
final class DemoModels {
    /** Output channels of the stem and of each block. */
    static final int STEM = 16;
    static final int[] WIDTHS = {32, 64, 64};
    static final int[] STRIDES = {1, 2, 1};

    /** Model names, as the report and {@code train --model} call them. */
    static final String STANDARD = "standard";
    static final String SEPARABLE = "separable";

    private DemoModels() {}

    /** The standard model for {@code h x w x c} images and {@code classes} classes. */
    static Model standard(int h, int w, int c, int classes, long seed) {
        return build(false, h, w, c, classes, seed);
    }

    /** The depthwise-separable twin. */
    static Model separable(int h, int w, int c, int classes, long seed) {
        return build(true, h, w, c, classes, seed);
    }

    private static Model build(boolean separable, int h, int w, int c, int classes, long seed) {
        if (classes < 1) {
            throw new ShapeException("demo model: classes must be >= 1, got " + classes);
        }
        ModelBuilder b = ModelBuilder.create(separable ? SEPARABLE : STANDARD);
        Node x = b.input(h, w, c);
        x = convBnRelu(b, x, "stem", STEM, 3, 2);
        for (int i = 0; i < WIDTHS.length; i++) {
            String name = "block" + (i + 1);
            if (separable) {
                x = b.apply(new DepthwiseConv2D(3).strides(STRIDES[i]).padding("same").useBias(false).name(name + "_dw"), x);
                x = b.apply(new BatchNorm().momentum(0.9f).name(name + "_dw_bn"), x);
                x = b.apply(new ReLU().name(name + "_dw_relu"), x);
                x = convBnRelu(b, x, name + "_pw", WIDTHS[i], 1, 1);
            } else {
                x = convBnRelu(b, x, name, WIDTHS[i], 3, STRIDES[i]);
            }
        }
        x = b.apply(new GlobalAveragePool().name("pool"), x);
        return b.build(b.apply(new Dense(classes).name("logits"), x), seed);
    }

    private static Node convBnRelu(ModelBuilder b, Node x, String name, int filters, int kernel, int stride) {
        x = b.apply(new Conv2D(filters, kernel).strides(stride).padding("same").useBias(false).name(name), x);
        x = b.apply(new BatchNorm().momentum(0.9f).name(name + "_bn"), x);
        return b.apply(new ReLU().name(name + "_relu"), x);
    }

    /** Mult-adds of one image in the model's convolutions (standard, depthwise and pointwise; not dense). */
    static long convMultAdds(Model m) {
        long s = 0;
        for (Layer l : m.layers()) {
            for (OpCost c : l.costs()) {
                if (c.kind() != OpCost.Kind.DENSE) {
                    s += c.multAdds();
                }
            }
        }
        return s;
    }
}
