package dev.depthwise.nn.zoo;

import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.DepthwiseConv2D;
import dev.depthwise.nn.Dropout;
import dev.depthwise.nn.GlobalAveragePool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Node;
import dev.depthwise.nn.ReLU;
import dev.depthwise.nn.Softmax;
import java.util.Locale;

/**
 * MobileNetV1 (Howard et al. 2017, Table 1) with width multiplier alpha and resolution multiplier
 * (the input size), as Keras's {@code applications.MobileNet} builds it: a 3x3 stride-2
 * convolution, 13 depthwise-separable blocks (3x3 depthwise, BN, ReLU6, 1x1 convolution, BN,
 * ReLU6), global average pooling, dropout 1e-3 and a classifier. Layer names are Keras's
 * ({@code conv1}, {@code conv_dw_1}, {@code conv_pw_1_bn}...).
 *
 * <p>Differences from Keras that change no count: stride-2 layers use {@code same} padding where
 * Keras pads {@code ((0, 1), (0, 1))} then uses {@code valid} (the same cells, so the same output);
 * the classifier is a {@link Dense} layer where Keras uses a 1x1 convolution on a 1x1 map (the same
 * parameters and mult-adds, and the paper's "FC" row of Table 2); the last block has stride 1 (the
 * paper's Table 1 prints "s2" at 7x7, a misprint its output size contradicts).
 *
 * <p>The "full convolution" twin (the paper's Table 4 baseline) replaces every depthwise-separable
 * block with one standard 3x3 convolution of the block's output channels.
 */
public final class MobileNetV1 {
    /** Pointwise output channels and depthwise stride of blocks 1..13 (Table 1). */
    private static final int[][] BLOCKS = {
        {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};

    private MobileNetV1() {
    }

    /**
     * The model for width multiplier {@code alpha} (paper: 1, 0.75, 0.5, 0.25), input
     * {@code resolution} x {@code resolution} x 3 (paper: 224, 192, 160, 128; any multiple of 32) and
     * {@code classes} outputs; {@code full} builds the standard-convolution twin.
     */
    public static Model build(double alpha, int resolution, int classes, boolean full, long seed) {
        String model = full ? "mobilenet-v1-full" : "mobilenet-v1";
        Check.positive(model, "alpha", alpha);
        Check.resolution(model, resolution, 5);
        Check.atLeastOne(model, "classes", classes);
        Check.scaled(model, "alpha", alpha, 32);
        ModelBuilder b = ModelBuilder.create(String.format(Locale.ROOT, "mobilenet%s_%.2f_%d", full ? "_full" : "",
                alpha, resolution));
        Node x = b.input(resolution, resolution, 3);
        x = convBlock(b, x, "conv1", (int) (32 * alpha), 2);
        for (int i = 0; i < BLOCKS.length; i++) {
            int filters = Check.scaled(model, "alpha", alpha, BLOCKS[i][0]);
            x = full ? convBlock(b, x, "conv_" + (i + 1), filters, BLOCKS[i][1])
                    : separableBlock(b, x, filters, BLOCKS[i][1], i + 1);
        }
        return classifier(b, x, classes, seed);
    }

    /** A 3x3 convolution (no bias), BN and ReLU6: the first layer, and a block of the full twin. */
    public static Node convBlock(ModelBuilder b, Node x, String name, int filters, int stride) {
        x = b.apply(new Conv2D(filters, 3).strides(stride).padding("same").useBias(false).name(name), x);
        x = b.apply(new BatchNorm().name(name + "_bn"), x);
        return b.apply(ReLU.relu6().name(name + "_relu"), x);
    }

    /** Block {@code id}: 3x3 depthwise (stride), BN, ReLU6, 1x1 convolution to {@code filters}, BN, ReLU6. */
    public static Node separableBlock(ModelBuilder b, Node x, int filters, int stride, int id) {
        String dw = "conv_dw_" + id;
        String pw = "conv_pw_" + id;
        x = b.apply(new DepthwiseConv2D(3).strides(stride).padding("same").useBias(false).name(dw), x);
        x = b.apply(new BatchNorm().name(dw + "_bn"), x);
        x = b.apply(ReLU.relu6().name(dw + "_relu"), x);
        x = b.apply(new Conv2D(filters, 1).padding("same").useBias(false).name(pw), x);
        x = b.apply(new BatchNorm().name(pw + "_bn"), x);
        return b.apply(ReLU.relu6().name(pw + "_relu"), x);
    }

    private static Model classifier(ModelBuilder b, Node x, int classes, long seed) {
        x = b.apply(new GlobalAveragePool().name("global_average_pooling"), x);
        x = b.apply(new Dropout(1e-3).name("dropout"), x);
        x = b.apply(new Dense(classes).name("predictions"), x);
        return b.build(b.apply(new Softmax().name("softmax"), x), seed);
    }
}
