package dev.depthwise.train;

import dev.depthwise.io.NdArray;
import dev.depthwise.nn.Model;
import dev.depthwise.op.LossResult;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.data.Batch;
import dev.depthwise.train.data.Batcher;
import dev.depthwise.train.data.Dataset;
import dev.depthwise.train.optim.GradientClipping;
import dev.depthwise.train.optim.Optimizer;
import dev.depthwise.train.schedule.LearningRateSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training loop of a classifier: for each mini-batch, forward in training mode, loss, backward,
 * optional gradient clipping, one optimizer step at the schedule's learning rate, constraints; after each
 * epoch, an evaluation on held-out data in inference mode.
 *
 * <pre>{@code
 * Model model = ...;
 * Trainer t = new Trainer(model, ClassificationLoss.forModel(model, 0),
 *         new Sgd(model.trainableParameters(), 0.9, true, 5e-4),
 *         LearningRateSchedule.warmUpCosine(0.1, 125, 10 * 125, 0));
 * History h = t.fit(Batcher.of(train, 64).shuffled(true).seed(42), test, 0, 10);
 * }</pre>
 *
 * <p><b>Repeatable</b>: with the same seed (model and batcher), the same thread count and the same
 * arguments, a run gives the same numbers, bit for bit: the batches, the augmentations and the dropout
 * masks are seeded, and every reduction runs in a fixed order. A run resumed at epoch {@code e} from a
 * checkpoint (parameters and optimizer state) continues as the uninterrupted one would have, except for
 * dropout masks, whose generator is not part of a checkpoint.
 *
 * <p>The configuration setters return {@code this}; a trainer is used by one thread.
 */
public final class Trainer {
    private final Model model;
    private final ClassificationLoss loss;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private double clipNorm;
    private InputAdapter adapter;
    private TrainingListener listener = new TrainingListener() {};
    private int evalBatchSize = 250;

