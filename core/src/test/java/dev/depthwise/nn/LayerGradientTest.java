package dev.depthwise.nn;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Layout;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every layer's backward pass (input and parameter gradients) against finite differences, each on a
 * one-layer model with a small input; layers with several inputs in a small graph.
 */
class LayerGradientTest {

    private record Case(String what, int[] input, Supplier<Layer> layer, boolean training) {
    }

    private static Case c(String what, int[] input, Supplier<Layer> layer) {
        return new Case(what, input, layer, false);
    }

    static List<Case> cases() {
        return List.of(
                c("Conv1D causal dilated", new int[] {7, 2}, () -> new Conv1D(3, 3).padding("causal").dilationRate(2)),
                c("Conv2D same stride 2", new int[] {5, 4, 3}, () -> new Conv2D(4, 3).strides(2).padding("same")),
                c("Conv2D grouped channels_first", new int[] {4, 4, 3},
                        () -> new Conv2D(4, 2, 3).groups(2).dataFormat("channels_first").activation("sigmoid")),
                c("Conv3D", new int[] {3, 3, 4, 2}, () -> new Conv3D(2, 2).padding("same")),
                c("PointwiseConv grouped", new int[] {3, 3, 4}, () -> new PointwiseConv(6).groups(2)),
                c("DepthwiseConv1D", new int[] {6, 3}, () -> new DepthwiseConv1D(3).depthMultiplier(2)),
                c("DepthwiseConv2D stride 2 relu6", new int[] {5, 5, 3},
                        () -> new DepthwiseConv2D(3).strides(2).padding("same").activation("relu6")),
                c("DepthwiseConv2D 1x3 no bias", new int[] {4, 5, 2}, () -> new DepthwiseConv2D(1, 3).useBias(false)),
                c("DepthwiseConv3D channels_first", new int[] {2, 3, 3, 3},
                        () -> new DepthwiseConv3D(2).depthMultiplier(2).dataFormat(Layout.CHANNELS_FIRST)),
                c("SeparableConv1D", new int[] {6, 2}, () -> new SeparableConv1D(3, 3).padding("same")),
                c("SeparableConv2D multiplier 2", new int[] {5, 4, 2},
                        () -> new SeparableConv2D(3, 3).depthMultiplier(2).strides(2).activation("hard_swish")),
                c("SeparableConv2D channels_first", new int[] {2, 4, 4},
                        () -> new SeparableConv2D(3, 3).dataFormat("channels_first").useBias(false)),
                new Case("BatchNorm training", new int[] {3, 3, 2}, () -> new BatchNorm(), true),
                c("BatchNorm inference", new int[] {3, 3, 2}, () -> new BatchNorm()),
                new Case("BatchNorm channels_first axis 1", new int[] {2, 3, 3}, () -> new BatchNorm().axis(1), true),
                new Case("BatchNorm no center or scale", new int[] {8, 3}, () -> new BatchNorm().center(false)
                        .scale(false), true),
                c("ReLU", new int[] {4, 3}, ReLU::new),
                c("ReLU6", new int[] {4, 3}, ReLU::relu6),
                c("LeakyReLU", new int[] {4, 3}, LeakyReLU::new),
                c("Activation sigmoid", new int[] {4, 3}, () -> new ActivationLayer(Activation.SIGMOID)),
                c("Activation hard_swish", new int[] {4, 3}, () -> new ActivationLayer("hard_swish")),
                c("Softmax", new int[] {2, 5}, Softmax::new),
                c("Softmax axis 1", new int[] {3, 2}, () -> new Softmax().axis(1)),
                c("MaxPool 2x2", new int[] {4, 4, 2}, () -> new MaxPool(2, 2)),
                c("MaxPool 3x3/2 same", new int[] {5, 5, 2}, () -> new MaxPool(3, 3).strides(2).padding("same")),
                c("MaxPool 2x1 (EffNet)", new int[] {4, 3, 2}, () -> new MaxPool(2, 1)),
                c("MaxPool1D", new int[] {6, 2}, () -> new MaxPool(2)),
                c("AvgPool 3x3/2 same", new int[] {5, 4, 2}, () -> new AvgPool(3, 3).strides(2).padding("same")),
                c("AvgPool channels_first", new int[] {2, 4, 4}, () -> new AvgPool(2, 2).dataFormat("channels_first")),
                c("GlobalAveragePool", new int[] {3, 3, 4}, GlobalAveragePool::new),
                c("GlobalAveragePool keepdims channels_first", new int[] {2, 3, 3},
                        () -> new GlobalAveragePool().keepdims(true).dataFormat("channels_first")),
                c("Dense", new int[] {5}, () -> new Dense(3)),
                c("Dense on rank 3, sigmoid", new int[] {2, 3, 4}, () -> new Dense(2).activation("sigmoid")),
                c("Flatten", new int[] {2, 3, 2}, Flatten::new),
                c("ChannelShuffle", new int[] {2, 2, 6}, () -> new ChannelShuffle(3)),
                c("ZeroPad", new int[] {3, 3, 2}, () -> new ZeroPad(new int[] {1, 0}, new int[] {0, 2})),
                c("ZeroPad1D", new int[] {3, 2}, () -> new ZeroPad(1)),
                c("Dropout (inference: identity)", new int[] {4, 2}, () -> new Dropout(0.5)));
    }

    @TestFactory
    Stream<DynamicTest> eachLayer() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.what(), () -> {
            Model m = ModelBuilder.sequential("t", k.input(), 7, k.layer().get());
            m.setTraining(k.training());
            ModelCheck.gradients(k.what(), m, ModelCheck.input(m, 2, k.what().hashCode()), 0, 11);
        }));
    }

    @Test
    void addAndConcatInAGraph() {
        ModelBuilder b = ModelBuilder.create("graph");
        Node x = b.input(3, 3, 2);
        Node a = b.apply(new DepthwiseConv2D(3).padding("same"), x);
        Node sum = b.apply(new Add(), x, a);                     // x reaches the output along two paths
        Node p = b.apply(new PointwiseConv(3), sum);
        Node cat = b.apply(new Concat(), sum, p);
        Model m = b.build(b.apply(new Dense(2), b.apply(new Flatten(), cat)), 3);
        ModelCheck.gradients("add + concat", m, ModelCheck.input(m, 2, 5), 0, 6);
    }

    /** Training-mode batch norm between convolutions, with smooth activations so no step crosses a kink. */
    @Test
    void batchNormTrainingInAConvolutionStack() {
        Model m = ModelBuilder.sequential("bn stack", new int[] {5, 5, 2}, 12,
                new Conv2D(3, 3).padding("same").useBias(false), new BatchNorm(), new ActivationLayer("sigmoid"),
                new DepthwiseConv2D(3).strides(2).padding("same"), new BatchNorm().momentum(0.9f),
                new ActivationLayer("sigmoid"), new GlobalAveragePool(), new Dense(2));
        m.setTraining(true);
        ModelCheck.gradients("batch norm training in a stack", m, ModelCheck.input(m, 3, 13), 0, 14);
    }

    @Test
    void concatAlongChannelsFirstAxis() {
        ModelBuilder b = ModelBuilder.create("cat");
        Node x = b.input(2, 3, 3);
        Node a = b.apply(new Conv2D(3, 1).dataFormat("channels_first"), x);
        Model m = b.build(b.apply(new Concat().axis(1), x, a), 4);
        ModelCheck.gradients("concat axis 1", m, ModelCheck.input(m, 2, 8), 0, 9);
    }
}
