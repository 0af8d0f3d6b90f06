package dev.depthwise.nn.zoo;

import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.DepthwiseConv2D;
import dev.depthwise.nn.Flatten;
import dev.depthwise.nn.Layer;
import dev.depthwise.nn.LeakyReLU;
import dev.depthwise.nn.MaxPool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Node;
import dev.depthwise.nn.Softmax;

/**
 * EffNet (Freeman et al. 2018) for CIFAR-sized inputs, as the common Keras implementation builds
 * it: three EffNet blocks (32 to 64, 64 to 128, 128 to 256 channels), then flatten and a classifier.
 * A block is a 1x1 convolution, a 1x3 depthwise convolution, a 2x1 max pool (pooling along one
 * axis only), a 3x1 depthwise convolution and a 2x1 convolution with stride 1x2 (the other axis'
 * downsampling); each convolution is followed by LeakyReLU and batch norm, and none has a bias.
 *
 * <p>The full twin replaces the 1x3 and 3x1 depthwise convolutions with standard ones.
 */
public final class EffNet {
    private static final int[][] BLOCKS = {{32, 64}, {64, 128}, {128, 256}};

    private EffNet() {
    }

    /** The model for input {@code resolution} x {@code resolution} x 3 (a multiple of 8; CIFAR: 32). */
    public static Model build(int resolution, int classes, boolean full, long seed) {
        String model = full ? "effnet-full" : "effnet";
        Check.resolution(model, resolution, 3);
        Check.atLeastOne(model, "classes", classes);
        ModelBuilder b = ModelBuilder.create((full ? "effnet_full_" : "effnet_") + resolution);
        Node x = b.input(resolution, resolution, 3);
        for (int i = 0; i < BLOCKS.length; i++) {
            x = block(b, x, BLOCKS[i][0], BLOCKS[i][1], i + 1, full);
        }
        x = b.apply(new Flatten().name("flatten"), x);
        x = b.apply(new Dense(classes).name("predictions"), x);
        return b.build(b.apply(new Softmax().name("softmax"), x), seed);
    }

    /** EffNet block {@code id}: {@code in} bottleneck channels, {@code out} output channels; halves both axes. */
    public static Node block(ModelBuilder b, Node x, int in, int out, int id, boolean full) {
        String p = "block" + id + "_";
        x = post(b, b.apply(new Conv2D(in, 1).padding("same").useBias(false).name(p + "conv1x1"), x), p, 1);
        Layer dw1 = full ? new Conv2D(in, 1, 3).padding("same").useBias(false).name(p + "conv1x3")
                : new DepthwiseConv2D(1, 3).padding("same").useBias(false).name(p + "dw1x3");
        x = post(b, b.apply(dw1, x), p, 2);
        x = b.apply(new MaxPool(2, 1).name(p + "pool2x1"), x);
        Layer dw2 = full ? new Conv2D(in, 3, 1).padding("same").useBias(false).name(p + "conv3x1")
                : new DepthwiseConv2D(3, 1).padding("same").useBias(false).name(p + "dw3x1");
        x = post(b, b.apply(dw2, x), p, 3);
        x = b.apply(new Conv2D(out, 2, 1).strides(1, 2).padding("same").useBias(false).name(p + "conv2x1"), x);
        return post(b, x, p, 4);
    }

    private static Node post(ModelBuilder b, Node x, String p, int k) {
        x = b.apply(new LeakyReLU().name(p + "act" + k), x);
        return b.apply(new BatchNorm().name(p + "bn" + k), x);
    }
}
