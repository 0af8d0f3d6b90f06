package dev.depthwise.cli.op;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.ChannelShuffle;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code channel-shuffle} and {@code channel-shuffle-grad} (ShuffleNet). */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class ShuffleCommand implements Runnable {
    private final boolean grad;

    @Option(names = "--x", paramLabel = "x.npy", description = "Input (forward only).")
    Path x;

    @Option(names = "--dy", paramLabel = "dy.npy", description = "Gradient of the output (gradient only).")
    Path dy;

    @Option(names = "--groups", required = true, paramLabel = "G", description = "Number of groups; must divide C.")
    int groups;

    @Option(names = "--layout", paramLabel = "NHWC|NCHW",
            description = "Channels last (default; NC, NWC, NHWC, NDHWC) or first (NCW, NCHW, NCDHW).")
    String layout;

    @Option(names = "--y", paramLabel = "y.npy", description = "Where to write the shuffled tensor.")
    Path y;

    @Option(names = "--dx", paramLabel = "dx.npy", description = "Where to write the gradient w.r.t. x.")
    Path dx;

    ShuffleCommand(boolean grad) {
        this.grad = grad;
    }

    @Override
    public void run() {
        String option = grad ? "--dy" : "--x";
        Path in = grad ? dy : x;
        Path target = grad ? dx : y;
        if (in == null) {
            throw new ShapeException("missing option " + option);
        }
        if (target == null) {
            throw new ShapeException("missing option " + (grad ? "--dx" : "--y") + " (where to write the result)");
        }
        NdArray a = NpyFiles.read(option, in);
        Layout l = layout == null ? Layout.CHANNELS_LAST : Layout.parse(layout, Math.max(1, Math.min(3, a.rank() - 2)));
        ChannelShuffle op = ChannelShuffle.of(ChannelShuffleSpec.of(l, a.shape(), groups));
        NpyFiles out = new NpyFiles();
        out.add(grad ? "--dx" : "--y", target, a.shape(), grad ? op.backward(a.data()) : op.forward(a.data()));
        out.writeAll();
    }
}
