package dev.depthwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.io.NdArray;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.Layer;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Parameter;
import dev.depthwise.nn.Softmax;
import dev.depthwise.op.LossResult;
import dev.depthwise.op.SoftmaxCrossEntropy;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.testutil.GradientCheck;
import dev.depthwise.testutil.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The loss on logits and on probabilities: values, and gradients through a model by finite differences. */
class ClassificationLossTest {
    private static final int[] LABELS = {2, 0, 3};

    private static Model model(boolean softmax) {
        Layer[] layers = softmax ? new Layer[] {new Dense(4), new Softmax()} : new Layer[] {new Dense(4)};
        return ModelBuilder.sequential("m", new int[] {5}, 7, layers);
    }

    private static NdArray input() {
        return new NdArray(new int[] {3, 5}, Tensors.random(11, 15));
    }

    @Test
    void detectsTheOutputForm() {
        assertFalse(ClassificationLoss.forModel(model(false), 0).fromProbabilities());
        assertTrue(ClassificationLoss.forModel(model(true), 0).fromProbabilities());
        assertEquals(4, ClassificationLoss.forModel(model(true), 0.1).classes());
    }

    @ParameterizedTest
    @CsvSource({"0.0", "0.1"})
    void probabilitiesGiveTheLossAndGradientOfTheLogits(double smoothing) {
        Model logits = model(false);
        Model probs = model(true); // same seed and layer names: the same Dense weights
        NdArray z = logits.forward(input());
        LossResult direct = ClassificationLoss.forModel(logits, smoothing).compute(z, LABELS);
        LossResult viaProbs = ClassificationLoss.forModel(probs, smoothing).compute(probs.forward(input()), LABELS);
        assertEquals(SoftmaxCrossEntropy.of(4, smoothing).compute(z.data(), LABELS).loss(), direct.loss(), 1e-12);
        assertEquals(direct.loss(), viaProbs.loss(), 1e-6);
        logits.backward(new NdArray(z.shape(), direct.gradient()));
        probs.backward(new NdArray(z.shape(), viaProbs.gradient()));
        assertArrayEquals(logits.parameters().getFirst().gradient(), probs.parameters().getFirst().gradient(), 1e-6f);
    }

    @ParameterizedTest
    @CsvSource({"false, 0.0", "true, 0.0", "true, 0.2", "false, 0.2"})
    void gradientThroughTheModelMatchesFiniteDifferences(boolean softmax, double smoothing) {
        Model m = model(softmax);
        ClassificationLoss loss = ClassificationLoss.forModel(m, smoothing);
        NdArray y = m.forward(input());
        m.backward(new NdArray(y.shape(), loss.compute(y, LABELS).gradient()));
        Parameter kernel = m.parameters().get(0);
        Parameter bias = m.parameters().get(1);
        float[][] params = {kernel.value(), bias.value()}; // live: the check perturbs the model's own weights
        float[][] analytic = {kernel.gradient().clone(), bias.gradient().clone()};
        GradientCheck.check("cross-entropy " + (softmax ? "on probabilities" : "on logits"), params, analytic,
                p -> loss.compute(m.forward(input()), LABELS).loss());
    }

    @Test
    void aVanishingProbabilityIsClippedNotInfinite() {
        ClassificationLoss loss = ClassificationLoss.forModel(model(true), 0);
        float[] p = {1, 0, 0, 0};
        LossResult r = loss.compute(new NdArray(new int[] {1, 4}, p), new int[] {1});
        assertEquals(-Math.log(1e-7), r.loss(), 1e-3); // log of the clipped 1e-7, as Keras
        for (float g : r.gradient()) {
            assertTrue(Float.isFinite(g));
        }
    }

    @Test
    void refusesOutputsThatAreNotClassScores() {
        Model image = ModelBuilder.sequential("img", new int[] {2, 2, 3}, 0, new Dense(4));
        ShapeException e = assertThrows(ShapeException.class, () -> ClassificationLoss.forModel(image, 0));
        assertEquals("classification loss: model img must output [N, classes], got per-sample shape [2, 2, 4]",
                e.getMessage());
    }
}
