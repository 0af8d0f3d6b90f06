package dev.depthwise.train.checkpoint;

import dev.depthwise.nn.Model;
import dev.depthwise.nn.Parameter;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a model's parameters and state (trainable weights and BatchNorm's moving statistics),
 * optionally of an optimizer's state (its slots and step count), and string metadata (the epoch, the
 * seed, how to rebuild the model), saved and loaded with {@link CheckpointFile}.
 *
 * <pre>{@code
 * Checkpoint.of(model, optimizer, Map.of(Checkpoint.EPOCH, "3")).save(Path.of("run.ckpt"));
 * Checkpoint c = Checkpoint.load(Path.of("run.ckpt"));   // checks the whole file
 * c.restore(model, optimizer);                            // checks everything, then writes
 * }</pre>
 *
 * <p><b>All or nothing</b>: {@link #restore} checks that the checkpoint holds every parameter of the
 * model with its exact shape and nothing else, and that the optimizer state fits, before it changes
 * anything; on an error the model and optimizer are as they were. Tensors are named
 * {@code model/<layer>/<weight>} and {@code optimizer/<slot>/<layer>/<weight>}. Instances are immutable.
 */
public final class Checkpoint {
    /** Metadata key: the model's name. */
    public static final String MODEL = "model.name";
    /** Metadata key: the optimizer's name ({@link Optimizer#name()}), present when its state is saved. */
    public static final String OPTIMIZER = "optimizer.name";
    /** Metadata key: the optimizer's steps taken. */
    public static final String OPTIMIZER_STEPS = "optimizer.steps";
    /** Metadata key, by convention: epochs completed. */
    public static final String EPOCH = "train.epoch";

    private static final String MODEL_PREFIX = "model/";
    private static final String OPTIMIZER_PREFIX = "optimizer/";

    private final String source;
    private final CheckpointFile.Contents contents;

    private Checkpoint(String source, CheckpointFile.Contents contents) {
        this.source = source;
        this.contents = contents;
    }

    /**
     * A snapshot of {@code model} (every parameter, trainable or not), of {@code optimizer}'s state if it
     * is not null, and of {@code metadata} (the keys above are filled in and may not be given).
     */
    public static Checkpoint of(Model model, Optimizer optimizer, Map<String, String> metadata) {
        if (model == null) {
            throw new ShapeException("checkpoint: model must not be null");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(MODEL, model.name());
        if (optimizer != null) {
            meta.put(OPTIMIZER, optimizer.name());
            meta.put(OPTIMIZER_STEPS, Long.toString(optimizer.steps()));
        }
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (meta.containsKey(e.getKey())) {
                    throw new ShapeException("checkpoint: metadata key '" + e.getKey() + "' is set by the checkpoint itself");
                }
                meta.put(e.getKey(), e.getValue());
            }
        }
        Map<String, CheckpointFile.Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(MODEL_PREFIX + p.name(), new CheckpointFile.Tensor(p.shape(), p.value().clone()));
        }
        if (optimizer != null) {
            Map<String, int[]> shapes = new LinkedHashMap<>();
            for (Parameter p : optimizer.parameters()) {
                shapes.put(p.name(), p.shape());
            }
            for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
                String param = e.getKey().substring(e.getKey().indexOf('/') + 1);
                tensors.put(OPTIMIZER_PREFIX + e.getKey(), new CheckpointFile.Tensor(shapes.get(param), e.getValue()));
            }
        }
        return new Checkpoint("checkpoint", new CheckpointFile.Contents(meta, tensors));
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws CheckpointFormatException if it is not a valid checkpoint (not one, newer, truncated, corrupted)
     * @throws IOException if it cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        return new Checkpoint(String.valueOf(file), CheckpointFile.read(file));
    }

    /** Writes the checkpoint to {@code file}, atomically. */
    public void save(Path file) throws IOException {
        CheckpointFile.write(file, contents);
    }

    /** The metadata, in the order written. */
    public Map<String, String> metadata() {
        return contents.metadata();
    }

    /** A metadata value, or {@code fallback} when absent. */
    public String metadata(String key, String fallback) {
        return contents.metadata().getOrDefault(key, fallback);
    }

    /** The names of the model's tensors ({@code layer/weight}), in order. */
    public java.util.List<String> parameterNames() {
        return contents.tensors().keySet().stream().filter(k -> k.startsWith(MODEL_PREFIX))
                .map(k -> k.substring(MODEL_PREFIX.length())).toList();
    }

    /** A copy of the stored values of parameter {@code name} ({@code layer/weight}). */
    public float[] parameter(String name) {
        CheckpointFile.Tensor t = contents.tensors().get(MODEL_PREFIX + name);
        if (t == null) {
            throw new ShapeException(source + ": no parameter '" + name + "'");
        }
        return t.values().clone();
    }

    /** True when optimizer state was saved. */
    public boolean hasOptimizerState() {
        return contents.metadata().containsKey(OPTIMIZER);
    }

    /** Loads the parameters into {@code model} only (for evaluation or fine-tuning); see {@link #restore(Model, Optimizer)}. */
    public void restore(Model model) {
        restore(model, null);
    }

    /**
     * Loads the parameters into {@code model} and, if {@code optimizer} is not null, its state into the
     * optimizer. Checks everything first; on an error nothing is changed.
     *
     * @throws ShapeException naming the checkpoint, the tensor and the mismatch, if the checkpoint does
     *     not fit the model (a parameter missing, extra or of another shape) or the optimizer (another kind,
     *     no saved state, state that does not fit)
     */
    public void restore(Model model, Optimizer optimizer) {
        if (model == null) {
            throw new ShapeException(source + ": model must not be null");
        }
        // 1. The model: every parameter with its shape, nothing more.
        Map<String, CheckpointFile.Tensor> tensors = contents.tensors();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Parameter p : model.parameters()) {
            String key = MODEL_PREFIX + p.name();
            names.add(key);
            CheckpointFile.Tensor t = tensors.get(key);
            if (t == null) {
                throw new ShapeException(source + ": has no parameter " + p.name() + " " + Arrays.toString(p.shape())
                        + " of model " + model.name() + " (it was saved from model '" + metadata(MODEL, "?") + "')");
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new ShapeException(source + ": parameter " + p.name() + " has shape " + Arrays.toString(t.shape())
                        + ", model " + model.name() + " needs " + Arrays.toString(p.shape()));
            }
        }
        for (String key : tensors.keySet()) {
            if (key.startsWith(MODEL_PREFIX) && !names.contains(key)) {
                throw new ShapeException(source + ": parameter " + key.substring(MODEL_PREFIX.length())
                        + " is not in model " + model.name() + " (it was saved from model '" + metadata(MODEL, "?") + "')");
            }
        }
        // 2. The optimizer: same kind, then its own all-or-nothing load (it checks before it writes).
        if (optimizer != null) {
            String saved = metadata(OPTIMIZER, null);
            if (saved == null) {
                throw new ShapeException(source + ": holds no optimizer state (it was saved without an optimizer)");
            }
            if (!saved.equals(optimizer.name())) {
                throw new ShapeException(source + ": holds the state of optimizer " + saved + ", the run uses "
                        + optimizer.name());
            }
            long steps;
            try {
                steps = Long.parseLong(metadata(OPTIMIZER_STEPS, ""));
            } catch (NumberFormatException e) {
                throw new ShapeException(source + ": metadata " + OPTIMIZER_STEPS + " must be a whole number, got '"
                        + metadata(OPTIMIZER_STEPS, "") + "'");
            }
            Map<String, float[]> state = new LinkedHashMap<>();
            for (Map.Entry<String, CheckpointFile.Tensor> e : tensors.entrySet()) {
                if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                    state.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue().values());
                }
            }
            try {
                optimizer.loadState(state, steps);
            } catch (ShapeException e) {
                throw new ShapeException(source + ": " + e.getMessage());
            }
        }
        // 3. Nothing can fail any more: write the parameters.
        for (Parameter p : model.parameters()) {
            p.set(tensors.get(MODEL_PREFIX + p.name()).values());
        }
    }

    @Override
    public String toString() {
        return source + ": " + parameterNames().size() + " parameters" + (hasOptimizerState() ? " + "
                + metadata(OPTIMIZER, "?") + " state" : "") + ", metadata " + metadata();
    }
}
