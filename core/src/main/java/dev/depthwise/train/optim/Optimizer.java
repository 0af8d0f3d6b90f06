package dev.depthwise.train.optim;

import dev.depthwise.nn.Parameter;
import dev.depthwise.spec.ShapeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates a fixed list of trainable parameters from their gradients, one step per mini-batch, as
 * PyTorch's optimizers do: bound to the parameters at construction
 * ({@code new Sgd(model.trainableParameters(), ...)}), given the learning rate of each step by the
 * caller (a {@link dev.depthwise.train.schedule.LearningRateSchedule}).
 *
 * <p>Per-parameter state (momentum, Adam's moments) lives in named <em>slots</em>, one float array
 * per slot and parameter, allocated on the first step. {@link #state()} exposes them by name
 * ({@code slot/layer/weight}) with the step count, so a checkpoint can save and restore them and a
 * resumed run continues with the same numbers.
 *
 * <p>Updates run element by element in double and are stored as float; one thread, so the same
 * gradients always give the same weights.
 */
public abstract class Optimizer {
    private final String name;
    private final List<Parameter> parameters;
    private final String[] slotNames;
    /** slots[s][p]: slot s of parameter p, null until the first step. */
    private final float[][][] slots;
    private long steps;

    /**
     * @param name the optimizer's name ({@link #name()})
     * @param parameters the parameters to update (non-trainable ones are refused: an optimizer must never
     *     move BatchNorm's moving statistics)
     * @param slotNames the per-parameter state this optimizer keeps, e.g. {@code momentum}
     */
    protected Optimizer(String name, List<Parameter> parameters, String... slotNames) {
        this.name = name;
        if (parameters == null) {
            throw new ShapeException(name() + ": parameters must not be null");
        }
        List<Parameter> ps = new ArrayList<>(parameters.size());
        java.util.Set<Parameter> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (p == null) {
                throw new ShapeException(name() + ": parameters[" + i + "] must not be null");
            }
            if (!p.trainable()) {
                throw new ShapeException(name() + ": parameters[" + i + "] " + p.name()
                        + " is not trainable; pass model.trainableParameters()");
            }
            if (!seen.add(p)) {
                throw new ShapeException(name() + ": parameters[" + i + "] " + p.name() + " is listed twice");
            }
            ps.add(p);
        }
        this.parameters = List.copyOf(ps);
        this.slotNames = slotNames.clone();
        this.slots = new float[slotNames.length][ps.size()][];
    }

    /** The optimizer's name in messages and checkpoints: {@code sgd}, {@code adam}, {@code adamw}. */
    public final String name() {
        return name;
    }

    /** The parameters it updates, in the order given. */
    public final List<Parameter> parameters() {
        return parameters;
    }

    /** Steps taken so far (restored with the state). */
    public final long steps() {
        return steps;
    }

    /**
     * One update of every parameter from its current gradient, with learning rate {@code learningRate}.
     *
     * @throws ShapeException if the learning rate is negative, NaN or infinite
     */
    public final void step(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new ShapeException(name() + ": learning rate must be finite and >= 0, got " + learningRate);
        }
        steps++;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter param = parameters.get(p);
            float[][] state = new float[slotNames.length][];
            for (int s = 0; s < slotNames.length; s++) {
                if (slots[s][p] == null) {
                    slots[s][p] = new float[param.size()];
                }
                state[s] = slots[s][p];
            }
            update(param.value(), param.gradient(), state, learningRate, steps);
        }
    }

    /**
     * Updates one parameter in place.
     *
     * @param w the values
     * @param g the gradient (read only)
     * @param state this parameter's slots, in the order of the slot names given to the constructor
     * @param lr the learning rate
     * @param t the step number, from 1
     */
    protected abstract void update(float[] w, float[] g, float[][] state, double lr, long t);

    /**
     * The state to save: every allocated slot as {@code slot/parameter-name}, in parameter order. The
     * arrays are copies. Before the first step it is empty.
     */
    public final Map<String, float[]> state() {
        Map<String, float[]> r = new LinkedHashMap<>();
        for (int p = 0; p < parameters.size(); p++) {
            for (int s = 0; s < slotNames.length; s++) {
                if (slots[s][p] != null) {
                    r.put(slotNames[s] + "/" + parameters.get(p).name(), slots[s][p].clone());
                }
            }
        }
        return r;
    }

    /**
     * Restores {@link #state()} and the step count saved from an optimizer of the same kind over the same
     * parameters. Everything is checked first: on an error nothing changes.
     *
     * @throws ShapeException if a slot is unknown, missing, or of the wrong length, or steps is negative
     */
    public final void loadState(Map<String, float[]> state, long savedSteps) {
        if (state == null) {
            throw new ShapeException(name() + ": state must not be null");
        }
        if (savedSteps < 0) {
            throw new ShapeException(name() + ": steps must be >= 0, got " + savedSteps);
        }
        float[][][] fresh = new float[slotNames.length][parameters.size()][];
        int found = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter param = parameters.get(p);
            for (int s = 0; s < slotNames.length; s++) {
                String key = slotNames[s] + "/" + param.name();
                float[] v = state.get(key);
                if (v == null) {
                    continue;
                }
                if (v.length != param.size()) {
                    throw new ShapeException(name() + ": state " + key + " must have " + param.size()
                            + " elements (the parameter's " + Arrays.toString(param.shape()) + "), got " + v.length);
                }
                fresh[s][p] = v.clone();
                found++;
            }
        }
        if (found != state.size()) {
            List<String> unknown = new ArrayList<>();
            for (String k : state.keySet()) {
                if (!knows(k)) {
                    unknown.add(k);
                }
            }
            throw new ShapeException(name() + ": state has entries this optimizer does not keep: " + unknown
                    + " (slots " + Arrays.toString(slotNames) + " of " + parameters.size() + " parameters)");
        }
        // A step taken means every slot exists (they are allocated together); a partial state is a bug or a mix-up.
        if (savedSteps > 0 && found != slotNames.length * parameters.size()) {
            throw new ShapeException(name() + ": state after " + savedSteps + " steps must hold "
                    + slotNames.length * parameters.size() + " slots (" + Arrays.toString(slotNames) + " for each of "
                    + parameters.size() + " parameters), got " + found);
        }
        for (int s = 0; s < slotNames.length; s++) {
            System.arraycopy(fresh[s], 0, slots[s], 0, parameters.size());
        }
        steps = savedSteps;
    }

    private boolean knows(String key) {
        for (String s : slotNames) {
            for (Parameter p : parameters) {
                if (key.equals(s + "/" + p.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Checks a hyper-parameter: finite and in {@code [min, max]} (or {@code [min, max)} when {@code openMax}). */
    protected static double check(String optimizer, String name, double value, double min, double max, boolean openMax) {
        boolean ok = Double.isFinite(value) && value >= min && (openMax ? value < max : value <= max);
        if (!ok) {
            throw new ShapeException(optimizer + ": " + name + " must be in [" + min + ", " + max + (openMax ? ")" : "]")
                    + ", got " + value);
        }
        return value;
    }

    /** A one-line description with the hyper-parameters, for logs and checkpoints. */
    @Override
    public abstract String toString();
}
