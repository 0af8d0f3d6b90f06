package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A layer: hyper-parameters, named parameters and their gradients, a forward and a backward pass
 * through the ops, and a train/eval mode. A layer is configured with its fluent setters, then added
 * to a model with {@link ModelBuilder#apply}, which names it, builds it for its input shapes
 * (creating its parameters) and freezes its configuration.
 *
 * <p>Shapes given to and returned by {@link #build} are per sample (no batch axis, as in a Keras
 * summary); the tensors given to {@link #forward} carry the batch as their first axis. A layer keeps
 * what its backward pass needs from the last forward pass, so one layer instance serves one graph
 * and one thread at a time.
 */
public abstract class Layer {
    private String name;
    private int[][] inputShapes;
    private int[] outputShape;
    private boolean training;
    private final List<Parameter> parameters = new ArrayList<>();

    protected Layer() {
    }

    /** Keras's class name where Keras has the layer, e.g. {@code DepthwiseConv2D}: a summary's type column. */
    public abstract String type();

    /** The prefix of an automatic name: Keras's snake case of {@link #type()}, e.g. {@code depthwise_conv2d}. */
    public String prefix() {
        return snakeCase(type());
    }

    /** The layer's unique name within its model; null until named or added to a model. */
    public final String name() {
        return name;
    }

    /**
     * Names the layer (before it is added to a model). Names are unique within a model; a layer not
     * named gets {@code prefix_N}, N counting that prefix's layers in the order they were added.
     * It returns {@code Layer}, so call it last in a chain of setters.
     */
    public Layer name(String newName) {
        requireUnbuilt();
        if (newName == null || newName.isBlank() || !newName.matches("[A-Za-z0-9_.\\-]+")) {
            throw new ShapeException("layer name must be letters, digits, '_', '.' or '-', got '" + newName + "'");
        }
        this.name = newName;
        return this;
    }

    /** How many inputs the layer takes: 1, or -1 for several (Add: two or more; Concat: one or more). */
    public int arity() {
        return 1;
    }

    /** True once the layer has been built for its input shapes. */
    public final boolean built() {
        return outputShape != null;
    }

    /** The per-sample input shapes it was built for. */
    public final int[][] inputShapes() {
        requireBuilt();
        int[][] r = new int[inputShapes.length][];
        for (int i = 0; i < r.length; i++) {
            r[i] = inputShapes[i].clone();
        }
        return r;
    }

    /** The per-sample output shape. */
    public final int[] outputShape() {
        requireBuilt();
        return outputShape.clone();
    }

    /** The parameters, in creation order: trainable and non-trainable. */
    public final List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** The parameter called {@code shortName} ({@code kernel}, {@code gamma}...). */
    public final Parameter parameter(String shortName) {
        for (Parameter p : parameters) {
            if (p.shortName().equals(shortName)) {
                return p;
            }
        }
        throw new ShapeException(name + ": no parameter '" + shortName + "'; it has " + parameters);
    }

    /** Whether the layer runs in training mode (batch statistics, dropout); inference by default. */
    public final boolean training() {
        return training;
    }

    /** Switches training mode; only BatchNorm and Dropout behave differently. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /**
     * Receives the model's seed when the model is built or re-seeded: a layer that draws random
     * numbers (Dropout) derives its generator from it and its name, so runs repeat.
     */
    protected void seed(long modelSeed) {
    }

    /** A generator that depends only on {@code modelSeed} and this layer's name. */
    protected final java.util.SplittableRandom randomFor(long modelSeed) {
        long h = modelSeed ^ 0x5DEECE66DL;
        for (int i = 0; i < name.length(); i++) {
            h = h * 0x100000001B3L ^ name.charAt(i);
        }
        return new java.util.SplittableRandom(h);
    }

    /** The weighted operations of one forward pass on one sample; empty for layers without weights. */
    public List<OpCost> costs() {
        return List.of();
    }

    /** Multiply-adds of one forward pass on one sample, the papers' count (BN and activations are free). */
    public final long multAdds() {
        long s = 0;
        for (OpCost c : costs()) {
            s += c.multAdds();
        }
        return s;
    }

    /** Builds the layer for {@code shapes}: checks them, creates the parameters, returns the output shape. */
    final int[] buildFor(int[][] shapes) {
        requireUnbuilt();
        int[] out = build(shapes);
        inputShapes = shapes;
        outputShape = out.clone();
        return out;
    }

    /** Called by the model builder to give an unnamed layer its automatic name (after build: the prefix may depend on the rank). */
    final void assignName(String automatic) {
        this.name = automatic;
    }

    /** Checks the input shapes, creates the parameters with {@link #addParameter} and returns the output shape. */
    protected abstract int[] build(int[][] inputShapes);

    /**
     * The output for {@code inputs} (batch first). Remembers what {@link #backward} needs.
     *
     * @throws ShapeException if an input's shape differs from the one the layer was built for
     */
    public abstract NdArray forward(NdArray... inputs);

    /**
     * The gradients w.r.t. the inputs of the last {@link #forward}, for the output gradient
     * {@code dy}; writes (overwrites) the gradients of the parameters.
     */
    public abstract NdArray[] backward(NdArray dy);

    /** Creates a parameter {@code name()/shortName}; call from {@link #build}. */
    protected final Parameter addParameter(String shortName, int[] shape, boolean trainable, Initializer init,
                                           Regularizer regularizer, Constraint constraint) {
        Parameter p = new Parameter(this, shortName, shape, trainable, init, regularizer, constraint);
        parameters.add(p);
        return p;
    }

    /** Refuses a setter once the layer is built: its parameters already have their shapes. */
    protected final void requireUnbuilt() {
        if (built()) {
            throw new IllegalStateException(name + ": the layer is built; its configuration can no longer change");
        }
    }

    private void requireBuilt() {
        if (!built()) {
            throw new IllegalStateException((name == null ? type() : name) + ": the layer is not built yet "
                    + "(add it to a model first)");
        }
    }

    /** The message prefix of this layer: {@code conv_dw_1 (DepthwiseConv2D)}. */
    protected final String who() {
        return (name == null ? prefix() : name) + " (" + type() + ")";
    }

    /**
     * Checks that {@code x} is a batch of the per-sample shape {@code expected} and returns the batch size.
     */
    protected final int checkInput(NdArray x, int[] expected, String what) {
        if (x == null) {
            throw new ShapeException(who() + ": " + what + " must not be null");
        }
        int[] s = x.shape();
        boolean ok = s.length == expected.length + 1 && s[0] >= 1;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = s[i + 1] == expected[i];
        }
        if (!ok) {
            throw new ShapeException(who() + ": " + what + " must have shape " + Shapes.batched(expected)
                    + ", got " + Shapes.python(s));
        }
        return s[0];
    }

    /** Checks the number of inputs of a forward call. */
    protected final void checkArity(NdArray[] inputs, int expected) {
        int got = inputs == null ? 0 : inputs.length;
        if (got != expected) {
            throw new ShapeException(who() + ": expected " + expected + " input" + (expected == 1 ? "" : "s")
                    + ", got " + got);
        }
    }

    /** Requires a forward pass before {@code backward}: returns {@code state}, what it left, if not null. */
    protected final <T> T remembered(T state) {
        requireForward(state != null);
        return state;
    }

    /** Requires a forward pass before {@code backward}. */
    protected final void requireForward(boolean done) {
        if (!done) {
            throw new IllegalStateException(who() + ": backward needs a forward pass first");
        }
    }

    /** Keras's {@code to_snake_case}: {@code DepthwiseConv2D} to {@code depthwise_conv2d}, {@code ReLU} to {@code re_lu}. */
    static String snakeCase(String type) {
        String s = type.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return who() + (built() ? " -> " + Checks.shape(outputShape) : "");
    }
}
