package dev.depthwise.bench;

/** One contender of a layer's race: runs the layer on one of its rotating buffers. */
interface Side {
    /** One forward pass on input buffer {@code buffer}, into output buffer {@code buffer}. */
    void run(int buffer) throws Exception;

    /** The output of the last run on {@code buffer}, as NCHW. */
    float[] outputNchw(int buffer);
}
