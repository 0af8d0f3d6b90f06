package dev.depthwise.cli.op;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.Conv;
import dev.depthwise.op.ConvGradients;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dwconv1d/2d/3d}, {@code conv1d/2d/3d} and {@code pwconv}, forward or gradient. One class
 * serves them all; {@link OpCommand} registers an instance per name and removes the options that do
 * not apply (no {@code --groups} on a depthwise op, no {@code --dy} on a forward one).
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class ConvCommand implements Runnable {

    /** Which convolution: the filter's shape is read differently for each. */
    enum Kind { DEPTHWISE, GROUPED, POINTWISE }

    private final Kind kind;
    private final int fixedRank;
    private final boolean grad;

    @Option(names = "--x", required = true, paramLabel = "x.npy", description = "Input.")
    Path x;

    @Option(names = "--filter", required = true, paramLabel = "w.npy",
            description = "Filter: depthwise [k..., C, M] (HWCM) or [C*M, 1, k...] (OIHW); otherwise "
                    + "[k..., C/groups, O] (HWIO) or [O, C/groups, k...] (OIHW).")
    Path filter;

    @Option(names = "--bias", paramLabel = "b.npy", description = "Bias, one per output channel (optional).")
    Path bias;

    @Option(names = "--groups", paramLabel = "G", defaultValue = "1",
            description = "Number of groups: 1 is a full convolution, C is depthwise. Default: ${DEFAULT-VALUE}.")
    int groups;

    @Mixin
    GeometryOptions geometry;

    @Option(names = "--dy", paramLabel = "dy.npy", description = "Gradient of the loss w.r.t. the output.")
    Path dy;

    @Option(names = "--y", paramLabel = "y.npy", description = "Where to write the output.")
    Path y;

    @Option(names = "--dx", paramLabel = "dx.npy", description = "Where to write the gradient w.r.t. x.")
    Path dx;

    @Option(names = "--dfilter", paramLabel = "dw.npy", description = "Where to write the gradient w.r.t. the filter.")
    Path dfilter;

    @Option(names = "--dbias", paramLabel = "db.npy", description = "Where to write the gradient w.r.t. the bias.")
    Path dbias;

    /** {@code fixedRank} 0 means: as many spatial axes as x has (pwconv). */
    ConvCommand(Kind kind, int fixedRank, boolean grad) {
        this.kind = kind;
        this.fixedRank = fixedRank;
        this.grad = grad;
    }

    @Override
    public void run() {
        NdArray xa = NpyFiles.read("--x", x);
        NdArray fa = NpyFiles.read("--filter", filter);
        NdArray ba = NpyFiles.readOptional("--bias", bias);
        int rank = fixedRank > 0 ? fixedRank : xa.rank() - 2;
        if (rank < 1 || rank > 3) {
            throw new ShapeException("--x must have 3 to 5 axes (batch, spatial, channels), got shape "
                    + Arrays.toString(xa.shape()));
        }
        ConvSpec spec = spec(rank, xa, fa);
        if (ba != null) {
            Args.shape("--bias", ba, spec.biasShape(), "one value per output channel");
        }
        Conv conv = Conv.of(spec);
        float[] b = ba == null ? null : ba.data();
        NpyFiles out = new NpyFiles();
        if (!grad) {
            if (y == null) {
                throw new ShapeException("missing option --y (where to write the output)");
            }
            out.add("--y", y, spec.outputShape(), conv.forward(xa.data(), fa.data(), b));
        } else {
            if (dy == null) {
                throw new ShapeException("missing option --dy (the gradient of the output)");
            }
            NdArray dya = NpyFiles.read("--dy", dy);
            Args.shape("--dy", dya, spec.outputShape(), "the output's shape for " + spec);
            ConvGradients g = conv.backward(xa.data(), fa.data(), b, dya.data());
            if (y != null) {
                out.add("--y", y, spec.outputShape(), conv.forward(xa.data(), fa.data(), b));
            }
            out.add("--dx", dx, spec.inputShape(), g.dx());
            out.add("--dfilter", dfilter, fa.shape(), g.dfilter());
            if (dbias != null && ba == null) {
                throw new ShapeException("--dbias needs --bias: there is no bias to differentiate");
            }
            out.add("--dbias", dbias, ba == null ? null : ba.shape(), g.dbias());
            if (out.isEmpty()) {
                throw new ShapeException("nothing to write: give at least one of --dx, --dfilter, --dbias, --y");
            }
        }
        out.writeAll();
    }

    /** The spec that x's and the filter's shapes and the options describe. */
    private ConvSpec spec(int rank, NdArray xa, NdArray fa) {
        Layout layout = geometry.layout(rank);
        Args.rank("--x", xa, rank + 2, layout.name(rank));
        FilterLayout fl = geometry.filterLayout();
        String flName = fl == FilterLayout.SPATIAL_IN_OUT ? (kind == Kind.DEPTHWISE ? "HWCM" : "HWIO") : "OIHW";
        Args.rank("--filter", fa, rank + 2, flName + " with " + rank + " spatial axes");
        int[] fs = fa.shape();
        int[] kernel = fl == FilterLayout.SPATIAL_IN_OUT ? Arrays.copyOfRange(fs, 0, rank)
                : Arrays.copyOfRange(fs, 2, rank + 2);
        int outChannels = fl == FilterLayout.SPATIAL_IN_OUT ? fs[rank + 1] : fs[0];
        ConvSpec.Builder b = ConvSpec.builder(layout, xa.shape()).kernel(kernel);
        int c = layout == Layout.CHANNELS_LAST ? xa.shape()[rank + 1] : xa.shape()[1];
        switch (kind) {
            case DEPTHWISE -> {
                int m = fl == FilterLayout.SPATIAL_IN_OUT ? outChannels : c == 0 ? 0 : outChannels / c;
                b.depthwise(Math.max(m, 1));
            }
            case GROUPED -> b.conv(outChannels, groups);
            case POINTWISE -> b.pointwise(outChannels);
        }
        ConvSpec spec = geometry.apply(b, rank).build();
        Args.shape("--filter", fa, spec.filterShape(), flName + " filter for " + spec);
        return spec;
    }
}
