package dev.depthwise.nn.zoo;

import dev.depthwise.nn.ActivationLayer;
import dev.depthwise.nn.Add;
import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.GlobalAveragePool;
import dev.depthwise.nn.Layer;
import dev.depthwise.nn.MaxPool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Node;
import dev.depthwise.nn.SeparableConv2D;
import dev.depthwise.nn.Softmax;
import dev.depthwise.spec.Activation;

/**
 * Xception (Chollet 2017, Figure 5) as Keras's {@code applications.Xception} builds it: the entry
 * flow (two 3x3 convolutions, then three blocks of two separable convolutions and a 3x3 stride-2
 * max pool, each with a strided 1x1 convolution shortcut), the middle flow (eight blocks of three
 * 728-channel separable convolutions with identity shortcuts), the exit flow, global average
 * pooling and the classifier. Every convolution is followed by batch norm and none has a bias.
 * Layer names are Keras's ({@code block4_sepconv2_bn}...); Keras leaves the shortcut layers unnamed,
 * so they get automatic names here too.
 *
 * <p>The full twin replaces every separable convolution with a standard 3x3 convolution.
 */
public final class Xception {
    private Xception() {
    }

    /**
     * The model for input {@code resolution} x {@code resolution} x 3 (the paper: 299) and
     * {@code classes} outputs. Keras refuses inputs below 71; the architecture itself needs 32
     * (its last feature map is then 1x1), which lets tests run it small.
     */
    public static Model build(int resolution, int classes, boolean full, long seed) {
        String model = full ? "xception-full" : "xception";
        if (resolution < 32) {
            throw new dev.depthwise.spec.ShapeException(model + ": resolution must be >= 32 (two valid 3x3 "
                    + "convolutions and four stride-2 stages must leave a feature map), got " + resolution);
        }
        Check.atLeastOne(model, "classes", classes);
        ModelBuilder b = ModelBuilder.create(full ? "xception_full" : "xception");
        Node x = b.input(resolution, resolution, 3);
        x = b.apply(new Conv2D(32, 3).strides(2).useBias(false).name("block1_conv1"), x);
        x = b.apply(new BatchNorm().name("block1_conv1_bn"), x);
        x = b.apply(relu("block1_conv1_act"), x);
        x = b.apply(new Conv2D(64, 3).useBias(false).name("block1_conv2"), x);
        x = b.apply(new BatchNorm().name("block1_conv2_bn"), x);
        x = b.apply(relu("block1_conv2_act"), x);
        x = entryBlock(b, x, 128, 128, 2, false, full);
        x = entryBlock(b, x, 256, 256, 3, true, full);
        x = entryBlock(b, x, 728, 728, 4, true, full);
        for (int i = 0; i < 8; i++) {
            x = middleBlock(b, x, 728, 5 + i, full);
        }
        x = entryBlock(b, x, 728, 1024, 13, true, full);
        x = separable(b, x, 1536, "block14_sepconv1", full);
        x = b.apply(new BatchNorm().name("block14_sepconv1_bn"), x);
        x = b.apply(relu("block14_sepconv1_act"), x);
        x = separable(b, x, 2048, "block14_sepconv2", full);
        x = b.apply(new BatchNorm().name("block14_sepconv2_bn"), x);
        x = b.apply(relu("block14_sepconv2_act"), x);
        x = b.apply(new GlobalAveragePool().name("avg_pool"), x);
        x = b.apply(new Dense(classes).name("predictions"), x);
        return b.build(b.apply(new Softmax().name("softmax"), x), seed);
    }

    /**
     * An entry-flow (or the exit flow's first) block {@code id}: [ReLU,] separable to {@code first}
     * channels, BN, ReLU, separable to {@code second}, BN, 3x3 stride-2 max pool, plus the
     * shortcut (1x1 stride-2 convolution to {@code second}, BN).
     */
    public static Node entryBlock(ModelBuilder b, Node in, int first, int second, int id, boolean reluFirst,
                                  boolean full) {
        Node residual = b.apply(new Conv2D(second, 1).strides(2).padding("same").useBias(false), in);
        residual = b.apply(new BatchNorm(), residual);
        String p = "block" + id + "_";
        Node x = in;
        if (reluFirst) {
            x = b.apply(relu(p + "sepconv1_act"), x);
        }
        x = separable(b, x, first, p + "sepconv1", full);
        x = b.apply(new BatchNorm().name(p + "sepconv1_bn"), x);
        x = b.apply(relu(p + "sepconv2_act"), x);
        x = separable(b, x, second, p + "sepconv2", full);
        x = b.apply(new BatchNorm().name(p + "sepconv2_bn"), x);
        x = b.apply(new MaxPool(3, 3).strides(2).padding("same").name(p + "pool"), x);
        return b.apply(new Add(), x, residual);
    }

    /** A middle-flow block {@code id}: three times (ReLU, separable to {@code channels}, BN), identity shortcut. */
    public static Node middleBlock(ModelBuilder b, Node in, int channels, int id, boolean full) {
        Node x = in;
        String p = "block" + id + "_";
        for (int k = 1; k <= 3; k++) {
            x = b.apply(relu(p + "sepconv" + k + "_act"), x);
            x = separable(b, x, channels, p + "sepconv" + k, full);
            x = b.apply(new BatchNorm().name(p + "sepconv" + k + "_bn"), x);
        }
        return b.apply(new Add(), x, in);
    }

    private static Node separable(ModelBuilder b, Node x, int filters, String name, boolean full) {
        Layer l = full ? new Conv2D(filters, 3).padding("same").useBias(false).name(name)
                : new SeparableConv2D(filters, 3).padding("same").useBias(false).name(name);
        return b.apply(l, x);
    }

    private static Layer relu(String name) {
        return new ActivationLayer(Activation.RELU).name(name);
    }
}
