package dev.depthwise.cli.op;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.SpatialSeparableConv;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.spec.SpatialSeparableSpec;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spatial-sepconv2d} and its {@code -grad} form: a kh x 1 depthwise stage, then 1 x kw. */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class SpatialSepConvCommand implements Runnable {
    private final boolean grad;

    @Option(names = "--x", required = true, paramLabel = "x.npy", description = "Input.")
    Path x;

    @Option(names = "--vertical-filter", required = true, paramLabel = "v.npy",
            description = "The kh x 1 depthwise filter: [kh, 1, C, M] (HWCM) or [C*M, 1, kh, 1] (OIHW).")
    Path verticalFilter;

    @Option(names = "--horizontal-filter", required = true, paramLabel = "h.npy",
            description = "The 1 x kw depthwise filter: [1, kw, C*M, 1] (HWCM) or [C*M, 1, 1, kw] (OIHW).")
    Path horizontalFilter;

    @Option(names = "--bias", paramLabel = "b.npy", description = "Bias, C*M values, added after both stages.")
    Path bias;

    @Mixin
    GeometryOptions geometry;

    @Option(names = "--dy", paramLabel = "dy.npy", description = "Gradient of the loss w.r.t. the output.")
    Path dy;

    @Option(names = "--y", paramLabel = "y.npy", description = "Where to write the output.")
    Path y;

    @Option(names = "--dx", paramLabel = "dx.npy", description = "Where to write the gradient w.r.t. x.")
    Path dx;

    @Option(names = "--dvertical-filter", paramLabel = "F.npy", description = "Gradient w.r.t. the vertical filter.")
    Path dVertical;

    @Option(names = "--dhorizontal-filter", paramLabel = "F.npy",
            description = "Gradient w.r.t. the horizontal filter.")
    Path dHorizontal;

    @Option(names = "--dbias", paramLabel = "F.npy", description = "Gradient w.r.t. the bias.")
    Path dbias;

    SpatialSepConvCommand(boolean grad) {
        this.grad = grad;
    }

    @Override
    public void run() {
        NdArray xa = NpyFiles.read("--x", x);
        NdArray va = NpyFiles.read("--vertical-filter", verticalFilter);
        NdArray ha = NpyFiles.read("--horizontal-filter", horizontalFilter);
        NdArray ba = NpyFiles.readOptional("--bias", bias);
        SpatialSeparableSpec spec = spec(xa, va, ha);
        if (ba != null) {
            Args.shape("--bias", ba, spec.full().biasShape(), "one value per output channel");
        }
        SpatialSeparableConv op = SpatialSeparableConv.of(spec);
        float[] b = ba == null ? null : ba.data();
        int[] outShape = spec.full().outputShape();
        NpyFiles out = new NpyFiles();
        if (!grad) {
            if (y == null) {
                throw new ShapeException("missing option --y (where to write the output)");
            }
            out.add("--y", y, outShape, op.forward(xa.data(), va.data(), ha.data(), b));
        } else {
            if (dy == null) {
                throw new ShapeException("missing option --dy (the gradient of the output)");
            }
            NdArray dya = NpyFiles.read("--dy", dy);
            Args.shape("--dy", dya, outShape, "the output's shape for " + spec);
            SpatialSeparableConv.Gradients g = op.backward(xa.data(), va.data(), ha.data(), b, dya.data());
            if (dbias != null && ba == null) {
                throw new ShapeException("--dbias needs --bias: there is no bias to differentiate");
            }
            if (y != null) {
                out.add("--y", y, outShape, op.forward(xa.data(), va.data(), ha.data(), b));
            }
            out.add("--dx", dx, xa.shape(), g.dx());
            out.add("--dvertical-filter", dVertical, va.shape(), g.verticalFilter());
            out.add("--dhorizontal-filter", dHorizontal, ha.shape(), g.horizontalFilter());
            out.add("--dbias", dbias, ba == null ? null : ba.shape(), g.bias());
            if (out.isEmpty()) {
                throw new ShapeException("nothing to write: give at least one of --dx, --dvertical-filter, "
                        + "--dhorizontal-filter, --dbias, --y");
            }
        }
        out.writeAll();
    }

    private SpatialSeparableSpec spec(NdArray xa, NdArray va, NdArray ha) {
        Layout layout = geometry.layout(2);
        Args.rank("--x", xa, 4, layout.name(2));
        boolean tf = geometry.filterLayout() == FilterLayout.SPATIAL_IN_OUT;
        Args.rank("--vertical-filter", va, 4, tf ? "[kh, 1, C, M]" : "[C*M, 1, kh, 1]");
        Args.rank("--horizontal-filter", ha, 4, tf ? "[1, kw, C*M, 1]" : "[C*M, 1, 1, kw]");
        int c = layout == Layout.CHANNELS_LAST ? xa.shape()[3] : xa.shape()[1];
        int kh = tf ? va.shape()[0] : va.shape()[2];
        int kw = tf ? ha.shape()[1] : ha.shape()[3];
        int m = tf ? va.shape()[3] : c == 0 ? 0 : va.shape()[0] / c;
        ConvSpec full = geometry.apply(ConvSpec.builder(layout, xa.shape()).kernel(kh, kw)
                .depthwise(Math.max(m, 1)), 2).build();
        SpatialSeparableSpec spec = SpatialSeparableSpec.of(full);
        Args.shape("--vertical-filter", va, spec.vertical().filterShape(), "vertical filter for " + full);
        Args.shape("--horizontal-filter", ha, spec.horizontal().filterShape(), "horizontal filter for " + full);
        return spec;
    }
}
