package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.Pool;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.PoolSpec;
import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/**
 * The base of {@link MaxPool} and {@link AvgPool}: Keras's {@code pool_size}, {@code strides}
 * (default: the pool size), {@code padding} ({@code valid}) and {@code data_format}. The number of
 * pool sizes gives the rank: {@code new MaxPool(2, 2)} is 2-D, {@code new MaxPool(3)} 1-D, and
 * EffNet's "1-D" pooling of a 2-D tensor is {@code new MaxPool(2, 1)}.
 *
 * @param <T> the concrete layer
 */
public abstract class PoolingLayer<T extends PoolingLayer<T>> extends Layer {
    private final PoolSpec.Kind kind;
    private final int[] poolSize;
    private int[] strides;
    private Padding padding = Padding.valid();
    private Layout dataFormat = Layout.CHANNELS_LAST;
    private Pool op;
    private NdArray lastX;

    protected PoolingLayer(PoolSpec.Kind kind, int[] poolSize) {
        this.kind = kind;
        if (poolSize == null || poolSize.length < 1 || poolSize.length > 3) {
            throw new ShapeException(kind.op() + ": pool_size must have 1 to 3 values, got "
                    + (poolSize == null ? "null" : Arrays.toString(poolSize)));
        }
        for (int p : poolSize) {
            if (p < 1) {
                throw new ShapeException(kind.op() + ": pool_size must be >= 1, got " + Arrays.toString(poolSize));
            }
        }
        this.poolSize = poolSize.clone();
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** One stride per axis, or one for all (default: the pool size). */
    public T strides(int... s) {
        requireUnbuilt();
        this.strides = s == null ? null : s.clone();
        return self();
    }

    /** {@code valid}, {@code same} or explicit. */
    public T padding(Padding p) {
        requireUnbuilt();
        this.padding = p;
        return self();
    }

    /** Keras's spelling: {@code "valid"} or {@code "same"}. */
    public T padding(String keras) {
        return padding(Padding.parse(keras, poolSize.length));
    }

    /** Where the channels are (default channels last). */
    public T dataFormat(Layout layout) {
        requireUnbuilt();
        if (layout == null) {
            throw new ShapeException(who() + ": data_format must not be null");
        }
        this.dataFormat = layout;
        return self();
    }

    public T dataFormat(String keras) {
        return dataFormat(Shapes.dataFormat(keras));
    }

    public int[] poolSize() { return poolSize.clone(); }

    /** Keras's class name with the rank: {@code MaxPooling2D}. */
    protected final String typeName(String base) {
        return base + poolSize.length + "D";
    }

    private PoolSpec spec(int batch) {
        return PoolSpec.builder(kind, dataFormat, Shapes.withBatch(batch, inputShapes()[0])).pool(poolSize)
                .stride(strides).padding(padding).build();
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        int[] in = shapes[0];
        if (in.length != poolSize.length + 1) {
            throw new ShapeException(who() + ": input must have " + (poolSize.length + 1) + " axes ("
                    + dataFormat.name(poolSize.length).substring(1) + ") per sample, got " + Shapes.python(in));
        }
        PoolSpec s = PoolSpec.builder(kind, dataFormat, Shapes.withBatch(1, in)).pool(poolSize).stride(strides)
                .padding(padding).build();
        return Shapes.withoutBatch(s.outputShape());
    }

    private Pool op(int batch) {
        if (op == null || op.spec().batch() != batch) {
            op = Pool.of(spec(batch));
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        Pool p = op(n);
        lastX = inputs[0];
        return new NdArray(p.spec().outputShape(), p.forward(inputs[0].data()));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        checkInput(dy, outputShape(), "output gradient");
        return new NdArray[] {new NdArray(x.shape(), op(x.shape()[0]).backward(x.data(), dy.data()))};
    }
}
