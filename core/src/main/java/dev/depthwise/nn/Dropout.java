package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.DropoutMask;
import dev.depthwise.spec.ShapeException;
import java.util.SplittableRandom;

/**
 * Keras's {@code Dropout(rate)}: in training mode each element is zeroed with probability
 * {@code rate} and the rest scaled by {@code 1 / (1 - rate)}; in inference mode it passes x through.
 * The masks come from a generator seeded by the model's seed and the layer's name (or
 * {@link #seed(long) a seed of its own}), so a seeded run repeats.
 */
public final class Dropout extends Layer {
    private final DropoutMask op;
    private Long ownSeed;
    private SplittableRandom random;
    private float[] lastMask;
    private int[] lastShape;

    /** Dropout of a fraction {@code rate} in [0, 1) of the elements during training. */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new ShapeException("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.op = DropoutMask.of((float) rate);
    }

    @Override
    public String type() {
        return "Dropout";
    }

    public double rate() {
        return op.rate();
    }

    /** Keras {@code seed}: this layer's masks come from {@code s} instead of the model's seed. */
    public Dropout withSeed(long s) {
        requireUnbuilt();
        this.ownSeed = s;
        return this;
    }

    @Override
    protected void seed(long modelSeed) {
        random = randomFor(ownSeed != null ? ownSeed : modelSeed);
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        return shapes[0].clone();
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        checkInput(inputs[0], inputShapes()[0], "input");
        lastShape = inputs[0].shape();
        if (!training() || op.rate() == 0) {
            lastMask = null;
            return inputs[0];
        }
        if (random == null) {
            random = randomFor(ownSeed != null ? ownSeed : 0);
        }
        lastMask = op.mask(inputs[0].size(), random);
        return new NdArray(lastShape, op.apply(inputs[0].data(), lastMask));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        remembered(lastShape);
        checkInput(dy, outputShape(), "output gradient");
        return new NdArray[] {lastMask == null ? dy : new NdArray(lastShape, op.apply(dy.data(), lastMask))};
    }
}
