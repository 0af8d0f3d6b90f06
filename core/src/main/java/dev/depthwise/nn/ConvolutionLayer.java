package dev.depthwise.nn;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/**
 * What every convolution layer shares, with Keras's names and defaults: {@code kernel_size},
 * {@code strides} (1), {@code padding} ({@code valid}), {@code dilation_rate} (1), {@code data_format}
 * ({@code channels_last}), {@code activation} (none), {@code use_bias} (true) and the bias's
 * initializer (zeros), regularizer and constraint. Kernels are stored in Keras's layout (spatial
 * axes first, output channels last).
 *
 * @param <T> the concrete layer, so the fluent setters return it
 */
public abstract class ConvolutionLayer<T extends ConvolutionLayer<T>> extends Layer {
    private final int rank;
    private int[] kernelSize;
    private int[] strides = {1};
    private int[] dilationRate = {1};
    private Padding padding = Padding.valid();
    private Layout dataFormat = Layout.CHANNELS_LAST;
    private Activation activation = Activation.NONE;
    private boolean useBias = true;
    private Initializer biasInitializer = Initializer.zeros();
    private Regularizer biasRegularizer;
    private Constraint biasConstraint;
    private int resolvedRank;

    /**
     * A convolution of {@code rank} spatial axes (0: any, taken from the input, for pointwise) with
     * {@code kernelSize} (one value for all axes, or one per axis; null for all ones).
     */
    protected ConvolutionLayer(int rank, int[] kernelSize) {
        this.rank = rank;
        if (kernelSize != null) {
            // not type(): a subclass is not initialized while this constructor runs
            String who = getClass().getSimpleName();
            if (kernelSize.length != 1 && kernelSize.length != rank) {
                throw new ShapeException(who + ": kernel_size must have 1 or " + rank + " values, got "
                        + Arrays.toString(kernelSize));
            }
            for (int k : kernelSize) {
                if (k < 1) {
                    throw new ShapeException(who + ": kernel_size must be >= 1, got " + Arrays.toString(kernelSize));
                }
            }
            this.kernelSize = kernelSize.clone();
        }
    }

    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    /** One stride for every spatial axis, or one per axis (Keras {@code strides}). */
    public T strides(int... s) {
        requireUnbuilt();
        this.strides = s == null ? null : s.clone();
        return self();
    }

    /** {@code valid}, {@code same}, {@code causal} (1-D) or explicit padding. */
    public T padding(Padding p) {
        requireUnbuilt();
        this.padding = p;
        return self();
    }

    /** Keras's spelling: {@code "valid"}, {@code "same"}, {@code "causal"}. */
    public T padding(String keras) {
        return padding(Padding.parse(keras, rank == 0 ? 1 : rank));
    }

    /** One dilation for every spatial axis, or one per axis (Keras {@code dilation_rate}). */
    public T dilationRate(int... d) {
        requireUnbuilt();
        this.dilationRate = d == null ? null : d.clone();
        return self();
    }

    /** Where the channels are: {@link Layout#CHANNELS_LAST} (default) or {@link Layout#CHANNELS_FIRST}. */
    public T dataFormat(Layout layout) {
        requireUnbuilt();
        if (layout == null) {
            throw new ShapeException(who() + ": data_format must not be null");
        }
        this.dataFormat = layout;
        return self();
    }

    /** Keras's spelling: {@code "channels_last"} or {@code "channels_first"}. */
    public T dataFormat(String keras) {
        return dataFormat(Shapes.dataFormat(keras));
    }

    /** The activation applied to the output (fused into the convolution). */
    public T activation(Activation a) {
        requireUnbuilt();
        if (a == null) {
            throw new ShapeException(who() + ": activation must not be null");
        }
        this.activation = a;
        return self();
    }

    /** Keras's spelling: {@code "relu"}, {@code "relu6"}, {@code "sigmoid"}, {@code "hard_swish"}, {@code "linear"}. */
    public T activation(String keras) {
        return activation(Activation.parse(keras, Activation.DEFAULT_LEAKY_ALPHA));
    }

    /** Whether the layer adds a bias (Keras {@code use_bias}, default true). */
    public T useBias(boolean b) {
        requireUnbuilt();
        this.useBias = b;
        return self();
    }

    /** Keras {@code bias_initializer} (default zeros). */
    public T biasInitializer(Initializer init) {
        requireUnbuilt();
        this.biasInitializer = init;
        return self();
    }

    public T biasInitializer(String keras) {
        return biasInitializer(Initializer.parse(keras));
    }

    /** Keras {@code bias_regularizer}. */
    public T biasRegularizer(Regularizer r) {
        requireUnbuilt();
        this.biasRegularizer = r;
        return self();
    }

    /** Keras {@code bias_constraint}. */
    public T biasConstraint(Constraint c) {
        requireUnbuilt();
        this.biasConstraint = c;
        return self();
    }

    public Padding padding() { return padding; }

    public Layout dataFormat() { return dataFormat; }

    public Activation activation() { return activation; }

    public boolean useBias() { return useBias; }

    /** The kernel size per spatial axis (after build for a pointwise layer). */
    public int[] kernelSize() {
        int r = rank == 0 ? resolvedRank : rank;
        int[] k = new int[r];
        for (int a = 0; a < r; a++) {
            k[a] = kernelSize == null ? 1 : kernelSize[kernelSize.length == 1 ? 0 : a];
        }
        return k;
    }

    public int[] strides() { return strides == null ? null : strides.clone(); }

    public int[] dilationRate() { return dilationRate == null ? null : dilationRate.clone(); }

    /** Checks the single input's rank and remembers it; returns the input shape. */
    protected final int[] singleInput(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        int[] in = shapes[0];
        int spatial = in.length - 1;
        if (rank == 0 ? spatial < 1 || spatial > 3 : spatial != rank) {
            String expected = rank == 0 ? "2 to 4 axes (1 to 3 spatial, channels)"
                    : (rank + 1) + " axes (" + dataFormat.name(rank).substring(1) + ")";
            throw new ShapeException(who() + ": input must have " + expected + " per sample, got "
                    + Shapes.python(in));
        }
        resolvedRank = spatial;
        return in;
    }

    /**
     * A spec builder for a batch of {@code batch} inputs of per-sample {@code shape}, with every
     * setting but the channel arrangement (depthwise, grouped...).
     */
    protected final ConvSpec.Builder specBuilder(int batch, int[] shape) {
        return ConvSpec.builder(dataFormat, Shapes.withBatch(batch, shape)).kernel(kernelSize())
                .stride(strides).dilation(dilationRate).padding(padding);
    }

    /** The bias initializer, regularizer and constraint, for {@code addParameter}. */
    protected final Parameter addBias(int channels) {
        return useBias ? addParameter("bias", new int[] {channels}, true, biasInitializer, biasRegularizer,
                biasConstraint) : null;
    }
}
