package dev.depthwise.cli;

import dev.depthwise.nn.Parameter;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.optim.Adam;
import dev.depthwise.train.optim.Optimizer;
import dev.depthwise.train.optim.Sgd;
import dev.depthwise.train.schedule.LearningRateSchedule;
import dev.depthwise.train.schedule.StepDecay;
import dev.depthwise.train.schedule.WarmUp;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code train}'s optimizer, learning-rate schedule, clipping and loss options. */
final class OptimizerOptions {
    @Option(names = "--optimizer", defaultValue = "adamw", paramLabel = "NAME",
            description = "sgd (momentum, Nesterov), adam or adamw (decoupled weight decay), as PyTorch computes them. "
                    + "Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Peak learning rate. Default: 0.1 for sgd, 0.001 for adam and adamw.")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M",
            description = "SGD momentum, in [0, 1). Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "W",
            description = "Weight decay: L2 added to the gradient for sgd and adam, decoupled for adamw. "
                    + "Default: 0 (adamw: 0.01).")
    Double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "NAME",
            description = "Learning-rate schedule after the warm-up: constant, step or cosine (to --min-lr at the "
                    + "last step). Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--warmup-epochs", defaultValue = "0", paramLabel = "E",
            description = "Linear warm-up over this many epochs (fractions allowed). Default: ${DEFAULT-VALUE}.")
    double warmupEpochs;

    @Option(names = "--step-epochs", defaultValue = "10", paramLabel = "E",
            description = "Step schedule: epochs between decays. Default: ${DEFAULT-VALUE}.")
    double stepEpochs;

    @Option(names = "--gamma", defaultValue = "0.1", paramLabel = "G",
            description = "Step schedule: factor of each decay. Default: ${DEFAULT-VALUE}.")
    double gamma;

    @Option(names = "--min-lr", defaultValue = "0", paramLabel = "RATE",
            description = "Cosine schedule: the final learning rate. Default: ${DEFAULT-VALUE}.")
    double minLr;

    @Option(names = "--clip-norm", defaultValue = "0", paramLabel = "N",
            description = "Clip the gradients' global L2 norm to N before each step; 0: no clipping. "
                    + "Default: ${DEFAULT-VALUE}.")
    double clipNorm;

    @Option(names = "--label-smoothing", defaultValue = "0", paramLabel = "EPS",
            description = "Label smoothing of the cross-entropy, in [0, 1]. Default: ${DEFAULT-VALUE}.")
    double labelSmoothing;

    /** The optimizer over {@code params}. */
    Optimizer optimizer(List<Parameter> params) {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd(params, momentum, nesterov, weightDecay == null ? 0 : weightDecay);
            case "adam" -> new Adam(params, 0.9, 0.999, 1e-8, weightDecay == null ? 0 : weightDecay, false);
            case "adamw" -> new Adam(params, 0.9, 0.999, 1e-8, weightDecay == null ? 0.01 : weightDecay, true);
            default -> throw new ShapeException("--optimizer must be sgd, adam or adamw, got '" + optimizer + "'");
        };
    }

    /** The peak learning rate. */
    double learningRate() {
        return lr != null ? lr : optimizer.equalsIgnoreCase("sgd") ? 0.1 : 0.001;
    }

    /** The schedule for {@code epochs} epochs of {@code stepsPerEpoch} steps. */
    LearningRateSchedule schedule(int epochs, int stepsPerEpoch) {
        double base = learningRate();
        if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
            throw new ShapeException("--warmup-epochs must be >= 0, got " + warmupEpochs);
        }
        long total = (long) epochs * stepsPerEpoch;
        long warm = Math.round(warmupEpochs * stepsPerEpoch);
        if (warm >= total && total > 0) {
            throw new ShapeException("--warmup-epochs " + warmupEpochs + " must be shorter than the run (" + epochs
                    + " epochs)");
        }
        LearningRateSchedule after = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "constant" -> LearningRateSchedule.constant(base);
            case "step" -> {
                if (!(stepEpochs > 0)) {
                    throw new ShapeException("--step-epochs must be > 0, got " + stepEpochs);
                }
                yield new StepDecay(base, Math.max(1, Math.round(stepEpochs * stepsPerEpoch)), gamma);
            }
            case "cosine" -> LearningRateSchedule.cosine(base, Math.max(1, total - warm), minLr);
            default -> throw new ShapeException("--schedule must be constant, step or cosine, got '" + schedule + "'");
        };
        return warm == 0 ? after : new WarmUp(warm, after);
    }
}
