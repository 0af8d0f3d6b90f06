package dev.depthwise.cli;

import dev.depthwise.nn.Model;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.ClassificationLoss;
import dev.depthwise.train.EvalResult;
import dev.depthwise.train.Evaluator;
import dev.depthwise.train.InputAdapter;
import dev.depthwise.train.checkpoint.Checkpoint;
import dev.depthwise.train.data.Dataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depthwise eval}: rebuilds the model a checkpoint was saved from, loads its parameters and
 * evaluates it on test images: accuracy, loss, throughput, the confusion matrix and per-class accuracy.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint written by depthwise train or demo on the test images: accuracy, loss, "
                + "inference throughput, the confusion matrix and each class's accuracy.",
            "The model is rebuilt from the checkpoint's metadata."},
        footer = {"", "Examples:", "  depthwise eval --checkpoint demo-report/separable.ckpt",
            "  depthwise eval --checkpoint m.ckpt --data ~/mnist"})
final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "The checkpoint to evaluate.")
    Path checkpoint;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--batch-size", defaultValue = "250", paramLabel = "N",
            description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", description = "Threads the ops use. Default: one per core.")
    Integer threads;

    @Override
    public void run() {
        PrintWriter w = spec.commandLine().getOut();
        if (batchSize < 1) {
            throw new ShapeException("--batch-size must be >= 1, got " + batchSize);
        }
        Threads.use(threads, spec.commandLine().getErr());
        Checkpoint c = CheckpointFiles.load("--checkpoint", checkpoint);
        ModelChoice choice = ModelChoice.fromMetadata(c.metadata(), String.valueOf(checkpoint));
        Model m = choice.build(0);
        c.restore(m);
        Dataset test = data.loadTest();
        InputAdapter adapter = InputAdapter.of(test.height(), test.width(), test.channels(), choice.input());
        if (test.classes() > choice.classes()) {
            throw new ShapeException(checkpoint + ": the model has " + choice.classes() + " outputs, the test images "
                    + "have " + test.classes() + " classes");
        }
        ClassificationLoss loss = ClassificationLoss.forModel(m, 0);
        EvalResult r = Evaluator.evaluate(m, loss, test, batchSize, adapter.identity() ? null : adapter);
        w.printf(Locale.ROOT, "%s, %s epochs, on %s (%,d images%s)%n", choice, c.metadata(Checkpoint.EPOCH, "?"),
                data.describe(), test.size(), adapter.identity() ? "" : ", fitted " + adapter);
        w.printf(Locale.ROOT, "accuracy %.2f%%, loss %.4f, %,d images/s (batch %d)%n%n", 100 * r.accuracy(), r.loss(),
                Math.round(r.imagesPerSecond()), batchSize);
        w.print(r.metrics().render());
        w.flush();
    }
}
