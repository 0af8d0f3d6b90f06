package dev.depthwise.cli.op;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.SeparableConv;
import dev.depthwise.op.SeparableGradients;
import dev.depthwise.op.SeparableWeights;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.ShapeException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sepconv1d/2d/3d} and their {@code -grad} forms: depthwise stage (stride, dilation, padding),
 * optional middle (per-channel scale and shift, i.e. folded batch norm, then an activation), then a
 * pointwise stage with {@code --bias} and {@code --act}.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class SepConvCommand implements Runnable {
    private final int rank;
    private final boolean grad;

    @Option(names = "--x", required = true, paramLabel = "x.npy", description = "Input.")
    Path x;

    @Option(names = "--depthwise-filter", required = true, paramLabel = "dw.npy",
            description = "Depthwise filter, [k..., C, M] (HWCM) or [C*M, 1, k...] (OIHW).")
    Path depthwiseFilter;

    @Option(names = "--depthwise-bias", paramLabel = "db.npy", description = "Depthwise bias, C*M values (optional).")
    Path depthwiseBias;

    @Option(names = "--middle-scale", paramLabel = "s.npy",
            description = "Middle slot: per-channel scale (C*M values; with --middle-shift; batch norm folded as "
                    + "gamma/sqrt(var+eps)). Without it the middle has no affine map (Keras, Xception).")
    Path middleScale;

    @Option(names = "--middle-shift", paramLabel = "t.npy",
            description = "Middle slot: per-channel shift (C*M values; batch norm folded as beta - mean*scale).")
    Path middleShift;

    @Option(names = "--middle-act", paramLabel = "ACT", defaultValue = "none",
            description = "Middle slot activation (MobileNet: relu or relu6). Default: ${DEFAULT-VALUE}.")
    String middleAct;

    @Option(names = "--pointwise-filter", required = true, paramLabel = "pw.npy",
            description = "Pointwise filter, [1..., C*M, O] (HWIO) or [O, C*M, 1...] (OIHW).")
    Path pointwiseFilter;

    @Option(names = "--bias", paramLabel = "b.npy", description = "Pointwise bias, O values (optional).")
    Path bias;

    @Mixin
    GeometryOptions geometry;

    @Option(names = "--dy", paramLabel = "dy.npy", description = "Gradient of the loss w.r.t. the output.")
    Path dy;

    @Option(names = "--y", paramLabel = "y.npy", description = "Where to write the output.")
    Path y;

    @Option(names = "--dx", paramLabel = "dx.npy", description = "Where to write the gradient w.r.t. x.")
    Path dx;

    @Option(names = "--ddepthwise-filter", paramLabel = "F.npy", description = "Gradient w.r.t. the depthwise filter.")
    Path dDepthwiseFilter;

    @Option(names = "--ddepthwise-bias", paramLabel = "F.npy", description = "Gradient w.r.t. the depthwise bias.")
    Path dDepthwiseBias;

    @Option(names = "--dmiddle-scale", paramLabel = "F.npy", description = "Gradient w.r.t. the middle scale.")
    Path dMiddleScale;

    @Option(names = "--dmiddle-shift", paramLabel = "F.npy", description = "Gradient w.r.t. the middle shift.")
    Path dMiddleShift;

    @Option(names = "--dpointwise-filter", paramLabel = "F.npy", description = "Gradient w.r.t. the pointwise filter.")
    Path dPointwiseFilter;

    @Option(names = "--dbias", paramLabel = "F.npy", description = "Gradient w.r.t. the pointwise bias.")
    Path dbias;

    SepConvCommand(int rank, boolean grad) {
        this.rank = rank;
        this.grad = grad;
    }

    @Override
    public void run() {
        NdArray xa = NpyFiles.read("--x", x);
        NdArray dwf = NpyFiles.read("--depthwise-filter", depthwiseFilter);
        NdArray dwb = NpyFiles.readOptional("--depthwise-bias", depthwiseBias);
        NdArray scale = NpyFiles.readOptional("--middle-scale", middleScale);
        NdArray shift = NpyFiles.readOptional("--middle-shift", middleShift);
        NdArray pwf = NpyFiles.read("--pointwise-filter", pointwiseFilter);
        NdArray pwb = NpyFiles.readOptional("--bias", bias);
        if ((scale == null) != (shift == null)) {
            throw new ShapeException("--middle-scale and --middle-shift must be given together");
        }
        SeparableSpec spec = spec(xa, dwf, pwf, scale != null);
        int[] mid = spec.depthwise().biasShape();
        for (Object[] o : new Object[][] {{"--depthwise-bias", dwb}, {"--middle-scale", scale}, {"--middle-shift", shift}}) {
            if (o[1] != null) {
                Args.shape((String) o[0], (NdArray) o[1], mid, "one value per depthwise output channel");
            }
        }
        if (pwb != null) {
            Args.shape("--bias", pwb, spec.pointwise().biasShape(), "one value per output channel");
        }
        SeparableWeights w = new SeparableWeights(dwf.data(), data(dwb), data(scale), data(shift), pwf.data(),
                data(pwb));
        SeparableConv op = SeparableConv.of(spec);
        int[] outShape = spec.pointwise().outputShape();
        NpyFiles out = new NpyFiles();
        if (!grad) {
            if (y == null) {
                throw new ShapeException("missing option --y (where to write the output)");
            }
            out.add("--y", y, outShape, op.forward(xa.data(), w));
        } else {
            if (dy == null) {
                throw new ShapeException("missing option --dy (the gradient of the output)");
            }
            NdArray dya = NpyFiles.read("--dy", dy);
            Args.shape("--dy", dya, outShape, "the output's shape for " + spec);
            SeparableGradients g = op.backward(xa.data(), w, dya.data());
            if (y != null) {
                out.add("--y", y, outShape, op.forward(xa.data(), w));
            }
            out.add("--dx", dx, xa.shape(), g.dx());
            out.add("--ddepthwise-filter", dDepthwiseFilter, dwf.shape(), g.depthwiseFilter());
            out.add("--ddepthwise-bias", dDepthwiseBias, dwb == null ? null : dwb.shape(), need("--ddepthwise-bias", dDepthwiseBias,
                    g.depthwiseBias()));
            out.add("--dmiddle-scale", dMiddleScale, scale == null ? null : scale.shape(), need("--dmiddle-scale", dMiddleScale,
                    g.scale()));
            out.add("--dmiddle-shift", dMiddleShift, shift == null ? null : shift.shape(), need("--dmiddle-shift", dMiddleShift,
                    g.shift()));
            out.add("--dpointwise-filter", dPointwiseFilter, pwf.shape(), g.pointwiseFilter());
            out.add("--dbias", dbias, pwb == null ? null : pwb.shape(), need("--dbias", dbias, g.pointwiseBias()));
            if (out.isEmpty()) {
                throw new ShapeException("nothing to write: give at least one of --dx, --ddepthwise-filter, "
                        + "--dpointwise-filter, --dbias, --ddepthwise-bias, --dmiddle-scale, --dmiddle-shift, --y");
            }
        }
        out.writeAll();
    }

    /** A gradient the user asked for must exist: refuse {@code --dbias} without {@code --bias}. */
    private static float[] need(String option, Path path, float[] gradient) {
        if (path != null && gradient == null) {
            throw new ShapeException(option + " asks for the gradient of a parameter that was not given");
        }
        return gradient;
    }

    private static float[] data(NdArray a) {
        return a == null ? null : a.data();
    }

    private SeparableSpec spec(NdArray xa, NdArray dwf, NdArray pwf, boolean affine) {
        Layout layout = geometry.layout(rank);
        Args.rank("--x", xa, rank + 2, layout.name(rank));
        FilterLayout fl = geometry.filterLayout();
        boolean tf = fl == FilterLayout.SPATIAL_IN_OUT;
        Args.rank("--depthwise-filter", dwf, rank + 2, (tf ? "HWCM" : "OIHW") + " with " + rank + " spatial axes");
        Args.rank("--pointwise-filter", pwf, rank + 2, (tf ? "HWIO" : "OIHW") + " with " + rank + " spatial axes");
        int[] fs = dwf.shape();
        int c = layout == Layout.CHANNELS_LAST ? xa.shape()[rank + 1] : xa.shape()[1];
        int m = tf ? fs[rank + 1] : c == 0 ? 0 : fs[0] / c;
        int[] kernel = tf ? Arrays.copyOfRange(fs, 0, rank) : Arrays.copyOfRange(fs, 2, rank + 2);
        ConvSpec.Builder b = ConvSpec.builder(layout, xa.shape()).kernel(kernel).depthwise(Math.max(m, 1));
        ConvSpec dw = geometry.apply(b, rank).activation(Activation.NONE).build();
        Args.shape("--depthwise-filter", dwf, dw.filterShape(), "depthwise filter for " + dw);
        int outChannels = tf ? pwf.shape()[rank + 1] : pwf.shape()[0];
        SeparableSpec.Middle middle = new SeparableSpec.Middle(affine, Activation.parse(middleAct, geometry.alpha));
        SeparableSpec spec = SeparableSpec.of(dw, middle, outChannels, geometry.activation());
        Args.shape("--pointwise-filter", pwf, spec.pointwise().filterShape(), "pointwise filter for " + spec);
        return spec;
    }
}
