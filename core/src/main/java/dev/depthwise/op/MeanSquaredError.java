package dev.depthwise.op;

import dev.depthwise.spec.ShapeException;

/**
 * Mean squared error: {@code loss = mean_i (y_i - t_i)^2} over all M elements, gradient
 * {@code dLoss/dy = 2 (y - t) / M} (the mean over every element, as PyTorch's {@code MSELoss()} and Keras'
 * {@code mean_squared_error} on a batch). Sums run in double. Non-finite values are not refused: they give
 * a NaN or infinite loss. Stateless and thread-safe.
 */
public final class MeanSquaredError {
    private static final String OP = "mean squared error";

    private MeanSquaredError() {}

    /**
     * The mean loss and its gradient with respect to the prediction.
     *
     * @param prediction y, any shape, flattened
     * @param target t, the same length
     * @throws ShapeException if either is null or empty, or the lengths differ
     */
    public static LossResult compute(float[] prediction, float[] target) {
        if (prediction == null || target == null) {
            throw new ShapeException(OP + ": " + (prediction == null ? "prediction" : "target") + " must not be null");
        }
        if (prediction.length == 0) {
            throw new ShapeException(OP + ": prediction must not be empty (the mean over 0 elements is undefined)");
        }
        if (target.length != prediction.length) {
            throw new ShapeException(OP + ": target must have " + prediction.length
                    + " elements (the length of prediction), got " + target.length);
        }
        int m = prediction.length;
        float[] grad = new float[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double d = (double) prediction[i] - target[i];
            sum += d * d;
            grad[i] = (float) (2 * d / m);
        }
        return new LossResult(sum / m, grad);
    }
}
