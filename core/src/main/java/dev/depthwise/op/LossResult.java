package dev.depthwise.op;

/**
 * What a loss op returns: the loss, averaged over the batch, and its gradient with respect to the
 * op's input (the logits or predictions), already divided by the batch, ready to flow backward.
 *
 * @param loss the mean loss, computed in double
 * @param gradient {@code dLoss/dInput}, the same length as the input
 */
public record LossResult(double loss, float[] gradient) {}
