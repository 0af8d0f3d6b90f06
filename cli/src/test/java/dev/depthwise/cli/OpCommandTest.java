package dev.depthwise.cli;

import static dev.depthwise.cli.OpCli.CAUSAL;
import static dev.depthwise.cli.OpCli.FIRST;
import static dev.depthwise.cli.OpCli.LAST;
import static dev.depthwise.cli.OpCli.OIHW;
import static dev.depthwise.cli.OpCli.SAME;
import static dev.depthwise.cli.OpCli.b;
import static dev.depthwise.cli.OpCli.checkOp;
import static dev.depthwise.cli.OpCli.data;
import static dev.depthwise.cli.OpCli.explicit;
import static dev.depthwise.cli.OpCli.pick;
import static dev.depthwise.cli.OpCli.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.cli.OpCli.Case;
import dev.depthwise.cli.op.OpCommand;
import dev.depthwise.io.NdArray;
import dev.depthwise.op.Conv;
import dev.depthwise.op.ConvGradients;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code depthwise op} convolutions ({@code dwconv*}, {@code conv*}, {@code pwconv}, forward and
 * {@code -grad}), run in-process on random {@code .npy} inputs and compared with what the library's Java API
 * gives for the same inputs and the spec that the options spell. Each case states both sides independently:
 * the library spec (builder) and the command-line options. Also checks that the cases here and in
 * {@link OpCommandCompositeTest} exercise every registered subcommand.
 */
class OpCommandTest {
    @TempDir
    Path tmp;

