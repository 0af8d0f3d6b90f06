package dev.depthwise.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.io.NdArray;
import dev.depthwise.testutil.GradientCheck;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Finite-difference checks of a whole model's backward pass: the gradient w.r.t. the input and every
 * trainable parameter against central differences of {@code L = sum(forward(x) * dy)}.
 *
 * <p>ReLU, ReLU6 and max pooling are piecewise linear: a step of {@code eps} that crosses a kink
 * makes the central difference meaningless there. Such elements are recognised and skipped: their
 * one-sided slopes disagree, or the central differences with steps {@code eps} and {@code eps/2}
 * disagree. A wrong analytic gradient cannot hide this way, since both estimates then agree with each
 * other and not with it; and most elements must have been checked. When the {@code eps} difference
 * does not match, the {@code eps/2} one is taken too and their Richardson extrapolation compared (it
 * cancels the {@code eps^2} error: batch norm over a tiny batch is curved enough for a plain central
 * difference to be off by a percent).
 */
final class ModelCheck {
    private static final double EPS = 1e-2;

    private ModelCheck() {
    }

    /** A batch of random inputs for {@code m}. */
    static NdArray input(Model m, int batch, long seed) {
        int[] shape = Shapes.withBatch(batch, m.inputShapes().get(0));
        return new NdArray(shape, Tensors.random(seed, Shapes.product(shape)));
    }

    /**
     * Checks every element ({@code sample == 0}) of every tensor, or {@code sample} elements drawn at
     * random across all tensors.
     */
    static void gradients(String what, Model m, NdArray x, int sample, long seed) {
        float[] dyData = Tensors.random(seed, Shapes.product(Shapes.withBatch(x.shape()[0], m.outputShape())));
        NdArray y = m.forward(x);
        NdArray dy = new NdArray(y.shape(), dyData);
        NdArray dx = m.backward(dy)[0];
        List<float[]> params = new ArrayList<>();
        List<float[]> analytic = new ArrayList<>();
        List<String> names = new ArrayList<>();
        params.add(x.data());
        analytic.add(dx.data().clone());
        names.add("input");
        for (Parameter p : m.trainableParameters()) {
            params.add(p.value());
            analytic.add(p.gradient().clone());
            names.add(p.name());
        }
        double f0 = loss(m, x, dyData);
        List<int[]> elements = new ArrayList<>();
        if (sample == 0) {
            for (int t = 0; t < params.size(); t++) {
                for (int i = 0; i < params.get(t).length; i++) {
                    elements.add(new int[] {t, i});
                }
            }
        } else {
            SplittableRandom r = new SplittableRandom(seed + 1);
            for (int k = 0; k < sample; k++) {
                int t = r.nextInt(params.size());
                elements.add(new int[] {t, r.nextInt(params.get(t).length)});
            }
        }
        int checked = 0;
        int skipped = 0;
        for (int[] e : elements) {
            float[] a = params.get(e[0]);
            int i = e[1];
            float saved = a[i];
            double up = at(m, x, dyData, a, i, saved + EPS);
            double down = at(m, x, dyData, a, i, saved - EPS);
            double second = up - 2 * f0 + down;
            if (Math.abs(second) > 0.02 * Math.max(Math.abs(up - f0), Math.abs(f0 - down)) + 1e-6) {
                skipped++; // a kink lies within eps: the one-sided slopes differ
                continue;
            }
            double wide = (up - down) / (2 * EPS);
            double got = analytic.get(e[0])[i];
            if (Math.abs(wide - got) > tolerance(wide)) {
                // a curved function (batch norm over a tiny batch) or a kink: look closer
                double narrow = (at(m, x, dyData, a, i, saved + EPS / 2) - at(m, x, dyData, a, i, saved - EPS / 2)) / EPS;
                if (Math.abs(wide - narrow) > tolerance(narrow)) {
                    skipped++; // a kink within eps/2..eps: the two steps see different slopes
                    continue;
                }
                double numeric = (4 * narrow - wide) / 3;
                if (Math.abs(numeric - got) > tolerance(numeric)) {
                    fail(what + ": d/d " + names.get(e[0]) + "[" + i + "] analytic " + got + ", finite difference "
                            + numeric);
                }
            }
            checked++;
        }
        assertTrue(checked >= 3 * skipped && checked > 0, what + ": only " + checked + " elements checked, "
                + skipped + " skipped at kinks");
    }

    private static double tolerance(double derivative) {
        return 1e-3 + 1e-3 * Math.abs(derivative);
    }

    /** The loss with {@code a[i]} set to {@code value} (then restored). */
    private static double at(Model m, NdArray x, float[] dy, float[] a, int i, double value) {
        float saved = a[i];
        a[i] = (float) value;
        double l = loss(m, x, dy);
        a[i] = saved;
        return l;
    }

    private static double loss(Model m, NdArray x, float[] dy) {
        return GradientCheck.dot(m.forward(x).data(), dy);
    }
}
