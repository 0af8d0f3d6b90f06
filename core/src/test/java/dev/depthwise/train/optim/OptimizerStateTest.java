package dev.depthwise.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Saving and restoring an optimizer's state, and what it refuses to be bound to. */
class OptimizerStateTest {

    @Test
    void restoredStateContinuesExactlyAsTheOriginal() {
        Parameter a = TinyParams.kernel();
        Adam first = Adam.adamW(List.of(a), 0.1);
        a.setGradient(TinyParams.GRADIENTS[0]);
        first.step(0.01);
        Map<String, float[]> saved = first.state();
        float[] weights = a.value().clone();

        Parameter b = TinyParams.kernel();
        b.set(weights);
        Adam second = Adam.adamW(List.of(b), 0.1);
        second.loadState(saved, first.steps());
        for (float[] g : new float[][] {TinyParams.GRADIENTS[1], TinyParams.GRADIENTS[2]}) {
            a.setGradient(g);
            first.step(0.01);
            b.setGradient(g);
            second.step(0.01);
        }
        assertArrayEquals(a.value(), b.value());
        assertEquals(3, second.steps());
    }

    @Test
    void badStateIsRefusedAndChangesNothing() {
        Parameter p = TinyParams.kernel();
        Sgd sgd = new Sgd(List.of(p), 0.9, false, 0);
        p.setGradient(new float[] {1, 1});
        sgd.step(0.1);
        Map<String, float[]> before = sgd.state();
        SgdTest.assertMessage("sgd: state momentum/dense_1/kernel must have 2 elements",
                () -> sgd.loadState(Map.of("momentum/dense_1/kernel", new float[3]), 5));
        SgdTest.assertMessage("sgd: state has entries this optimizer does not keep: [m/dense_1/kernel]",
                () -> sgd.loadState(Map.of("m/dense_1/kernel", new float[2]), 5));
        SgdTest.assertMessage("sgd: state after 5 steps must hold 1 slots", () -> sgd.loadState(Map.of(), 5));
        SgdTest.assertMessage("sgd: steps must be >= 0, got -1", () -> sgd.loadState(Map.of(), -1));
        assertEquals(1, sgd.steps());
        assertArrayEquals(before.get("momentum/dense_1/kernel"), sgd.state().get("momentum/dense_1/kernel"));
    }

    @Test
    void refusesNonTrainableAndRepeatedParameters() {
        Model m = ModelBuilder.sequential("bn", new int[] {2, 2, 3}, 0, new BatchNorm());
        Parameter moving = m.parameters().stream().filter(p -> !p.trainable()).findFirst().orElseThrow();
        SgdTest.assertMessage("sgd: parameters[0] batch_normalization_1/moving_mean is not trainable",
                () -> new Sgd(List.of(moving)));
        Parameter p = TinyParams.kernel();
        SgdTest.assertMessage("adam: parameters[1] dense_1/kernel is listed twice", () -> Adam.adam(List.of(p, p)));
        assertTrue(new Sgd(m.trainableParameters()).toString().startsWith("sgd("));
    }
}