    /** The cases of the convolution commands; {@link OpCommandCompositeTest} has the others. */
    static List<Case> cases() {
        return List.of(
            conv("dwconv1d", "defaults; multiplier 2 read from the WCM filter; bias",
                    b(LAST, 2, 9, 3).kernel(3).depthwise(2), true, "--y"),
            conv("dwconv1d", "--pad causal --dilation 2 --act relu",
                    b(LAST, 1, 10, 2).kernel(3).depthwise(1).dilation(2).padding(CAUSAL).activation(Activation.RELU),
                    false, "--y", "--pad", "causal", "--dilation", "2", "--act", "relu"),
            conv("dwconv1d", "NCW + OIW, --stride 2, --pad before,after",
                    b(FIRST, 2, 3, 11).kernel(4).depthwise(2).stride(2).padding(explicit(2, 1)).filterLayout(OIHW),
                    true, "--y", "--layout", "NCW", "--filter-layout", "OIW", "--stride", "2", "--pad", "2,1"),
            conv("dwconv1d-grad", "causal, leaky_relu --alpha 0.2, multiplier 2; every output",
                    b(LAST, 2, 8, 2).kernel(3).depthwise(2).padding(CAUSAL).activation(Activation.leakyRelu(0.2f)),
                    true, "--dx --dfilter --dbias --y", "--pad", "causal", "--act", "leaky_relu", "--alpha", "0.2"),

            conv("dwconv2d", "defaults: NHWC, HWCM, valid, stride 1",
                    b(LAST, 1, 5, 6, 3).kernel(3, 3).depthwise(1), false, "--y"),
            conv("dwconv2d", "--stride 2,1 --pad same; multiplier 2; bias",
                    b(LAST, 2, 7, 6, 3).kernel(3, 3).depthwise(2).stride(2, 1).padding(SAME),
                    true, "--y", "--stride", "2,1", "--pad", "same"),
            conv("dwconv2d", "NCHW + OIHW, --dilation 2,1, --pad T,B,L,R; multiplier 2",
                    b(FIRST, 2, 3, 8, 7).kernel(3, 2).depthwise(2).dilation(2, 1).padding(explicit(1, 0, 2, 1))
                            .filterLayout(OIHW),
                    true, "--y", "--layout", "NCHW", "--filter-layout", "OIHW", "--dilation", "2,1", "--pad", "1,0,2,1"),
            conv("dwconv2d", "--pad P with --stride 2 --dilation 2",
                    b(LAST, 1, 9, 8, 2).kernel(3, 3).depthwise(1).stride(2).dilation(2).padding(Padding.of(1)),
                    false, "--y", "--pad", "1", "--stride", "2", "--dilation", "2"),
            conv("dwconv2d", "--pad PH,PW",
                    b(LAST, 1, 5, 5, 2).kernel(2, 3).depthwise(1).padding(explicit(2, 2, 1, 1)),
                    false, "--y", "--pad", "2,1"),
            conv("dwconv2d", "--pad 1 --pad-mode reflect; bias",
                    b(LAST, 1, 5, 6, 2).kernel(3, 3).depthwise(1).padding(Padding.of(1)).padMode(PadMode.REFLECT),
                    true, "--y", "--pad", "1", "--pad-mode", "reflect"),
            conv("dwconv2d", "--act relu6; bias",
                    b(LAST, 2, 6, 6, 4).kernel(3, 3).depthwise(1).padding(SAME).activation(Activation.RELU6),
                    true, "--y", "--pad", "same", "--act", "relu6"),
            conv("dwconv2d", "--act leaky_relu --alpha 0.1; bias",
                    b(LAST, 2, 6, 5, 3).kernel(3, 3).depthwise(1).activation(Activation.leakyRelu(0.1f)),
                    true, "--y", "--act", "leaky_relu", "--alpha", "0.1"),
            conv("dwconv2d", "--act leaky_relu with the default alpha 0.3",
                    b(LAST, 1, 5, 5, 2).kernel(2, 2).depthwise(1).activation(Activation.leakyRelu(0.3f)),
                    false, "--y", "--act", "leaky_relu"),
            conv("dwconv2d-grad", "--stride 2 --pad same, multiplier 2, leaky_relu; every output",
                    b(LAST, 2, 7, 6, 3).kernel(3, 3).depthwise(2).stride(2).padding(SAME)
                            .activation(Activation.leakyRelu(0.1f)),
                    true, "--dx --dfilter --dbias --y", "--stride", "2", "--pad", "same", "--act", "leaky_relu",
                    "--alpha", "0.1"),
            conv("dwconv2d-grad", "NCHW + OIHW, --pad-mode reflect; --dx only (so no --y is written)",
                    b(FIRST, 1, 2, 6, 6).kernel(3, 3).depthwise(1).padding(Padding.of(1)).padMode(PadMode.REFLECT)
                            .filterLayout(OIHW),
                    true, "--dx", "--layout", "NCHW", "--filter-layout", "OIHW", "--pad", "1", "--pad-mode", "reflect"),
            conv("dwconv2d-grad", "relu6; --dfilter only",
                    b(LAST, 1, 6, 6, 2).kernel(3, 3).depthwise(2).activation(Activation.RELU6),
                    true, "--dfilter", "--act", "relu6"),
            conv("dwconv2d-grad", "--dbias only",
                    b(LAST, 2, 5, 5, 3).kernel(3, 3).depthwise(1).padding(SAME), true, "--dbias", "--pad", "same"),

            conv("dwconv3d", "NDHWC, --stride 2 --pad 1, multiplier 2, bias, hard_swish",
                    b(LAST, 1, 4, 5, 4, 2).kernel(2, 3, 2).depthwise(2).stride(2).padding(Padding.of(1))
                            .activation(Activation.HARD_SWISH),
                    true, "--y", "--stride", "2", "--pad", "1", "--act", "hard_swish"),
            conv("dwconv3d", "NCDHW + OIDHW, --dilation 2 --pad same",
                    b(FIRST, 2, 2, 5, 5, 4).kernel(2, 2, 2).depthwise(1).dilation(2).padding(SAME).filterLayout(OIHW),
                    false, "--y", "--layout", "NCDHW", "--filter-layout", "OIDHW", "--dilation", "2", "--pad", "same"),
            conv("dwconv3d-grad", "NCDHW + OIDHW, multiplier 2, sigmoid; --dx --dfilter --dbias",
                    b(FIRST, 1, 2, 4, 4, 3).kernel(2, 2, 2).depthwise(2).filterLayout(OIHW)
                            .activation(Activation.SIGMOID),
                    true, "--dx --dfilter --dbias", "--layout", "NCDHW", "--filter-layout", "OIDHW", "--act", "sigmoid"),

            conv("conv1d", "--groups 2 --pad same; bias",
                    b(LAST, 2, 8, 4).kernel(3).conv(6, 2).padding(SAME), true, "--y", "--groups", "2", "--pad", "same"),
            conv("conv1d", "NCW + OIW, groups 1 by default, --stride 2",
                    b(FIRST, 1, 3, 9).kernel(3).conv(5, 1).stride(2).filterLayout(OIHW),
                    false, "--y", "--layout", "NCW", "--filter-layout", "OIW", "--stride", "2"),
            conv("conv1d-grad", "--groups 2, causal, dilation 2; every output",
                    b(LAST, 2, 7, 4).kernel(2).conv(4, 2).dilation(2).padding(CAUSAL),
                    true, "--dx --dfilter --dbias --y", "--groups", "2", "--pad", "causal", "--dilation", "2"),
            conv("conv2d", "full convolution (groups 1), bias, relu",
                    b(LAST, 2, 6, 5, 3).kernel(3, 3).conv(4, 1).activation(Activation.RELU),
                    true, "--y", "--act", "relu"),
            conv("conv2d", "--groups 2, NCHW + OIHW, --stride 2 --pad same_lower",
                    b(FIRST, 1, 4, 7, 6).kernel(3, 3).conv(6, 2).stride(2).padding(Padding.sameLower())
                            .filterLayout(OIHW),
                    true, "--y", "--groups", "2", "--layout", "NCHW", "--filter-layout", "OIHW", "--stride", "2",
                    "--pad", "same_lower"),
            conv("conv2d", "--pad T,B,L,R --pad-mode reflect",
                    b(LAST, 1, 5, 5, 2).kernel(3, 3).conv(2, 1).padding(explicit(1, 2, 0, 1)).padMode(PadMode.REFLECT),
                    false, "--y", "--pad", "1,2,0,1", "--pad-mode", "reflect"),
            conv("conv2d-grad", "--groups 2 --pad same, leaky_relu; every output",
                    b(LAST, 2, 6, 6, 4).kernel(3, 3).conv(4, 2).padding(SAME).activation(Activation.leakyRelu(0.3f)),
                    true, "--dx --dfilter --dbias --y", "--groups", "2", "--pad", "same", "--act", "leaky_relu"),
            conv("conv3d", "--groups 2 --pad 1; bias",
                    b(LAST, 1, 4, 4, 4, 4).kernel(3, 3, 3).conv(2, 2).padding(Padding.of(1)),
                    true, "--y", "--groups", "2", "--pad", "1"),
            conv("conv3d-grad", "NCDHW + OIDHW, --stride 2; --dx --dfilter",
                    b(FIRST, 1, 2, 5, 4, 4).kernel(2, 2, 2).conv(3, 1).stride(2).filterLayout(OIHW),
                    false, "--dx --dfilter", "--layout", "NCDHW", "--filter-layout", "OIDHW", "--stride", "2"),

            conv("pwconv", "2-D NHWC, filter [1, 1, C, O], bias, relu",
                    b(LAST, 2, 4, 5, 3).pointwise(6).activation(Activation.RELU), true, "--y", "--act", "relu"),
            conv("pwconv", "1-D NCW, filter [O, C, 1] (OIW)",
                    b(FIRST, 2, 4, 7).pointwise(3).filterLayout(OIHW), false, "--y", "--layout", "NCW",
                    "--filter-layout", "OIW"),
            conv("pwconv", "3-D NDHWC; bias", b(LAST, 1, 2, 3, 4, 3).pointwise(2), true, "--y"),
            conv("pwconv-grad", "2-D, leaky_relu; every output",
                    b(LAST, 2, 3, 4, 3).pointwise(5).activation(Activation.leakyRelu(0.3f)), true,
                    "--dx --dfilter --dbias --y", "--act", "leaky_relu"));
    }

