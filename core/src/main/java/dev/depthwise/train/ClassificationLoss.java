package dev.depthwise.train;

import dev.depthwise.io.NdArray;
import dev.depthwise.nn.Layer;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.Softmax;
import dev.depthwise.op.LossResult;
import dev.depthwise.op.SoftmaxCrossEntropy;
import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/**
 * Softmax cross-entropy (with optional label smoothing) on a classifier's output, whichever of the two
 * usual forms the model ends in:
 * <ul>
 *   <li><b>logits</b> (the last layer is not a {@link Softmax}): {@link SoftmaxCrossEntropy} directly, the
 *       stable fused form;</li>
 *   <li><b>probabilities</b> (the last layer is a {@code Softmax}, as in the model zoo, following Keras):
 *       the loss is computed on {@code log p}, with p clipped below at {@value #EPSILON} as Keras does
 *       for probability outputs, and its gradient {@code (p - t) / N} (w.r.t. the softmax's input) is
 *       handed to the model as {@code (p - t) / (N max(p, eps))}, which the softmax's own backward pass
 *       turns back into {@code (p - t) / N} wherever {@code p >= eps}. Where p is below eps the gradient
 *       is damped, as Keras's clipping damps it.</li>
 * </ul>
 * The model's output must be {@code [N, classes]}. Immutable.
 */
public final class ClassificationLoss {
    /** The smallest probability the loss sees: Keras's {@code epsilon()}. */
    public static final float EPSILON = 1e-7f;

    private final SoftmaxCrossEntropy crossEntropy;
    private final boolean probabilities;

    private ClassificationLoss(SoftmaxCrossEntropy crossEntropy, boolean probabilities) {
        this.crossEntropy = crossEntropy;
        this.probabilities = probabilities;
    }

    /**
     * The loss for {@code model}'s output.
     *
     * @param labelSmoothing in [0, 1]; 0 for plain cross-entropy
     * @throws ShapeException if the model's output is not one vector of class scores per sample
     */
    public static ClassificationLoss forModel(Model model, double labelSmoothing) {
        if (model == null) {
            throw new ShapeException("classification loss: model must not be null");
        }
        int[] out = model.outputShape();
        if (out.length != 1) {
            throw new ShapeException("classification loss: model " + model.name() + " must output [N, classes], got "
                    + "per-sample shape " + Arrays.toString(out));
        }
        // The output node is the last in execution order: everything else in the model feeds it.
        Layer last = model.layers().getLast();
        return new ClassificationLoss(SoftmaxCrossEntropy.of(out[0], labelSmoothing), last instanceof Softmax);
    }

    /** The number of classes. */
    public int classes() {
        return crossEntropy.classes();
    }

    /** The label smoothing. */
    public double labelSmoothing() {
        return crossEntropy.smoothing();
    }

    /** True when the model outputs probabilities (ends in a softmax), false for logits. */
    public boolean fromProbabilities() {
        return probabilities;
    }

    /**
     * The mean loss over the batch and its gradient w.r.t. the model's output, ready for
     * {@link Model#backward}.
     *
     * @throws ShapeException if the output is not {@code [labels.length, classes]} or a label is out of range
     */
    public LossResult compute(NdArray output, int[] labels) {
        if (output == null) {
            throw new ShapeException("classification loss: output must not be null");
        }
        if (!probabilities) {
            return crossEntropy.compute(output.data(), labels);
        }
        float[] p = output.data();
        float[] logP = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logP[i] = (float) Math.log(Math.max(p[i], EPSILON)); // NaN stays NaN: max(NaN, eps) is NaN
        }
        LossResult r = crossEntropy.compute(logP, labels);
        float[] g = r.gradient();
        for (int i = 0; i < g.length; i++) {
            g[i] = g[i] / Math.max(p[i], EPSILON);
        }
        return new LossResult(r.loss(), g);
    }

    @Override
    public String toString() {
        return crossEntropy + (probabilities ? " on probabilities" : " on logits");
    }
}
