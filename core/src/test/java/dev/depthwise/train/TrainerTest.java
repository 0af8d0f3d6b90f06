package dev.depthwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.Dropout;
import dev.depthwise.nn.DepthwiseConv2D;
import dev.depthwise.nn.Flatten;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.ReLU;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.data.Batcher;
import dev.depthwise.train.data.DataSplit;
import dev.depthwise.train.data.Dataset;
import dev.depthwise.train.data.Datasets;
import dev.depthwise.train.data.RandomShift;
import dev.depthwise.train.optim.Adam;
import dev.depthwise.train.optim.Sgd;
import dev.depthwise.train.schedule.LearningRateSchedule;
import dev.depthwise.train.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short end-to-end runs on the embedded digits: learning, repeatability, progress events, divergence. */
class TrainerTest {
    private static DataSplit digits;

    @BeforeAll
    static void load() {
        DataSplit all = Datasets.embeddedMnist();
        digits = new DataSplit(all.train().first(480), all.test().first(200));
    }

    /**
     * A tiny depthwise-separable CNN: 3x3 stem with stride 2, depthwise 3x3 stride 2, pointwise, dense on
     * the flattened 7x7x8 map (a flat head learns in far fewer steps than global pooling: the test stays short).
     */
    static Model tinyCnn(long seed) {
        return tinyCnn(seed, true);
    }

    /** With or without a dropout layer (dropout masks are not part of a checkpoint: resumed runs leave it out). */
    static Model tinyCnn(long seed, boolean dropout) {
        ModelBuilder b = ModelBuilder.create("tiny");
        var x = b.input(28, 28, 1);
        x = b.apply(new Conv2D(8, 3).strides(2).padding("same").useBias(false), x);
        x = b.apply(new BatchNorm().momentum(0.8f), x);
        x = b.apply(new ReLU(), x);
        x = b.apply(new DepthwiseConv2D(3).strides(2).padding("same").useBias(false), x);
        x = b.apply(new BatchNorm().momentum(0.8f), x);
        x = b.apply(new ReLU(), x);
        x = b.apply(new Conv2D(8, 1).useBias(false), x);
        x = b.apply(new BatchNorm().momentum(0.8f), x);
        x = b.apply(new ReLU(), x);
        x = b.apply(new Flatten(), x);
        if (dropout) {
            x = b.apply(new Dropout(0.1), x);
        }
        return b.build(b.apply(new Dense(10), x), seed);
    }

    static History train(long seed, int epochs, Dataset train, Dataset test, TrainingListener listener) {
        Model m = tinyCnn(seed);
        Batcher batches = Batcher.of(train, 24).shuffled(true).seed(seed).dropLast(true).augment(new RandomShift(1));
        long steps = (long) epochs * batches.batchCount();
        Trainer t = new Trainer(m, ClassificationLoss.forModel(m, 0.05), Adam.adamW(m.trainableParameters(), 0.01),
                LearningRateSchedule.warmUpCosine(0.03, 5, steps, 0)).clipNorm(5).listener(listener);
        return t.fit(batches, test, 0, epochs);
    }

    @Test
    void lossFallsAndAccuracyBeatsChanceByAWideMargin() {
        History h = train(3, 3, digits.train(), digits.test(), null);
        double[] losses = h.trainLosses();
        assertTrue(losses[losses.length - 1] < 0.6 * losses[0], "training loss " + java.util.Arrays.toString(losses));
        // 10 classes: chance is 10%
        assertTrue(h.last().testAccuracy() > 0.6, "test accuracy " + h.last().testAccuracy());
        assertTrue(h.last().trainAccuracy() > 0.6, "train accuracy " + h.last().trainAccuracy());
        assertEquals(3, h.epochs().size());
        assertEquals(480, h.last().images());
    }

    /** Batches, augmentation, dropout masks and reductions are all seeded or ordered: repeat runs match bit for bit. */
    @Test
    void sameSeedAndThreadsGiveTheSameNumbers() {
        Dataset small = digits.train().first(96);
        Dataset test = digits.test().first(40);
        History a = train(7, 2, small, test, null);
        History b = train(7, 2, small, test, null);
        History c = train(8, 2, small, test, null);
        assertArrayEquals(a.trainLosses(), b.trainLosses());
        assertEquals(a.last().testLoss(), b.last().testLoss());
        assertEquals(a.last().testAccuracy(), b.last().testAccuracy());
        assertNotEquals(a.trainLosses()[0], c.trainLosses()[0]);
    }