    @TestFactory
    Stream<DynamicTest> outputsMatchTheLibrary() {
        return cases().stream().map(c -> c.test(tmp));
    }

    /** The operators other tools script against; each is registered as NAME and NAME-grad. */
    static final List<String> OPERATORS = List.of("dwconv1d", "dwconv2d", "dwconv3d", "conv1d", "conv2d", "conv3d",
            "sepconv1d", "sepconv2d", "sepconv3d", "pwconv", "spatial-sepconv2d", "channel-shuffle");

    @Test
    void everySubcommandIsExercised() {
        Set<String> names = new TreeSet<>(OpCommand.create().getSubcommands().keySet());
        Set<String> exercised = Stream.concat(cases().stream(), OpCommandCompositeTest.cases().stream())
                .map(Case::command).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(names, exercised, "subcommands and the commands the cases run");
    }

    @Test
    void everyDocumentedOperatorIsRegisteredWithItsGradient() {
        Set<String> expected = new TreeSet<>();
        OPERATORS.forEach(op -> expected.addAll(List.of(op, op + "-grad")));
        assertEquals(expected, new TreeSet<>(OpCommand.create().getSubcommands().keySet()));
    }

    /** Guards against comparing the CLI with a library that gives nothing useful: a result worked by hand. */
    @Test
    void handWorkedDepthwiseConv1d() {
        Map<String, NdArray> in = new LinkedHashMap<>();
        in.put("--x", new NdArray(new int[] {1, 4, 1}, new float[] {1, 2, 4, 8}));
        in.put("--filter", new NdArray(new int[] {2, 1, 1}, new float[] {1, -1}));
        in.put("--bias", new NdArray(new int[] {1}, new float[] {10}));
        checkOp(tmp, "dwconv1d", in,
                Map.of("--y", new NdArray(new int[] {1, 3, 1}, new float[] {9, 8, 6})));
    }

