package dev.depthwise.cli;

import static dev.depthwise.cli.OpCli.CAUSAL;
import static dev.depthwise.cli.OpCli.FIRST;
import static dev.depthwise.cli.OpCli.LAST;
import static dev.depthwise.cli.OpCli.OIHW;
import static dev.depthwise.cli.OpCli.SAME;
import static dev.depthwise.cli.OpCli.b;
import static dev.depthwise.cli.OpCli.checkOp;
import static dev.depthwise.cli.OpCli.data;
import static dev.depthwise.cli.OpCli.pick;
import static dev.depthwise.cli.OpCli.random;

import dev.depthwise.cli.OpCli.Case;
import dev.depthwise.io.NdArray;
import dev.depthwise.op.ChannelShuffle;
import dev.depthwise.op.SeparableConv;
import dev.depthwise.op.SeparableGradients;
import dev.depthwise.op.SeparableWeights;
import dev.depthwise.op.SpatialSeparableConv;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SeparableSpec.Middle;
import dev.depthwise.spec.SpatialSeparableSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composite operators, {@code sepconv*}, {@code spatial-sepconv2d} and {@code channel-shuffle}, forward
 * and gradient, against the library's Java API, as {@link OpCommandTest} does for the convolutions.
 */
class OpCommandCompositeTest {
    private static final String SEP_ALL = "--dx --ddepthwise-filter --ddepthwise-bias --dmiddle-scale --dmiddle-shift "
            + "--dpointwise-filter --dbias --y";

    @TempDir
    Path tmp;

