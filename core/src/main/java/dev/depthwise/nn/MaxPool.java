package dev.depthwise.nn;

import dev.depthwise.spec.PoolSpec;

/**
 * Keras's {@code MaxPooling1D/2D/3D}; the rank is the number of pool sizes. Xception's
 * {@code new MaxPool(3, 3).strides(2).padding("same")}; EffNet's 1-D pooling {@code new MaxPool(2, 1)}.
 */
public final class MaxPool extends PoolingLayer<MaxPool> {

    /** Max pooling with window {@code poolSize} (one value per spatial axis). */
    public MaxPool(int... poolSize) {
        super(PoolSpec.Kind.MAX, poolSize);
    }

    @Override
    public String type() {
        return typeName("MaxPooling");
    }
}
