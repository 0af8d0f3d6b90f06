package dev.depthwise.spec;

/**
 * The one error every operator of this library throws for bad input: a shape, size, hyper-parameter
 * or array that breaks a rule. The message names the operator, the parameter, its value and the
 * rule, e.g. {@code depthwise conv: stride[1] must be >= 1, got 0}. It is always thrown before
 * anything is allocated or written.
 */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