    @Test
    void handWorkedChannelShuffle() {
        checkOp(tmp, "channel-shuffle", Map.of("--x", new NdArray(new int[] {1, 6}, new float[] {0, 1, 2, 3, 4, 5})),
                Map.of("--y", new NdArray(new int[] {1, 6}, new float[] {0, 3, 1, 4, 2, 5})), "--groups", "2");
    }

    // ---- the cases: library results for random inputs ----

    /** {@code conv*}, {@code dwconv*} and {@code pwconv}, forward or gradient, writing {@code outputs}. */
    private static Case conv(String cmd, String label, ConvSpec.Builder builder, boolean bias, String outputs,
                             String... options) {
        return new Case(cmd, label, dir -> {
            ConvSpec spec = builder.build();
            Random rnd = new Random((cmd + label).hashCode());
            Map<String, NdArray> in = new LinkedHashMap<>();
            in.put("--x", random(rnd, spec.inputShape()));
            in.put("--filter", random(rnd, spec.filterShape()));
            if (bias) {
                in.put("--bias", random(rnd, spec.biasShape()));
            }
            Conv conv = Conv.of(spec);
            float[] x = data(in, "--x");
            float[] f = data(in, "--filter");
            float[] b = data(in, "--bias");
            Map<String, NdArray> all = new LinkedHashMap<>();
            all.put("--y", new NdArray(spec.outputShape(), conv.forward(x, f, b)));
            if (cmd.endsWith("-grad")) {
                in.put("--dy", random(rnd, spec.outputShape()));
                ConvGradients g = conv.backward(x, f, b, data(in, "--dy"));
                all.put("--dx", new NdArray(spec.inputShape(), g.dx()));
                all.put("--dfilter", new NdArray(spec.filterShape(), g.dfilter()));
                if (bias) {
                    all.put("--dbias", new NdArray(spec.biasShape(), g.dbias()));
                }
            }
            checkOp(dir, cmd, in, pick(all, outputs), options);
        });
    }
}
