package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.Conv;
import dev.depthwise.op.ConvGradients;
import dev.depthwise.spec.ConvSpec;
import java.util.List;

/**
 * A convolution layer that is one {@link Conv} op with a kernel and an optional bias: the
 * depthwise ({@link DepthwiseConvolution}) and the full or grouped ({@link GroupedConvolution})
 * layers, which differ only in how channels are arranged and in their kernel's Keras name. Keeps
 * one op per batch size and the last input for the backward pass.
 *
 * @param <T> the concrete layer
 */
public abstract class SingleConvolution<T extends SingleConvolution<T>> extends ConvolutionLayer<T> {
    private Parameter kernel;
    private Parameter bias;
    private ConvSpec unitSpec;
    private Conv op;
    private NdArray lastX;

    protected SingleConvolution(int rank, int[] kernelSize) {
        super(rank, kernelSize);
    }

    /** {@code builder} with this layer's channel arrangement and output channels set. */
    protected abstract ConvSpec.Builder arrangeChannels(ConvSpec.Builder builder);

    /** Adds the kernel parameter, of {@code filterShape}, under the layer's Keras name and settings. */
    protected abstract Parameter addKernel(int[] filterShape);

    /** The kernel parameter (after build). */
    public Parameter kernel() { return kernel; }

    /** The {@code bias} parameter, or null without bias. */
    public Parameter bias() { return bias; }

    private ConvSpec spec(int batch, int[] shape) {
        return arrangeChannels(specBuilder(batch, shape)).activation(activation()).build();
    }

    @Override
    protected int[] build(int[][] shapes) {
        unitSpec = spec(1, singleInput(shapes));
        kernel = addKernel(unitSpec.filterShape());
        bias = addBias(unitSpec.outChannels());
        return Shapes.withoutBatch(unitSpec.outputShape());
    }

    private Conv op(int batch) {
        if (op == null || op.spec().batch() != batch) {
            op = Conv.of(spec(batch, inputShapes()[0]));
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        Conv c = op(n);
        lastX = inputs[0];
        float[] y = c.forward(inputs[0].data(), kernel.value(), bias == null ? null : bias.value());
        return new NdArray(c.spec().outputShape(), y);
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        Conv c = op(x.shape()[0]);
        checkInput(dy, outputShape(), "output gradient");
        ConvGradients g = c.backward(x.data(), kernel.value(), bias == null ? null : bias.value(), dy.data());
        kernel.setGradient(g.dfilter());
        if (bias != null) {
            bias.setGradient(g.dbias());
        }
        return new NdArray[] {new NdArray(x.shape(), g.dx())};
    }

    @Override
    public List<OpCost> costs() {
        return List.of(new OpCost(unitSpec.isDepthwise() ? OpCost.Kind.DEPTHWISE : OpCost.Kind.CONVOLUTION,
                unitSpec.kernel(), unitSpec.multAdds(), unitSpec.filterLength()));
    }
}
