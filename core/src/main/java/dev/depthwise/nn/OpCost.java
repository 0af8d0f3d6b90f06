package dev.depthwise.nn;

import dev.depthwise.spec.Checks;

/**
 * The cost of one weighted operation inside a layer, for cost accounting: its kind, kernel size,
 * multiply-adds of one forward pass on one sample and kernel weights (biases excluded, as in the
 * MobileNets paper's Table 2). A separable convolution reports two: its depthwise and its
 * pointwise stage.
 *
 * @param kind      what sort of operation
 * @param kernel    the spatial kernel size ({@code [1, 1]} for a pointwise conv, empty for dense)
 * @param multAdds  multiply-adds of one forward pass on one sample
 * @param weights   kernel weights, biases excluded
 */
public record OpCost(Kind kind, int[] kernel, long multAdds, long weights) {

    /** The operation families the papers break costs down by. */
    public enum Kind {
        /** Full or grouped convolution (pointwise when the kernel is all ones). */
        CONVOLUTION,
        /** Depthwise convolution (groups equal to the input channels). */
        DEPTHWISE,
        /** Fully connected (dense) layer. */
        DENSE
    }

    public OpCost {
        kernel = kernel.clone();
    }

    @Override
    public int[] kernel() { return kernel.clone(); }

    /** True for a convolution whose kernel is 1 on every axis. */
    public boolean pointwise() {
        for (int k : kernel) {
            if (k != 1) {
                return false;
            }
        }
        return kind == Kind.CONVOLUTION;
    }

    /** The kernel as {@code 3x3}. */
    public String kernelText() {
        return Checks.shape(kernel);
    }
}
