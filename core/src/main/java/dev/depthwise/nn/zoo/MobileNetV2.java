package dev.depthwise.nn.zoo;

import dev.depthwise.nn.Add;
import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.DepthwiseConv2D;
import dev.depthwise.nn.GlobalAveragePool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Node;
import dev.depthwise.nn.ReLU;
import dev.depthwise.nn.Softmax;
import java.util.Locale;

/**
 * MobileNetV2 (Sandler et al. 2018, Table 2) with width multiplier alpha, as Keras's
 * {@code applications.MobileNetV2} builds it: inverted residual blocks with linear bottlenecks
 * (1x1 expansion by t, BN, ReLU6; 3x3 depthwise, BN, ReLU6; 1x1 linear projection, BN; a residual
 * add when stride is 1 and the channels match). Channel counts are rounded to multiples of 8
 * (Keras's {@code _make_divisible}); the last 1x1 convolution keeps 1280 channels for alpha <= 1.
 * Layer names are Keras's ({@code block_3_expand}, {@code block_3_depthwise_BN}...).
 *
 * <p>The full twin replaces each 3x3 depthwise convolution with a standard 3x3 convolution of the
 * same (expanded) channels.
 */
public final class MobileNetV2 {
    /** Table 2: expansion t, output channels c, repeats n, first stride s. */
    private static final int[][] STAGES = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    private MobileNetV2() {
    }

    /** Keras's {@code _make_divisible}: the nearest multiple of {@code divisor}, never 10% below {@code v}. */
    public static int makeDivisible(double v, int divisor) {
        int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return n < 0.9 * v ? n + divisor : n;
    }

    /**
     * The model for width multiplier {@code alpha} (Keras: 0.35, 0.5, 0.75, 1, 1.3, 1.4), input
     * {@code resolution} (a multiple of 32) and {@code classes} outputs; {@code full} builds the
     * standard-convolution twin.
     */
    public static Model build(double alpha, int resolution, int classes, boolean full, long seed) {
        String model = full ? "mobilenet-v2-full" : "mobilenet-v2";
        Check.positive(model, "alpha", alpha);
        Check.resolution(model, resolution, 5);
        Check.atLeastOne(model, "classes", classes);
        ModelBuilder b = ModelBuilder.create(String.format(Locale.ROOT, "mobilenetv2%s_%.2f_%d", full ? "_full" : "",
                alpha, resolution));
        Node x = b.input(resolution, resolution, 3);
        x = b.apply(new Conv2D(makeDivisible(32 * alpha, 8), 3).strides(2).padding("same").useBias(false)
                .name("Conv1"), x);
        x = b.apply(bn("bn_Conv1"), x);
        x = b.apply(ReLU.relu6().name("Conv1_relu"), x);
        int id = 0;
        for (int[] s : STAGES) {
            for (int r = 0; r < s[2]; r++) {
                x = invertedResidual(b, x, makeDivisible((int) (s[1] * alpha), 8), r == 0 ? s[3] : 1, s[0], id++,
                        full);
            }
        }
        int last = alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280;
        x = b.apply(new Conv2D(last, 1).useBias(false).name("Conv_1"), x);
        x = b.apply(bn("Conv_1_bn"), x);
        x = b.apply(ReLU.relu6().name("out_relu"), x);
        x = b.apply(new GlobalAveragePool().name("global_average_pooling"), x);
        x = b.apply(new Dense(classes).name("predictions"), x);
        return b.build(b.apply(new Softmax().name("softmax"), x), seed);
    }

    /**
     * Block {@code id}: expansion by {@code t} (skipped in block 0, as in Keras), 3x3 depthwise with
     * {@code stride} (or a full 3x3 convolution when {@code full}), linear projection to
     * {@code filters}, and the residual add when the shapes allow.
     */
    public static Node invertedResidual(ModelBuilder b, Node in, int filters, int stride, int t, int id,
                                        boolean full) {
        int channels = in.shape()[2];
        String p = id == 0 ? "expanded_conv_" : "block_" + id + "_";
        Node x = in;
        if (id != 0) {
            x = b.apply(new Conv2D(t * channels, 1).padding("same").useBias(false).name(p + "expand"), x);
            x = b.apply(bn(p + "expand_BN"), x);
            x = b.apply(ReLU.relu6().name(p + "expand_relu"), x);
        }
        int expanded = x.shape()[2];
        x = b.apply(full ? new Conv2D(expanded, 3).strides(stride).padding("same").useBias(false).name(p + "conv")
                : new DepthwiseConv2D(3).strides(stride).padding("same").useBias(false).name(p + "depthwise"), x);
        x = b.apply(bn(p + "depthwise_BN"), x);
        x = b.apply(ReLU.relu6().name(p + "depthwise_relu"), x);
        x = b.apply(new Conv2D(filters, 1).padding("same").useBias(false).name(p + "project"), x);
        x = b.apply(bn(p + "project_BN"), x);
        if (channels == filters && stride == 1) {
            x = b.apply(new Add().name(p + "add"), in, x);
        }
        return x;
    }

    /** Keras's MobileNetV2 batch norm: epsilon 1e-3, momentum 0.999. */
    private static BatchNorm bn(String name) {
        return (BatchNorm) new BatchNorm().epsilon(1e-3f).momentum(0.999f).name(name);
    }
}
