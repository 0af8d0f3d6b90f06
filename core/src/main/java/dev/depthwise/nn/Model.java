package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ShapeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph of layers with one output (sequential, or with branches for residuals and
 * concatenations), built by {@link ModelBuilder}. It runs forward and backward through every layer,
 * exposes the named parameters and gradients an optimizer iterates, switches train/eval mode, and
 * sums the regularization penalties.
 *
 * <p>Not thread-safe: each layer remembers its last forward pass for the backward one.
 */
public final class Model {
    private final String name;
    private final List<Node> order;
    private final List<Node> inputs;
    private final Node output;
    private final List<Layer> layers;
    private final List<Parameter> parameters;
    private boolean training;
    private int[] lastBatch;

    Model(String name, List<Node> order, Node output, long seed) {
        this.name = name;
        this.order = List.copyOf(order);
        this.output = output;
        List<Node> in = new ArrayList<>();
        List<Layer> ls = new ArrayList<>();
        List<Parameter> ps = new ArrayList<>();
        for (Node n : order) {
            if (n.isInput()) {
                in.add(n);
            } else {
                ls.add(n.layer());
                ps.addAll(n.layer().parameters());
            }
        }
        this.inputs = List.copyOf(in);
        this.layers = List.copyOf(ls);
        this.parameters = List.copyOf(ps);
        seed(seed);
    }

    public String name() { return name; }

    /** Every node in execution order, model inputs included. */
    public List<Node> nodes() { return order; }

    /** The layers in execution order. */
    public List<Layer> layers() { return layers; }

    /** The layer called {@code layerName}. */
    public Layer layer(String layerName) {
        for (Layer l : layers) {
            if (l.name().equals(layerName)) {
                return l;
            }
        }
        throw new ShapeException(name + ": no layer called '" + layerName + "'");
    }

    /** The per-sample shape of each input. */
    public List<int[]> inputShapes() {
        List<int[]> r = new ArrayList<>();
        for (Node n : inputs) {
            r.add(n.shape());
        }
        return r;
    }

    /** The per-sample output shape. */
    public int[] outputShape() { return output.shape(); }

    /** Every parameter, in layer order: what an optimizer iterates (it skips the non-trainable ones). */
    public List<Parameter> parameters() { return parameters; }

    /** The parameters an optimizer updates. */
    public List<Parameter> trainableParameters() {
        List<Parameter> r = new ArrayList<>();
        for (Parameter p : parameters) {
            if (p.trainable()) {
                r.add(p);
            }
        }
        return Collections.unmodifiableList(r);
    }

    /** Total parameter count, trainable and not (Keras's "Total params"). */
    public long countParameters() {
        long s = 0;
        for (Parameter p : parameters) {
            s += p.size();
        }
        return s;
    }

    /** Trainable parameter count. */
    public long countTrainableParameters() {
        long s = 0;
        for (Parameter p : parameters) {
            if (p.trainable()) {
                s += p.size();
            }
        }
        return s;
    }

    /** Re-seeds every parameter (drawn again on next use) and every random layer. */
    public void seed(long seed) {
        for (Parameter p : parameters) {
            p.seed(seed);
        }
        for (Layer l : layers) {
            l.seed(seed);
        }
    }

    /** Training mode (batch statistics, dropout) or inference mode (the default). */
    public void setTraining(boolean t) {
        this.training = t;
        for (Layer l : layers) {
            l.setTraining(t);
        }
    }

    public boolean training() { return training; }

    /** The output for {@code x} (one per model input), batch first. */
    public NdArray forward(NdArray... x) {
        if (x == null || x.length != inputs.size()) {
            throw new ShapeException(name + ": expected " + inputs.size() + " input(s), got " + (x == null ? 0 : x.length));
        }
        Map<Node, NdArray> values = new IdentityHashMap<>();
        int[] batch = new int[inputs.size()];
        for (int i = 0; i < x.length; i++) {
            int[] want = inputs.get(i).shape();
            int[] got = x[i] == null ? null : x[i].shape();
            if (got == null || got.length != want.length + 1
                    || !java.util.Arrays.equals(Shapes.withoutBatch(got), want) || got[0] < 1) {
                throw new ShapeException(name + ": input " + i + " must have shape " + Shapes.batched(want)
                        + ", got " + (got == null ? "null" : Shapes.python(got)));
            }
            batch[i] = got[0];
            values.put(inputs.get(i), x[i]);
        }
        for (Node n : order) {
            if (n.isInput()) {
                continue;
            }
            NdArray[] args = new NdArray[n.inputs().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = values.get(n.inputs().get(i));
            }
            values.put(n, n.layer().forward(args));
        }
        lastBatch = batch;
        return values.get(output);
    }

    /**
     * Back-propagates {@code dy}, the loss gradient w.r.t. the last forward output: sets every
     * parameter's gradient (overwriting the previous one) and adds the regularizers' gradients, so
     * the gradients are those of {@code loss + regularizationLoss()}. Returns the gradient w.r.t.
     * each model input.
     */
    public NdArray[] backward(NdArray dy) {
        if (lastBatch == null) {
            throw new IllegalStateException(name + ": backward needs a forward pass first");
        }
        int[] want = Shapes.withBatch(lastBatch[0], output.shape());
        if (dy == null || !java.util.Arrays.equals(dy.shape(), want)) {
            throw new ShapeException(name + ": output gradient must have shape " + Shapes.python(want) + ", got "
                    + (dy == null ? "null" : Shapes.python(dy.shape())));
        }
        Map<Node, NdArray> grads = new IdentityHashMap<>();
        grads.put(output, dy);
        for (int k = order.size() - 1; k >= 0; k--) {
            Node n = order.get(k);
            NdArray g = grads.get(n);
            if (n.isInput() || g == null) {
                continue;
            }
            NdArray[] dx = n.layer().backward(g);
            for (int i = 0; i < dx.length; i++) {
                grads.merge(n.inputs().get(i), dx[i], Model::sum);
            }
        }
        for (Parameter p : parameters) {
            if (p.trainable() && p.regularizer() != null) {
                p.regularizer().addGradient(p.value(), p.gradient());
            }
        }
        NdArray[] r = new NdArray[inputs.size()];
        for (int i = 0; i < r.length; i++) {
            NdArray g = grads.get(inputs.get(i));
            r[i] = g != null ? g : new NdArray(Shapes.withBatch(lastBatch[i], inputs.get(i).shape()),
                    new float[lastBatch[i] * Shapes.product(inputs.get(i).shape())]);
        }
        return r;
    }

    /** A new array: gradients reaching a node along two paths add up (never written into a shared one). */
    private static NdArray sum(NdArray a, NdArray b) {
        float[] s = new float[a.size()];
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < s.length; i++) {
            s[i] = x[i] + y[i];
        }
        return new NdArray(a.shape(), s);
    }

    /** The sum of every regularizer's penalty: add it to the loss. */
    public double regularizationLoss() {
        double s = 0;
        for (Parameter p : parameters) {
            s += p.penalty();
        }
        return s;
    }

    /** Applies every parameter's constraint: call after each optimizer step. */
    public void applyConstraints() {
        for (Parameter p : parameters) {
            p.applyConstraint();
        }
    }

    @Override
    public String toString() {
        return "Model[" + name + ", " + layers.size() + " layers, " + countParameters() + " params]";
    }
}