    /**
     * @param model the classifier to train
     * @param loss its loss ({@link ClassificationLoss#forModel})
     * @param optimizer bound to {@code model.trainableParameters()}
     * @param schedule the learning rate of each step; steps continue from {@code optimizer.steps()}
     * @throws ShapeException if an argument is null
     */
    public Trainer(Model model, ClassificationLoss loss, Optimizer optimizer, LearningRateSchedule schedule) {
        if (model == null || loss == null || optimizer == null || schedule == null) {
            throw new ShapeException("trainer: model, loss, optimizer and schedule must not be null");
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.schedule = schedule;
    }

    /** Clips the gradients' global L2 norm to {@code maxNorm} before each step; 0 turns clipping off. */
    public Trainer clipNorm(double maxNorm) {
        if (maxNorm != 0 && (!(maxNorm > 0) || Double.isInfinite(maxNorm))) {
            throw new ShapeException("trainer: clip norm must be finite and > 0 (or 0 for none), got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Fits each batch's images to the model's input (null: they fit already). */
    public Trainer adapter(InputAdapter a) {
        this.adapter = a;
        return this;
    }

    /** Who hears about progress (null: nobody). */
    public Trainer listener(TrainingListener l) {
        this.listener = l == null ? new TrainingListener() {} : l;
        return this;
    }

    /** Images per forward pass when evaluating (250 by default). */
    public Trainer evalBatchSize(int n) {
        if (n < 1) {
            throw new ShapeException("trainer: evaluation batch size must be >= 1, got " + n);
        }
        this.evalBatchSize = n;
        return this;
    }

    /** The model trained. */
    public Model model() { return model; }

    /** The optimizer stepping it. */
    public Optimizer optimizer() { return optimizer; }

    /** The learning-rate schedule. */
    public LearningRateSchedule schedule() { return schedule; }

    /** The loss. */
    public ClassificationLoss loss() { return loss; }

    /**
     * Trains epochs {@code fromEpoch + 1} to {@code epochs} (counting from 1; {@code fromEpoch} is how many
     * were done before, 0 for a new run), evaluating on {@code test} after each if it is not null. The
     * model is left in inference mode.
     *
     * @throws ShapeException if the data do not fit the model or the epochs are out of range
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public History fit(Batcher train, Dataset test, int fromEpoch, int epochs) {
        if (train == null) {
            throw new ShapeException("trainer: training batches must not be null");
        }
        if (fromEpoch < 0 || epochs < fromEpoch) {
            throw new ShapeException("trainer: epochs must be >= the epochs already done (" + fromEpoch + " >= 0), got "
                    + epochs);
        }
        checkData(train.data());
        if (test != null) {
            checkData(test);
        }
        List<EpochStats> done = new ArrayList<>();
        for (int e = fromEpoch; e < epochs; e++) {
            done.add(epoch(train, test, e, epochs));
        }
        model.setTraining(false);
        return new History(done);
    }

    /** Trains one epoch ({@code e} from 0) and evaluates. */
    private EpochStats epoch(Batcher train, Dataset test, int e, int epochs) {
        listener.epochStarted(e + 1, epochs, train.imagesPerEpoch());
        model.setTraining(true);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int batchIndex = 0;
        double lr = Double.NaN;
        int[] perSample = model.inputShapes().getFirst();
        long start = System.nanoTime();
        for (Batch b : train.epoch(e)) {
            float[] x = adapter == null ? b.images() : adapter.apply(b.images(), b.size());
            NdArray y = model.forward(new NdArray(batchShape(b.size(), perSample), x));
            LossResult r = loss.compute(y, b.labels());
            double batchLoss = r.loss() + model.regularizationLoss();
            lr = schedule.rate(optimizer.steps());
            if (!Double.isFinite(batchLoss)) {
                throw new TrainingDivergedException(String.format(Locale.ROOT,
                        "%s: the training loss became %s at epoch %d, batch %d (learning rate %.4g); lower the "
                                + "learning rate or clip the gradients", model.name(), batchLoss, e + 1, batchIndex + 1, lr));
            }
            model.backward(new NdArray(y.shape(), r.gradient()));
            if (clipNorm > 0) {
                GradientClipping.clipGlobalNorm(optimizer.parameters(), clipNorm);
            }
            optimizer.step(lr);
            model.applyConstraints();
            lossSum += batchLoss * b.size();
            correct += countCorrect(y.data(), b.labels(), loss.classes());
            seen += b.size();
            batchIndex++;
            listener.batchFinished(seen, lossSum / seen, (double) correct / seen);
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        double meanLoss = lossSum / seen;
        double accuracy = (double) correct / seen;
        listener.trainingStepsFinished(e + 1, meanLoss, accuracy);
        double testLoss = Double.NaN;
        double testAccuracy = Double.NaN;
        double evalSeconds = 0;
        if (test != null) {
            EvalResult r = Evaluator.evaluate(model, loss, test, evalBatchSize, adapter);
            testLoss = r.loss();
            testAccuracy = r.accuracy();
            evalSeconds = r.seconds();
        }
        EpochStats stats = new EpochStats(e + 1, meanLoss, accuracy, testLoss, testAccuracy, trainSeconds,
                evalSeconds, seen, lr);
        listener.epochFinished(stats);
        return stats;
    }

    private void checkData(Dataset d) {
        int[] in = model.inputShapes().getFirst();
        int[] images = {d.height(), d.width(), d.channels()};
        if (adapter == null && !java.util.Arrays.equals(images, in)) {
            throw new ShapeException("trainer: data set '" + d.name() + "' has images of " + Checks.shape(images)
                    + ", model " + model.name() + " takes " + Checks.shape(in) + " (give an InputAdapter to fit them)");
        }
        if (adapter != null && (!java.util.Arrays.equals(adapter.inputShape(), images)
                || !java.util.Arrays.equals(adapter.outputShape(), in))) {
            throw new ShapeException("trainer: the input adapter fits " + adapter + ", but data set '" + d.name()
                    + "' has images of " + Checks.shape(images) + " and model " + model.name() + " takes "
                    + Checks.shape(in));
        }
        if (d.classes() > loss.classes()) {
            throw new ShapeException("trainer: data set '" + d.name() + "' has " + d.classes() + " classes, more than "
                    + "model " + model.name() + "'s " + loss.classes() + " outputs");
        }
    }

    /** {@code [n, per-sample shape...]}. */
    static int[] batchShape(int n, int[] perSample) {
        int[] s = new int[perSample.length + 1];
        s[0] = n;
        System.arraycopy(perSample, 0, s, 1, perSample.length);
        return s;
    }

    private static long countCorrect(float[] scores, int[] labels, int classes) {
        long c = 0;
        for (int r = 0; r < labels.length; r++) {
            if (Metrics.argmax(scores, r * classes, classes) == labels[r]) {
                c++;
            }
        }
        return c;
    }
}
