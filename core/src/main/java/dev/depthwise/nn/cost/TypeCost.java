package dev.depthwise.nn.cost;

/**
 * One row of the breakdown by layer type, the MobileNets paper's Table 2: the multiply-adds and
 * kernel weights of every operation of a kind, and their shares of the model's totals over those
 * kinds. As in the paper, weights exclude biases and batch norm, and the shares are taken over the
 * convolution and fully connected layers only.
 *
 * @param kind          {@code Conv 1x1}, {@code Conv DW 3x3}, {@code Conv 3x3}, {@code Fully Connected}...
 * @param multAdds      their multiply-adds
 * @param weights       their kernel weights
 * @param multAddsShare fraction of the counted multiply-adds, in [0, 1]
 * @param weightsShare  fraction of the counted weights, in [0, 1]
 */
public record TypeCost(String kind, long multAdds, long weights, double multAddsShare, double weightsShare) {
}
