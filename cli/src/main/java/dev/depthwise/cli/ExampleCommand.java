package dev.depthwise.cli;

import dev.depthwise.op.Conv;
import dev.depthwise.op.SeparableConv;
import dev.depthwise.op.SeparableWeights;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code depthwise example}: a small worked example of what the library computes, with numbers a
 * reader can check by hand, and the cost argument for depthwise-separable convolution.
 */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "A worked example: a 3x3 depthwise convolution on a 5x5 image with two channels "
                + "(a box blur and a Sobel edge filter), then the cost of a standard vs a depthwise-separable layer.")
final class ExampleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        // x: a 5x5 image, channel 0 a ramp, channel 1 a vertical step edge (NHWC)
        int h = 5, w = 5, c = 2;
        float[] x = new float[h * w * c];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                x[(i * w + j) * c] = i * w + j;
                x[(i * w + j) * c + 1] = j >= 2 ? 1 : 0;
            }
        }
        // filter [3, 3, C, 1]: channel 0 box blur (1/9 each), channel 1 Sobel-x
        float[] sobel = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
        float[] f = new float[9 * c];
        for (int t = 0; t < 9; t++) {
            f[t * c] = 1f / 9;
            f[t * c + 1] = sobel[t];
        }
        ConvSpec dw = ConvSpec.builder(Layout.CHANNELS_LAST, 1, h, w, c).kernel(3, 3).depthwise(1)
                .padding(Padding.same()).build();
        float[] y = Conv.of(dw).forward(x, f, null);
        out.println("Depthwise convolution: each channel is filtered on its own.");
        out.println("  spec: " + dw);
        out.println();
        printChannels(out, "x", x, h, w, c, new String[] {"ramp", "step edge"});
        printChannels(out, "y", y, h, w, c, new String[] {"3x3 box blur (zero padding)", "Sobel-x: the step, and the zero border at the right"});

        ConvSpec layerDw = ConvSpec.builder(Layout.CHANNELS_LAST, 1, 112, 112, 32).kernel(3, 3).depthwise(1)
                .padding(Padding.same()).build();
        SeparableSpec sep = SeparableSpec.of(layerDw, SeparableSpec.Middle.batchNorm(Activation.RELU), 64,
                Activation.RELU);
        ConvSpec standard = ConvSpec.builder(Layout.CHANNELS_LAST, 1, 112, 112, 32).kernel(3, 3).conv(64, 1)
                .padding(Padding.same()).build();
        long sepParams = (long) sep.depthwise().filterLength() + sep.pointwise().filterLength();
        long sepMacs = sep.depthwise().multAdds() + sep.pointwise().multAdds();
        out.println("Cost of one MobileNet layer, 112x112x32 -> 64 channels, 3x3 (no bias):");
        out.printf(Locale.ROOT, "  %-22s %,10d params %,14d mult-adds  (%s)%n", "standard convolution",
                standard.filterLength(), standard.multAdds(), standard);
        out.printf(Locale.ROOT, "  %-22s %,10d params %,14d mult-adds  (%s)%n", "depthwise separable", sepParams,
                sepMacs, sep);
        out.printf(Locale.ROOT, "  ratio %.3f = 1/N + 1/Dk^2 = 1/64 + 1/9 = %.3f: %.1fx fewer mult-adds%n",
                (double) sepMacs / standard.multAdds(), 1.0 / 64 + 1.0 / 9, (double) standard.multAdds() / sepMacs);
        // run the separable layer once, so the example also exercises it
        float[] in = new float[layerDw.inputLength()];
        float[] ones = new float[32];
        java.util.Arrays.fill(ones, 1f);
        float[] yy = SeparableConv.of(sep).forward(in, new SeparableWeights(new float[sep.depthwise().filterLength()],
                null, ones, new float[32], new float[sep.pointwise().filterLength()], null));
        out.printf(Locale.ROOT, "  (ran it once: output %s, %,d values)%n",
                dev.depthwise.spec.Checks.shape(sep.pointwise().outputShape()), yy.length);
        out.flush();
    }

    private static void printChannels(PrintWriter out, String name, float[] t, int h, int w, int c, String[] titles) {
        for (int ch = 0; ch < c; ch++) {
            out.printf(Locale.ROOT, "  %s channel %d (%s):%n", name, ch, titles[ch]);
            for (int i = 0; i < h; i++) {
                StringBuilder row = new StringBuilder("   ");
                for (int j = 0; j < w; j++) {
                    row.append(String.format(Locale.ROOT, " %6.2f", t[(i * w + j) * c + ch]));
                }
                out.println(row);
            }
        }
        out.println();
    }
}
