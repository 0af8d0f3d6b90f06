package dev.depthwise.nn.cost;

import java.util.List;

/**
 * One row of a {@link Summary}: a layer (or the model input) with its output shape, parameters and
 * multiply-adds.
 *
 * @param name          the layer's name
 * @param type          its type ({@code DepthwiseConv2D}, {@code InputLayer}...)
 * @param outputShape   per-sample output shape
 * @param trainable     trainable parameters
 * @param nonTrainable  non-trainable parameters (BatchNorm's moving statistics)
 * @param multAdds      multiply-adds of one forward pass on one sample
 * @param inputs        the names of the layers it reads
 */
public record LayerCost(String name, String type, int[] outputShape, long trainable, long nonTrainable,
                        long multAdds, List<String> inputs) {

    public LayerCost {
        outputShape = outputShape.clone();
        inputs = List.copyOf(inputs);
    }

    @Override
    public int[] outputShape() { return outputShape.clone(); }

    /** All parameters, Keras's "Param #". */
    public long params() { return trainable + nonTrainable; }
}
