package dev.depthwise.nn;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;
import java.util.SplittableRandom;

/**
 * One named tensor of a layer ({@code conv_dw_1/depthwise_kernel}) with its gradient, initializer,
 * optional regularizer and constraint, and whether an optimizer may change it (BatchNorm's moving
 * statistics may not: Keras's non-trainable weights).
 *
 * <p>The values are allocated and drawn on first use, from a generator seeded by the model's seed
 * and the parameter's name: counting parameters never allocates them, and the values of one
 * parameter do not depend on which other layers exist or in what order they are touched. The
 * gradient is written by the layer's backward pass (overwritten, not accumulated).
 */
public final class Parameter {
    private final Layer owner;
    private final String shortName;
    private final int[] shape;
    private final int size;
    private final boolean trainable;
    private final Initializer initializer;
    private final Regularizer regularizer;
    private final Constraint constraint;
    private long seed;
    private float[] value;
    private float[] gradient;

    Parameter(Layer owner, String shortName, int[] shape, boolean trainable, Initializer initializer,
              Regularizer regularizer, Constraint constraint) {
        if (initializer == null) {
            throw new ShapeException(shortName + ": initializer must not be null");
        }
        this.owner = owner;
        this.shortName = shortName;
        this.shape = shape.clone();
        this.size = Checks.elementCount(shortName, "parameter", shape);
        this.trainable = trainable;
        this.initializer = initializer;
        this.regularizer = regularizer;
        this.constraint = constraint;
    }

    /** {@code layer_name/weight_name}, Keras's weight name. */
    public String name() { return owner.name() + "/" + shortName; }

    /** The weight's own name: {@code kernel}, {@code depthwise_kernel}, {@code gamma}... */
    public String shortName() { return shortName; }

    /** The layer it belongs to. */
    public Layer layer() { return owner; }

    public int[] shape() { return shape.clone(); }

    /** Number of elements. */
    public int size() { return size; }

    /** Whether an optimizer updates it (false for BatchNorm's moving mean and variance). */
    public boolean trainable() { return trainable; }

    public Initializer initializer() { return initializer; }

    /** The penalty, or null. */
    public Regularizer regularizer() { return regularizer; }

    /** The constraint, or null. */
    public Constraint constraint() { return constraint; }

    /** Whether the values have been allocated (by use, {@link #set} or an optimizer). */
    public boolean materialized() { return value != null; }

    /** The values, live (an optimizer updates them in place); drawn from the initializer on first use. */
    public float[] value() {
        if (value == null) {
            float[] v = new float[size];
            initializer.fill(v, shape, random());
            value = v;
        }
        return value;
    }

    /** The gradient of the last backward pass, live; zeros before any. */
    public float[] gradient() {
        if (gradient == null) {
            gradient = new float[size];
        }
        return gradient;
    }

    /** Copies {@code grad} into the gradient (a layer's backward pass does this). */
    public void setGradient(float[] grad) {
        Checks.length(name(), "gradient", grad, size, shape);
        System.arraycopy(grad, 0, gradient(), 0, size);
    }

    /** Copies {@code values} in (e.g. loaded weights). */
    public void set(float[] values) {
        Checks.length(name(), "values", values, size, shape);
        value = values.clone();
    }

    /** Sets the model seed this parameter draws its first values from, and forgets drawn values. */
    void seed(long modelSeed) {
        this.seed = modelSeed;
        this.value = null;
        this.gradient = null;
    }

    /** Applies the constraint, if any, to the values. */
    public void applyConstraint() {
        if (constraint != null) {
            constraint.apply(value(), shape);
        }
    }

    /** The regularization penalty of the current values (0 without a regularizer). */
    public double penalty() {
        return regularizer == null ? 0 : regularizer.penalty(value());
    }

    /** A generator that depends only on the model seed and this parameter's name. */
    private SplittableRandom random() {
        String name = name();
        long h = seed;
        for (int i = 0; i < name.length(); i++) {
            h = h * 0x100000001B3L ^ name.charAt(i); // FNV-style mixing; String.hashCode is too narrow
        }
        return new SplittableRandom(h);
    }

    @Override
    public String toString() {
        return name() + " " + Checks.shape(shape) + (trainable ? "" : " (non-trainable)");
    }
}
