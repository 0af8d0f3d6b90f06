package dev.depthwise.cli;

import dev.depthwise.nn.Model;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.ClassificationLoss;
import dev.depthwise.train.EpochStats;
import dev.depthwise.train.History;
import dev.depthwise.train.InputAdapter;
import dev.depthwise.train.Trainer;
import dev.depthwise.train.checkpoint.Checkpoint;
import dev.depthwise.train.data.Batcher;
import dev.depthwise.train.data.DataSplit;
import dev.depthwise.train.data.Dataset;
import dev.depthwise.train.data.RandomShift;
import dev.depthwise.train.optim.Optimizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depthwise train}: trains a model zoo architecture (or a demo CNN) at a chosen input size and
 * class count on IDX data (or the embedded digits), with the progress bar, an evaluation after each
 * epoch, and a checkpoint after each epoch that {@code --resume} continues from and {@code eval} reads.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model on IDX images (MNIST, Fashion-MNIST...) or the embedded digits, evaluating on the "
                + "test images after each epoch.",
            "Images are resized (bilinear) and grey is repeated to colour to fit the model's input. Zoo models end in a "
                + "softmax; demo-standard and demo-separable output logits."},
        footer = {"", "Examples:",
            "  depthwise train --model demo-separable --epochs 3 --checkpoint sep.ckpt",
            "  depthwise train --model mobilenet-v1 --alpha 0.25 --resolution 32 \\",
            "      --lr 0.002 --warmup-epochs 0.5 --data ~/mnist --checkpoint m.ckpt",
            "  depthwise train --model mobilenet-v1 --alpha 0.25 --resolution 32 \\",
            "      --epochs 10 --resume m.ckpt --checkpoint m.ckpt"})
final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME", completionCandidates = Names.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String model;

    @Option(names = "--resolution", paramLabel = "R",
            description = "Input height and width. Default: the images' size for the demo models, the architecture's "
                    + "default for zoo models (see depthwise summary --help for what each allows).")
    Integer resolution;

    @Option(names = "--classes", paramLabel = "N",
            description = "Classifier outputs. Default: the number of classes in the data.")
    Integer classes;

    @Option(names = "--alpha", paramLabel = "A", description = "Zoo width multiplier (MobileNets).")
    Double alpha;

    @Option(names = "--groups", paramLabel = "G", description = "ShuffleNet groups.")
    Integer groups;

    @Option(names = "--scale", paramLabel = "S", description = "ShuffleNet scale factor.")
    Double scale;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    OptimizerOptions opt = new OptimizerOptions();

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "N",
            description = "Train until this many epochs are done (with --resume: in all). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N",
            description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--shift", defaultValue = "0", paramLabel = "PIXELS",
            description = "Augmentation: shift each training image by up to this many pixels. Default: ${DEFAULT-VALUE}.")
    int shift;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Save the model and optimizer state here after each epoch (replaced atomically).")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue from this checkpoint (saved by --checkpoint with the same model options).")
    Path resume;

    @Option(names = "--threads", paramLabel = "N", description = "Threads the ops use. Default: one per core.")
    Integer threads;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the first weights, the shuffling and the augmentation. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr (for scripts).")
    boolean quiet;

    @Override
    public void run() {
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        positive("--epochs", epochs);
        positive("--batch-size", batchSize);
        if (shift < 0) {
            throw new ShapeException("--shift must be >= 0, got " + shift);
        }
        int threadCount = Threads.use(threads, err);
        DataSplit split = data.load();
        Dataset train = split.train();
        Dataset test = split.test();
        int k = classes != null ? positive("--classes", classes) : Math.max(train.classes(), test.classes());
        if (k < Math.max(train.classes(), test.classes())) {
            throw new ShapeException("--classes must be >= " + Math.max(train.classes(), test.classes())
                    + " (the classes in the data), got " + k);
        }
        ModelChoice choice = ModelChoice.resolve(model, resolution, k, alpha, groups, scale, train.height(),
                train.width(), train.channels());
        Model m = choice.build(seed);
        InputAdapter adapter = InputAdapter.of(train.height(), train.width(), train.channels(), choice.input());
        Batcher batches = Batcher.of(train, batchSize).shuffled(true).seed(seed).dropLast(batchSize <= train.size())
                .augment(shift > 0 ? new RandomShift(shift) : null);
        Optimizer optimizer = opt.optimizer(m.trainableParameters());
        int done = 0;
        if (resume != null) {
            done = restore(m, optimizer);
            if (done >= epochs) {
                throw new ShapeException("--epochs must be more than the " + done + " epochs " + resume + " has done, got "
                        + epochs);
            }
        }
        ClassificationLoss loss = ClassificationLoss.forModel(m, opt.labelSmoothing);
        Trainer trainer = new Trainer(m, loss, optimizer, opt.schedule(epochs, batches.batchCount()))
                .clipNorm(opt.clipNorm).adapter(adapter.identity() ? null : adapter);
        trainer.listener(TrainingProgress.stderr(quiet, m.name()).then(s -> {
            if (checkpoint != null) {
                save(m, optimizer, choice, s.epoch());
            }
        }));
        w.printf(Locale.ROOT, "Training %s: %,d parameters, on %s (%,d training, %,d test images%s), %s, %d threads%n",
                choice, m.countParameters(), data.describe(), train.size(), test.size(),
                adapter.identity() ? "" : ", fitted " + adapter, optimizer, threadCount);
        w.flush();
        History h = trainer.fit(batches, test, done, epochs);
        EpochStats last = h.last();
        w.printf(Locale.ROOT, "after epoch %d: test accuracy %.2f%%, test loss %.4f; training %.1f s (%,d img/s)%n",
                last.epoch(), 100 * last.testAccuracy(), last.testLoss(), h.trainSeconds(),
                Math.round(last.imagesPerSecond()));
        if (checkpoint != null) {
            w.println("checkpoint: " + checkpoint);
        }
        w.flush();
    }

    private int restore(Model m, Optimizer optimizer) {
        Checkpoint c = CheckpointFiles.load("--resume", resume);
        c.restore(m, optimizer);
        String epoch = c.metadata(Checkpoint.EPOCH, "0");
        try {
            return Integer.parseInt(epoch);
        } catch (NumberFormatException e) {
            throw new ShapeException(resume + ": metadata " + Checkpoint.EPOCH + " must be a whole number, got '" + epoch
                    + "'");
        }
    }

    private void save(Model m, Optimizer optimizer, ModelChoice choice, int epoch) {
        Map<String, String> meta = new LinkedHashMap<>(choice.metadata());
        meta.put(Checkpoint.EPOCH, Integer.toString(epoch));
        meta.put("train.seed", Long.toString(seed));
        meta.put("train.data", data.describe());
        try {
            Checkpoint.of(m, optimizer, meta).save(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    private static int positive(String option, int v) {
        if (v < 1) {
            throw new ShapeException(option + " must be >= 1, got " + v);
        }
        return v;
    }

    /** The model names, for the help text and shell completion. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelChoice.names().iterator();
        }
    }
}
