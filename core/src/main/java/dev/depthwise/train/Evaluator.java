package dev.depthwise.train;

import dev.depthwise.io.NdArray;
import dev.depthwise.nn.Model;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.data.Batch;
import dev.depthwise.train.data.Batcher;
import dev.depthwise.train.data.Dataset;

/** Runs a classifier over a data set in inference mode and counts what it gets right. */
public final class Evaluator {
    private Evaluator() {}

    /**
     * Evaluates {@code model} on every image of {@code data}, in order, {@code batchSize} at a time, in
     * inference mode (batch norm's moving statistics, no dropout); the model's mode is restored after.
     *
     * @param adapter fits the images to the model's input; null when they already fit
     * @throws ShapeException if the data and model disagree on the input shape or the number of classes
     */
    public static EvalResult evaluate(Model model, ClassificationLoss loss, Dataset data, int batchSize,
                                      InputAdapter adapter) {
        if (model == null || loss == null || data == null) {
            throw new ShapeException("evaluate: model, loss and data must not be null");
        }
        if (data.classes() > loss.classes()) {
            throw new ShapeException("evaluate: data set '" + data.name() + "' has " + data.classes()
                    + " classes, more than the model's " + loss.classes() + " outputs");
        }
        Batcher batches = Batcher.of(data, batchSize);
        boolean wasTraining = model.training();
        model.setTraining(false);
        try {
            Metrics metrics = new Metrics(loss.classes());
            double lossSum = 0;
            long start = System.nanoTime();
            for (Batch b : batches.epoch(0)) {
                float[] x = adapter == null ? b.images() : adapter.apply(b.images(), b.size());
                int[] shape = Trainer.batchShape(b.size(), model.inputShapes().getFirst());
                NdArray y = model.forward(new NdArray(shape, x));
                lossSum += loss.compute(y, b.labels()).loss() * b.size();
                metrics.addLogits(y.data(), b.labels());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new EvalResult(metrics, lossSum / data.size(), seconds);
        } finally {
            model.setTraining(wasTraining);
        }
    }
}
