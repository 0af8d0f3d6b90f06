package dev.depthwise.cli;

import dev.depthwise.nn.cost.Summary;
import dev.depthwise.nn.zoo.Zoo;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depthwise summary MODEL}: a model zoo architecture's layers, output shapes, parameters and
 * multiply-adds, with totals and the breakdown by layer type (the MobileNets paper's Table 2).
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Print a model's layers with output shapes, parameters (trainable and not) and mult-adds, "
                + "the totals, and the share of mult-adds and weights by layer type (the MobileNets paper's Table 2).",
            "Counts follow the papers (a mult-add is one multiply and one add for one image; batch norm, activations "
                + "and pooling are free) and Keras (batch norm's moving statistics are non-trainable parameters). "
                + "No weights are allocated.",
            "Models: mobilenet-v1, mobilenet-v2, xception, shufflenet-v1, effnet; each with a -full twin that uses "
                + "standard convolutions instead of depthwise ones."},
        footer = {"", "Examples:", "  depthwise summary mobilenet-v1 --alpha 0.75 --resolution 192",
            "  depthwise summary shufflenet-v1 --groups 8 --scale 0.5 --json"})
final class SummaryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", completionCandidates = ModelNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String model;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Width multiplier of the MobileNets (V1: 1, 0.75, 0.5, 0.25; V2: 0.35 to 1.4). Default: 1.")
    Double alpha;

    @Option(names = "--resolution", paramLabel = "R",
            description = "Input height and width (the resolution multiplier): a multiple of 32 for the MobileNets "
                    + "and ShuffleNet, of 8 for EffNet, at least 32 for Xception. Default: 224 (Xception 299, "
                    + "EffNet 32).")
    Integer resolution;

    @Option(names = "--classes", paramLabel = "N", description = "Classifier outputs. Default: 1000 (EffNet 10).")
    Integer classes;

    @Option(names = "--groups", paramLabel = "G", description = "ShuffleNet groups: 1, 2, 3, 4 or 8. Default: 3.")
    Integer groups;

    @Option(names = "--scale", paramLabel = "S", description = "ShuffleNet scale factor (0.25, 0.5, 1, 1.5, 2). "
            + "Default: 1.")
    Double scale;

    @Option(names = "--json", description = "Print one JSON object (model, input_shape, output_shape, "
            + "params {total, trainable, non_trainable}, mult_adds, layers, breakdown) instead of the table.")
    boolean json;

    @Override
    public void run() {
        Zoo.Options o = new Zoo.Options(alpha, resolution, classes, groups, scale, 0);
        Summary s = Summary.of(Zoo.build(model, o));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(s.toJson());
        } else {
            out.print(s.toText());
        }
        out.flush();
    }

    /** The zoo's model names, for the help text and shell completion. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Zoo.names().iterator();
        }
    }
}
