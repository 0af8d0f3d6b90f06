package dev.depthwise.cli.op;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code depthwise op NAME ...}: evaluates one operator on {@code .npy} files. The subcommands are
 * registered here, in code, because one command class serves several names (dwconv1d/2d/3d...).
 */
@Command(name = "op", mixinStandardHelpOptions = true,
        description = {"Evaluate one operator, or its gradients, on .npy files (float32, C order; other real "
                + "dtypes and Fortran order are converted).",
            "Defaults: channels last (NHWC) with TensorFlow filters (HWCM), stride 1, dilation 1, pad valid, "
                + "no activation. Outputs are written only when every input is valid."})
public final class OpCommand implements Runnable {
    @Spec
    CommandSpec spec;

    private static final String[] GRAD_ONLY = {"--dy", "--dx", "--dfilter", "--dbias", "--ddepthwise-filter",
        "--ddepthwise-bias", "--dmiddle-scale", "--dmiddle-shift", "--dpointwise-filter", "--dvertical-filter",
        "--dhorizontal-filter"};

    /** The {@code op} command with all its subcommands. */
    public static CommandLine create() {
        CommandLine op = new CommandLine(new OpCommand());
        for (int rank = 1; rank <= 3; rank++) {
            String d = rank + "-D ";
            add(op, "dwconv" + rank + "d", new ConvCommand(ConvCommand.Kind.DEPTHWISE, rank, false),
                    d + "depthwise convolution (channel multiplier M from the filter's shape).", "--groups");
            add(op, "dwconv" + rank + "d-grad", new ConvCommand(ConvCommand.Kind.DEPTHWISE, rank, true),
                    "Gradients of " + d + "depthwise convolution.", "--groups");
            add(op, "conv" + rank + "d", new ConvCommand(ConvCommand.Kind.GROUPED, rank, false),
                    d + "convolution with groups (1: full, C: depthwise).");
            add(op, "conv" + rank + "d-grad", new ConvCommand(ConvCommand.Kind.GROUPED, rank, true),
                    "Gradients of " + d + "grouped convolution.");
            add(op, "sepconv" + rank + "d", new SepConvCommand(rank, false),
                    d + "depthwise-separable convolution: depthwise, optional middle, pointwise.");
            add(op, "sepconv" + rank + "d-grad", new SepConvCommand(rank, true),
                    "Gradients of " + d + "depthwise-separable convolution.");
        }
        add(op, "pwconv", new ConvCommand(ConvCommand.Kind.POINTWISE, 0, false),
                "Pointwise (1x1) convolution, any rank; filter [1..., C, O] or [O, C, 1...].", "--groups",
                "--stride", "--dilation", "--pad", "--pad-mode");
        add(op, "pwconv-grad", new ConvCommand(ConvCommand.Kind.POINTWISE, 0, true),
                "Gradients of pointwise convolution.", "--groups", "--stride", "--dilation", "--pad", "--pad-mode");
        add(op, "spatial-sepconv2d", new SpatialSepConvCommand(false),
                "Spatially separable 2-D depthwise convolution: kh x 1, then 1 x kw (EffNet, Sobel).");
        add(op, "spatial-sepconv2d-grad", new SpatialSepConvCommand(true),
                "Gradients of spatially separable convolution.");
        add(op, "channel-shuffle", new ShuffleCommand(false), "ShuffleNet channel shuffle: --x to --y.");
        add(op, "channel-shuffle-grad", new ShuffleCommand(true), "Gradient of channel shuffle: --dy to --dx.",
                "--x", "--y");
        return op;
    }

    /** Registers {@code command} as {@code name}, without the options that do not apply to it. */
    private static void add(CommandLine parent, String name, Object command, String description, String... drop) {
        CommandLine sub = new CommandLine(command);
        CommandSpec s = sub.getCommandSpec();
        s.usageMessage().description(description);
        boolean grad = name.endsWith("-grad");
        for (String option : GRAD_ONLY) {
            if (!grad && s.findOption(option) != null) {
                s.remove(s.findOption(option));
            }
        }
        for (String option : drop) {
            if (s.findOption(option) != null) {
                s.remove(s.findOption(option));
            }
        }
        parent.addSubcommand(name, sub);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing operator: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
