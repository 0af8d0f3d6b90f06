package dev.depthwise.nn.zoo;

import dev.depthwise.nn.Add;
import dev.depthwise.nn.AvgPool;
import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.ChannelShuffle;
import dev.depthwise.nn.Concat;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.DepthwiseConv2D;
import dev.depthwise.nn.GlobalAveragePool;
import dev.depthwise.nn.Layer;
import dev.depthwise.nn.MaxPool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Node;
import dev.depthwise.nn.PointwiseConv;
import dev.depthwise.nn.ReLU;
import dev.depthwise.nn.Softmax;
import dev.depthwise.spec.ShapeException;
import java.util.Locale;

/**
 * ShuffleNet v1 (Zhang et al. 2017, Table 1) for groups 1, 2, 3, 4 and 8 and a scale factor s: a
 * 3x3 stride-2 convolution and a 3x3 stride-2 max pool, three stages of ShuffleNet units (4, 8 and
 * 4), global average pooling and a classifier. A unit is a grouped 1x1 convolution to a bottleneck
 * of a quarter of the unit's output channels, BN, ReLU, channel shuffle, 3x3 depthwise (stride),
 * BN, grouped 1x1 convolution, BN; then ReLU of the sum with the input (stride 1) or of the
 * concatenation with a 3x3 stride-2 average pool of the input (stride 2). The first 1x1 convolution
 * of stage 2 is not grouped (the paper: its input has only 24 channels).
 *
 * <p>Where the paper is silent, this follows the authors' released code
 * (megvii-model/ShuffleNet-Series): the bottleneck is a quarter of the whole unit's output, also in
 * stride-2 units; the classifier has no bias; and the first layer has 24 * 2^floor(log2 s)
 * channels (12 at 0.5x, 24 at 1x and 1.5x, 48 at 2x), rounded up to a multiple of g. Scaled stage
 * widths are rounded to a multiple of 4g, so every group convolution divides evenly.
 *
 * <p>The full twin replaces each 3x3 depthwise convolution with a standard 3x3 convolution.
 */
public final class ShuffleNetV1 {
    private ShuffleNetV1() {
    }

    /** Table 1's output channels of stages 2, 3 and 4 for 1x, by groups. */
    static int[] stageChannels(int groups) {
        return switch (groups) {
            case 1 -> new int[] {144, 288, 576};
            case 2 -> new int[] {200, 400, 800};
            case 3 -> new int[] {240, 480, 960};
            case 4 -> new int[] {272, 544, 1088};
            case 8 -> new int[] {384, 768, 1536};
            default -> throw new ShapeException("shufflenet-v1: groups must be 1, 2, 3, 4 or 8 (the paper's "
                    + "Table 1), got " + groups);
        };
    }

    /**
     * The model for {@code groups}, scale factor {@code scale} (paper: 0.25, 0.5, 1, 1.5, 2), input
     * {@code resolution} (a multiple of 32) and {@code classes} outputs.
     */
    public static Model build(int groups, double scale, int resolution, int classes, boolean full, long seed) {
        String model = full ? "shufflenet-v1-full" : "shufflenet-v1";
        int[] base = stageChannels(groups);
        Check.positive(model, "scale", scale);
        Check.resolution(model, resolution, 5);
        Check.atLeastOne(model, "classes", classes);
        int unit = 4 * groups;
        // 24 * 2^floor(log2 s): 12 at 0.5x, 24 at 1x and 1.5x, 48 at 2x, as in the released models
        double stemExact = 24 * Math.pow(2, Math.floor(Math.log(scale) / Math.log(2)));
        if (stemExact < 1) {
            throw new ShapeException(model + ": scale must be >= 1/16 (the first layer needs a channel), got " + scale);
        }
        int stem = roundUp((int) stemExact, groups);
        ModelBuilder b = ModelBuilder.create(String.format(Locale.ROOT, "shufflenet_v1%s_g%d_%.2fx_%d",
                full ? "_full" : "", groups, scale, resolution));
        Node x = b.input(resolution, resolution, 3);
        x = b.apply(new Conv2D(stem, 3).strides(2).padding("same").useBias(false).name("conv1"), x);
        x = b.apply(new BatchNorm().name("conv1_bn"), x);
        x = b.apply(new ReLU().name("conv1_relu"), x);
        x = b.apply(new MaxPool(3, 3).strides(2).padding("same").name("maxpool1"), x);
        int[] repeats = {4, 8, 4};
        for (int s = 0; s < 3; s++) {
            int out = Math.max(unit, (int) Math.round(base[s] * scale / unit) * unit);
            for (int u = 0; u < repeats[s]; u++) {
                x = unit(b, x, out, groups, u == 0 ? 2 : 1, !(s == 0 && u == 0),
                        "stage" + (s + 2) + "_unit" + (u + 1), full);
            }
        }
        x = b.apply(new GlobalAveragePool().name("global_average_pooling"), x);
        x = b.apply(new Dense(classes).useBias(false).name("predictions"), x);
        return b.build(b.apply(new Softmax().name("softmax"), x), seed);
    }

    /**
     * One ShuffleNet unit to {@code out} channels. With stride 2 the residual branch makes
     * {@code out - in} channels, concatenated after the average-pooled input.
     */
    public static Node unit(ModelBuilder b, Node in, int out, int groups, int stride, boolean groupedFirst,
                            String name, boolean full) {
        int channels = in.shape()[2];
        int mid = out / 4;
        int branch = stride == 2 ? out - channels : out;
        if (branch < 1 || mid % groups != 0 || branch % groups != 0 || (groupedFirst && channels % groups != 0)) {
            throw new ShapeException(name + ": a unit from " + channels + " to " + out + " channels with " + groups
                    + " groups needs the bottleneck (" + mid + "), the branch (" + branch + ") and the input to be "
                    + "positive multiples of the groups");
        }
        Node x = b.apply(new PointwiseConv(mid).groups(groupedFirst ? groups : 1).useBias(false)
                .name(name + "_gconv1"), in);
        x = b.apply(new BatchNorm().name(name + "_bn1"), x);
        x = b.apply(new ReLU().name(name + "_relu1"), x);
        if (groups > 1) {
            x = b.apply(new ChannelShuffle(groups).name(name + "_shuffle"), x);
        }
        Layer spatial = full ? new Conv2D(mid, 3).strides(stride).padding("same").useBias(false).name(name + "_conv")
                : new DepthwiseConv2D(3).strides(stride).padding("same").useBias(false).name(name + "_dwconv");
        x = b.apply(spatial, x);
        x = b.apply(new BatchNorm().name(name + "_bn2"), x);
        x = b.apply(new PointwiseConv(branch).groups(groups).useBias(false).name(name + "_gconv2"), x);
        x = b.apply(new BatchNorm().name(name + "_bn3"), x);
        if (stride == 1) {
            x = b.apply(new Add().name(name + "_add"), in, x);
        } else {
            Node shortcut = b.apply(new AvgPool(3, 3).strides(2).padding("same").name(name + "_avgpool"), in);
            x = b.apply(new Concat().name(name + "_concat"), shortcut, x);
        }
        return b.apply(new ReLU().name(name + "_relu"), x);
    }

    private static int roundUp(int v, int multiple) {
        return Math.max(multiple, (v + multiple - 1) / multiple * multiple);
    }
}