    static List<Case> cases() {
        return List.of(
            sepconv("sepconv1d", "no middle; bias",
                    b(LAST, 2, 9, 3).kernel(3).depthwise(1), Middle.NONE, 4, Activation.NONE, false, true, "--y"),
            sepconv("sepconv1d-grad", "middle (scale, shift, relu), causal, multiplier 2; every output",
                    b(LAST, 1, 8, 2).kernel(3).depthwise(2).padding(CAUSAL), Middle.batchNorm(Activation.RELU), 3,
                    Activation.NONE, true, true, SEP_ALL, "--pad", "causal", "--middle-act", "relu"),
            sepconv("sepconv2d", "Keras form: no middle; bias, relu",
                    b(LAST, 2, 6, 6, 3).kernel(3, 3).depthwise(1).padding(SAME), Middle.NONE, 5, Activation.RELU,
                    false, true, "--y", "--pad", "same", "--act", "relu"),
            sepconv("sepconv2d", "MobileNet form: middle scale/shift + relu6; depthwise bias; multiplier 2; stride 2",
                    b(LAST, 1, 7, 7, 3).kernel(3, 3).depthwise(2).stride(2).padding(SAME),
                    Middle.batchNorm(Activation.RELU6), 4, Activation.NONE, true, false,
                    "--y", "--stride", "2", "--pad", "same", "--middle-act", "relu6"),
            sepconv("sepconv2d", "NCHW + OIHW; middle activation only (leaky_relu --alpha 0.1)",
                    b(FIRST, 2, 3, 6, 5).kernel(3, 2).depthwise(1).padding(Padding.of(1)).filterLayout(OIHW),
                    new Middle(false, Activation.leakyRelu(0.1f)), 4, Activation.leakyRelu(0.1f), false, true,
                    "--y", "--layout", "NCHW", "--filter-layout", "OIHW", "--pad", "1", "--middle-act", "leaky_relu",
                    "--act", "leaky_relu", "--alpha", "0.1"),
            sepconv("sepconv2d-grad", "middle + relu, relu6 after; every gradient option",
                    b(LAST, 2, 6, 5, 3).kernel(3, 3).depthwise(2).padding(SAME), Middle.batchNorm(Activation.RELU), 4,
                    Activation.RELU6, true, true, SEP_ALL, "--pad", "same", "--middle-act", "relu", "--act", "relu6"),
            sepconv("sepconv2d-grad", "NCHW + OIHW, no middle; --dpointwise-filter only",
                    b(FIRST, 1, 2, 5, 5).kernel(3, 3).depthwise(1).filterLayout(OIHW), Middle.NONE, 3,
                    Activation.NONE, false, false, "--dpointwise-filter", "--layout", "NCHW", "--filter-layout", "OIHW"),
            sepconv("sepconv2d-grad", "--pad-mode reflect; --ddepthwise-filter and --dbias",
                    b(LAST, 1, 5, 5, 2).kernel(3, 3).depthwise(1).padding(Padding.of(1)).padMode(PadMode.REFLECT),
                    Middle.NONE, 3, Activation.NONE, false, true, "--ddepthwise-filter --dbias",
                    "--pad", "1", "--pad-mode", "reflect"),
            sepconv("sepconv3d", "NDHWC; middle + relu; multiplier 2; both biases",
                    b(LAST, 1, 4, 4, 4, 2).kernel(2, 2, 2).depthwise(2).padding(SAME), Middle.batchNorm(Activation.RELU),
                    3, Activation.NONE, true, true, "--y", "--pad", "same", "--middle-act", "relu"),
            sepconv("sepconv3d-grad", "NCDHW + OIDHW, no middle",
                    b(FIRST, 1, 2, 4, 4, 3).kernel(2, 2, 2).depthwise(1).filterLayout(OIHW), Middle.NONE, 3,
                    Activation.NONE, false, true, "--dx --ddepthwise-filter --dpointwise-filter --dbias",
                    "--layout", "NCDHW", "--filter-layout", "OIDHW"),

            spatial("spatial-sepconv2d", "--stride 2,1 --pad same, multiplier 2, bias, relu",
                    b(LAST, 2, 7, 6, 3).kernel(3, 2).depthwise(2).stride(2, 1).padding(SAME)
                            .activation(Activation.RELU),
                    true, "--y", "--stride", "2,1", "--pad", "same", "--act", "relu"),
            spatial("spatial-sepconv2d", "NCHW + OIHW, --pad 1 --pad-mode reflect --dilation 2",
                    b(FIRST, 1, 2, 6, 6).kernel(3, 3).depthwise(1).dilation(2).padding(Padding.of(1))
                            .padMode(PadMode.REFLECT).filterLayout(OIHW),
                    false, "--y", "--layout", "NCHW", "--filter-layout", "OIHW", "--pad", "1", "--pad-mode", "reflect",
                    "--dilation", "2"),
            spatial("spatial-sepconv2d-grad", "--pad same, multiplier 2, leaky_relu; every output",
                    b(LAST, 2, 6, 5, 2).kernel(3, 3).depthwise(2).padding(SAME).activation(Activation.leakyRelu(0.1f)),
                    true, "--dx --dvertical-filter --dhorizontal-filter --dbias --y", "--pad", "same",
                    "--act", "leaky_relu", "--alpha", "0.1"),

            shuffle("channel-shuffle", "NHWC, --groups 3", LAST, 3, new int[] {2, 3, 4, 6}, "--groups", "3"),
            shuffle("channel-shuffle", "NCHW, --groups 2", FIRST, 2, new int[] {2, 6, 3, 4}, "--groups", "2",
                    "--layout", "NCHW"),
            shuffle("channel-shuffle", "[N, C] with --groups 4", LAST, 4, new int[] {3, 8}, "--groups", "4"),
            shuffle("channel-shuffle-grad", "NHWC, --groups 2", LAST, 2, new int[] {2, 3, 3, 4}, "--groups", "2"),
            shuffle("channel-shuffle-grad", "NCDHW, --groups 3", FIRST, 3, new int[] {1, 6, 2, 2, 3},
                    "--groups", "3", "--layout", "NCDHW"));
    }

    @TestFactory
    Stream<DynamicTest> outputsMatchTheLibrary() {
        return cases().stream().map(c -> c.test(tmp));
    }