    @Test
    void resumingFromACheckpointContinuesExactlyAsTheUninterruptedRun(@TempDir Path dir) throws IOException {
        Dataset small = digits.train().first(72);
        Batcher batches = Batcher.of(small, 24).shuffled(true).seed(4).augment(new RandomShift(1));
        LearningRateSchedule schedule = LearningRateSchedule.warmUpCosine(0.03, 2, 6, 0);

        Model straight = tinyCnn(4, false);
        new Trainer(straight, ClassificationLoss.forModel(straight, 0), Adam.adamW(straight.trainableParameters(), 0.01),
                schedule).fit(batches, null, 0, 2);

        Model first = tinyCnn(4, false);
        Adam firstOpt = Adam.adamW(first.trainableParameters(), 0.01);
        new Trainer(first, ClassificationLoss.forModel(first, 0), firstOpt, schedule).fit(batches, null, 0, 1);
        Path f = dir.resolve("epoch1.ckpt");
        Checkpoint.of(first, firstOpt, null).save(f);

        Model resumed = tinyCnn(99, false);
        Adam resumedOpt = Adam.adamW(resumed.trainableParameters(), 0.01);
        Checkpoint.load(f).restore(resumed, resumedOpt);
        new Trainer(resumed, ClassificationLoss.forModel(resumed, 0), resumedOpt, schedule).fit(batches, null, 1, 2);
        for (int i = 0; i < straight.parameters().size(); i++) {
            assertArrayEquals(straight.parameters().get(i).value(), resumed.parameters().get(i).value(),
                    straight.parameters().get(i).name());
        }
    }

    @Test
    void listenerHearsEveryBatchAndEpoch() {
        List<String> events = new ArrayList<>();
        train(1, 2, digits.train().first(48), null, new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, long images) {
                events.add("start " + epoch + "/" + epochs + " " + images);
            }

            @Override
            public void batchFinished(long imagesDone, double meanLoss, double meanAccuracy) {
                events.add("batch " + imagesDone);
            }

            @Override
            public void trainingStepsFinished(int epoch, double meanLoss, double meanAccuracy) {
                events.add("steps " + epoch);
            }

            @Override
            public void epochFinished(EpochStats s) {
                events.add("end " + s.epoch());
            }
        });
        assertEquals(List.of("start 1/2 48", "batch 24", "batch 48", "steps 1", "end 1",
                "start 2/2 48", "batch 24", "batch 48", "steps 2", "end 2"), events);
    }

    @Test
    void aNonFiniteLossStopsTheRunWithAClearMessage() {
        Dataset d = digits.train().first(24);
        float[] images = new float[24 * 784];
        for (int i = 0; i < 24; i++) {
            System.arraycopy(d.image(i), 0, images, i * 784, 784);
        }
        images[5] = Float.NaN;
        Dataset bad = new Dataset("bad", images, d.labels(), 28, 28, 1, 10);
        Model m = tinyCnn(1);
        Trainer t = new Trainer(m, ClassificationLoss.forModel(m, 0), new Sgd(m.trainableParameters()),
                LearningRateSchedule.constant(0.1));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.fit(Batcher.of(bad, 24), null, 0, 1));
        assertEquals("tiny: the training loss became NaN at epoch 1, batch 1 (learning rate 0.1000); lower the "
                + "learning rate or clip the gradients", e.getMessage());
    }

    @Test
    void evaluationRestoresTheModeAndCountsEveryImage() {
        Model m = tinyCnn(1);
        m.setTraining(true);
        EvalResult r = Evaluator.evaluate(m, ClassificationLoss.forModel(m, 0), digits.test(), 64, null);
        assertTrue(m.training());
        assertEquals(200, r.metrics().total());
        assertTrue(r.loss() > 0 && r.imagesPerSecond() > 0);
    }

    @Test
    void refusesDataTheModelCannotTake() {
        Model m = tinyCnn(1);
        Trainer t = new Trainer(m, ClassificationLoss.forModel(m, 0), new Sgd(m.trainableParameters()),
                LearningRateSchedule.constant(0.1));
        Dataset wide = new Dataset("wide", new float[2 * 28 * 30], new int[] {0, 1}, 28, 30, 1, 10);
        ShapeException e = assertThrows(ShapeException.class, () -> t.fit(Batcher.of(wide, 2), null, 0, 1));
        assertEquals("trainer: data set 'wide' has images of 28x30x1, model tiny takes 28x28x1 (give an InputAdapter "
                + "to fit them)", e.getMessage());
        Dataset many = new Dataset("many", new float[784], new int[] {11}, 28, 28, 1, 12);
        e = assertThrows(ShapeException.class, () -> t.fit(Batcher.of(many, 1), null, 0, 1));
        assertEquals("trainer: data set 'many' has 12 classes, more than model tiny's 10 outputs", e.getMessage());
        assertFalse(m.training());
    }
}
