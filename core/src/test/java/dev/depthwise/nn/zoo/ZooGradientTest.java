package dev.depthwise.nn.zoo;

import dev.depthwise.nn.Dense;
import dev.depthwise.nn.Flatten;
import dev.depthwise.nn.GlobalAveragePool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.ModelChecks;
import dev.depthwise.nn.Node;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of each architecture on a tiny configuration: a few of its blocks,
 * built by the builders' own block methods, with tiny channels and inputs, and the standard-
 * convolution twin of each. Inference mode: in training mode a step on one element moves the batch
 * statistics of its whole channel, so nearly every step crosses some ReLU kink downstream and a
 * finite difference says little (batch norm's training gradient is checked in a smooth context in
 * {@code LayerGradientTest}). Elements whose step straddles a kink are skipped (see the nn package's
 * model check).
 */
class ZooGradientTest {

    private static Model head(ModelBuilder b, Node x, boolean flatten) {
        x = b.apply(flatten ? new Flatten() : new GlobalAveragePool(), x);
        return b.build(b.apply(new Dense(3), x), 17);
    }

    @Test
    void mobileNetV1Blocks() {
        for (boolean full : new boolean[] {false, true}) {
            ModelBuilder b = ModelBuilder.create("v1");
            Node x = b.input(6, 6, 2);
            x = MobileNetV1.convBlock(b, x, "conv1", 4, 2);
            x = full ? MobileNetV1.convBlock(b, x, "conv_1", 6, 2) : MobileNetV1.separableBlock(b, x, 6, 2, 1);
            x = full ? MobileNetV1.convBlock(b, x, "conv_2", 6, 1) : MobileNetV1.separableBlock(b, x, 6, 1, 2);
            ModelChecks.gradients("mobilenet-v1" + (full ? "-full" : ""), head(b, x, false), false, 21);
        }
    }

    @Test
    void mobileNetV2Blocks() {
        for (boolean full : new boolean[] {false, true}) {
            ModelBuilder b = ModelBuilder.create("v2");
            Node x = b.input(4, 4, 3);
            x = MobileNetV2.invertedResidual(b, x, 3, 1, 1, 0, full);   // no expansion, residual add
            x = MobileNetV2.invertedResidual(b, x, 3, 1, 2, 1, full);   // expansion, residual add
            x = MobileNetV2.invertedResidual(b, x, 4, 2, 2, 2, full);   // stride 2, no residual
            ModelChecks.gradients("mobilenet-v2" + (full ? "-full" : ""), head(b, x, false), false, 22);
        }
    }

    @Test
    void xceptionBlocks() {
        for (boolean full : new boolean[] {false, true}) {
            ModelBuilder b = ModelBuilder.create("xception");
            Node x = b.input(5, 5, 2);
            x = Xception.entryBlock(b, x, 3, 3, 2, false, full);        // 1x1 stride-2 shortcut
            x = Xception.middleBlock(b, x, 3, 5, full);                 // identity shortcut
            ModelChecks.gradients("xception" + (full ? "-full" : ""), head(b, x, false), false, 23);
        }
    }

    @Test
    void shuffleNetUnits() {
        for (boolean full : new boolean[] {false, true}) {
            ModelBuilder b = ModelBuilder.create("shufflenet");
            Node x = b.input(6, 6, 4);
            x = ShuffleNetV1.unit(b, x, 8, 2, 2, false, "stage2_unit1", full);   // concat with the pooled input
            x = ShuffleNetV1.unit(b, x, 8, 2, 1, true, "stage2_unit2", full);    // add, shuffle between groups
            ModelChecks.gradients("shufflenet-v1" + (full ? "-full" : ""), head(b, x, false), false, 24);
        }
    }

    @Test
    void effNetBlock() {
        for (boolean full : new boolean[] {false, true}) {
            ModelBuilder b = ModelBuilder.create("effnet");
            Node x = b.input(6, 6, 3);
            x = EffNet.block(b, x, 3, 4, 1, full);
            ModelChecks.gradients("effnet" + (full ? "-full" : ""), head(b, x, true), false, 25);
        }
    }

    /** The whole small MobileNetV1, as the builder makes it: 12 elements drawn at random (inference mode). */
    @Test
    void wholeMobileNetV1Sampled() {
        Model m = MobileNetV1.build(0.25, 32, 4, false, 3);
        ModelChecks.sampled("mobilenet-v1 0.25 @ 32", m, 12, 26);
    }
}
