package dev.depthwise.cli.op;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import picocli.CommandLine.Option;

/** The options every convolution command shares: layouts, stride, dilation, padding, activation. */
final class GeometryOptions {
    @Option(names = "--layout", paramLabel = "NHWC|NCHW",
            description = "Layout of x, y and their gradients: channels last (NWC, NHWC, NDHWC) or first "
                    + "(NCW, NCHW, NCDHW). Default: channels last.")
    String layout;

    @Option(names = "--filter-layout", paramLabel = "HWCM|OIHW", defaultValue = "HWCM",
            description = "Filter layout: TensorFlow (HWCM for depthwise, HWIO otherwise; also WCM, DHWCM...) "
                    + "or PyTorch/ONNX (OIHW; OIW, OIDHW). Default: ${DEFAULT-VALUE}.")
    String filterLayout = "HWCM";

    @Option(names = "--stride", paramLabel = "S|SH,SW", defaultValue = "1",
            description = "Stride, one for every axis or one per axis. Default: ${DEFAULT-VALUE}.")
    String stride = "1";

    @Option(names = "--dilation", paramLabel = "D|DH,DW", defaultValue = "1",
            description = "Dilation, one for every axis or one per axis; may be combined with stride > 1. "
                    + "Default: ${DEFAULT-VALUE}.")
    String dilation = "1";

    @Option(names = "--pad", paramLabel = "same|valid|P|T,B,L,R", defaultValue = "valid",
            description = "Padding: valid, same (TensorFlow: extra pixel at the end), same_lower, causal (1-D), "
                    + "P on every side, one per axis, or before,after per axis (T,B,L,R in 2-D). "
                    + "Default: ${DEFAULT-VALUE}.")
    String pad = "valid";

    @Option(names = "--pad-mode", paramLabel = "MODE", defaultValue = "zeros",
            description = "What the border holds: zeros, reflect, replicate, circular. Default: ${DEFAULT-VALUE}.")
    String padMode = "zeros";

    @Option(names = "--act", paramLabel = "ACT", defaultValue = "none",
            description = "Fused activation after bias: none, relu, relu6, leaky_relu, sigmoid, hard_swish. "
                    + "Default: ${DEFAULT-VALUE}.")
    String act = "none";

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.3",
            description = "Negative slope of leaky_relu (Keras's default). Default: ${DEFAULT-VALUE}.")
    float alpha = 0.3f;

    Layout layout(int rank) {
        return layout == null ? Layout.CHANNELS_LAST : Args.option("--layout", () -> Layout.parse(layout, rank));
    }

    FilterLayout filterLayout() {
        return Args.option("--filter-layout", () -> FilterLayout.parse(filterLayout));
    }

    Activation activation() {
        return Args.option("--act", () -> Activation.parse(act, alpha));
    }

    /** Applies stride, dilation, padding, pad mode, filter layout and activation to {@code b}. */
    ConvSpec.Builder apply(ConvSpec.Builder b, int rank) {
        return b.stride(Args.positiveInts("--stride", stride, rank))
                .dilation(Args.positiveInts("--dilation", dilation, rank))
                .padding(Args.option("--pad", () -> Padding.parse(pad, rank)))
                .padMode(Args.option("--pad-mode", () -> PadMode.parse(padMode))).filterLayout(filterLayout())
                .activation(activation());
    }
}