    /** {@code sepconv*}: the middle's scale and shift are passed when {@code middle} has an affine map. */
    private static Case sepconv(String cmd, String label, ConvSpec.Builder depthwise, Middle middle,
                                int outChannels, Activation act, boolean depthwiseBias, boolean bias, String outputs, String... options) {
        return new Case(cmd, label, dir -> {
            SeparableSpec spec = SeparableSpec.of(depthwise.build(), middle, outChannels, act);
            ConvSpec dw = spec.depthwise();
            ConvSpec pw = spec.pointwise();
            Random rnd = new Random((cmd + label).hashCode());
            Map<String, NdArray> in = new LinkedHashMap<>();
            in.put("--x", random(rnd, dw.inputShape()));
            in.put("--depthwise-filter", random(rnd, dw.filterShape()));
            if (depthwiseBias) {
                in.put("--depthwise-bias", random(rnd, dw.biasShape()));
            }
            if (middle.affine()) {
                in.put("--middle-scale", random(rnd, dw.biasShape()));
                in.put("--middle-shift", random(rnd, dw.biasShape()));
            }
            in.put("--pointwise-filter", random(rnd, pw.filterShape()));
            if (bias) {
                in.put("--bias", random(rnd, pw.biasShape()));
            }
            SeparableWeights w = new SeparableWeights(data(in, "--depthwise-filter"), data(in, "--depthwise-bias"),
                    data(in, "--middle-scale"), data(in, "--middle-shift"), data(in, "--pointwise-filter"),
                    data(in, "--bias"));
            SeparableConv op = SeparableConv.of(spec);
            float[] x = data(in, "--x");
            Map<String, NdArray> all = new LinkedHashMap<>();
            all.put("--y", new NdArray(pw.outputShape(), op.forward(x, w)));
            if (cmd.endsWith("-grad")) {
                in.put("--dy", random(rnd, pw.outputShape()));
                SeparableGradients g = op.backward(x, w, data(in, "--dy"));
                all.put("--dx", new NdArray(dw.inputShape(), g.dx()));
                all.put("--ddepthwise-filter", new NdArray(dw.filterShape(), g.depthwiseFilter()));
                all.put("--dpointwise-filter", new NdArray(pw.filterShape(), g.pointwiseFilter()));
                if (depthwiseBias) {
                    all.put("--ddepthwise-bias", new NdArray(dw.biasShape(), g.depthwiseBias()));
                }
                if (middle.affine()) {
                    all.put("--dmiddle-scale", new NdArray(dw.biasShape(), g.scale()));
                    all.put("--dmiddle-shift", new NdArray(dw.biasShape(), g.shift()));
                }
                if (bias) {
                    all.put("--dbias", new NdArray(pw.biasShape(), g.pointwiseBias()));
                }
            }
            checkOp(dir, cmd, in, pick(all, outputs), options);
        });
    }

    /** {@code spatial-sepconv2d}: {@code full} is the kh x kw depthwise convolution it factors. */
    private static Case spatial(String cmd, String label, ConvSpec.Builder full, boolean bias, String outputs,
                                String... options) {
        return new Case(cmd, label, dir -> {
            SpatialSeparableSpec spec = SpatialSeparableSpec.of(full.build());
            ConvSpec v = spec.vertical();
            ConvSpec h = spec.horizontal();
            Random rnd = new Random((cmd + label).hashCode());
            Map<String, NdArray> in = new LinkedHashMap<>();
            in.put("--x", random(rnd, v.inputShape()));
            in.put("--vertical-filter", random(rnd, v.filterShape()));
            in.put("--horizontal-filter", random(rnd, h.filterShape()));
            if (bias) {
                in.put("--bias", random(rnd, h.biasShape()));
            }
            SpatialSeparableConv op = SpatialSeparableConv.of(spec);
            float[] x = data(in, "--x");
            float[] vf = data(in, "--vertical-filter");
            float[] hf = data(in, "--horizontal-filter");
            float[] b = data(in, "--bias");
            Map<String, NdArray> all = new LinkedHashMap<>();
            all.put("--y", new NdArray(spec.full().outputShape(), op.forward(x, vf, hf, b)));
            if (cmd.endsWith("-grad")) {
                in.put("--dy", random(rnd, spec.full().outputShape()));
                SpatialSeparableConv.Gradients g = op.backward(x, vf, hf, b, data(in, "--dy"));
                all.put("--dx", new NdArray(v.inputShape(), g.dx()));
                all.put("--dvertical-filter", new NdArray(v.filterShape(), g.verticalFilter()));
                all.put("--dhorizontal-filter", new NdArray(h.filterShape(), g.horizontalFilter()));
                if (bias) {
                    all.put("--dbias", new NdArray(h.biasShape(), g.bias()));
                }
            }
            checkOp(dir, cmd, in, pick(all, outputs), options);
        });
    }

    /** {@code channel-shuffle} (--x to --y) or {@code channel-shuffle-grad} (--dy to --dx). */
    private static Case shuffle(String cmd, String label, Layout layout, int groups, int[] shape, String... options) {
        return new Case(cmd, label, dir -> {
            ChannelShuffle op = ChannelShuffle.of(ChannelShuffleSpec.of(layout, shape, groups));
            NdArray a = random(new Random((cmd + label).hashCode()), shape);
            boolean grad = cmd.endsWith("-grad");
            NdArray expected = new NdArray(shape, grad ? op.backward(a.data()) : op.forward(a.data()));
            checkOp(dir, cmd, Map.of(grad ? "--dy" : "--x", a), Map.of(grad ? "--dx" : "--y", expected),
                    options);
        });
    }
}
