package dev.depthwise.train;

import dev.depthwise.spec.ShapeException;

/**
 * Fits a data set's images to a model's input, batch by batch: a bilinear resize (half-pixel centres,
 * as PyTorch's {@code interpolate(align_corners=False)} and TensorFlow 2's {@code resize}) and grey to
 * colour by repeating the one channel, so the 28 x 28 x 1 digits can feed a zoo model built for, say,
 * 32 x 32 x 3. Working per batch keeps memory small where a whole resized data set would not fit.
 * Images are NHWC. Immutable and thread-safe.
 */
public final class InputAdapter {
    private final int inH, inW, inC, outH, outW, outC;

    private InputAdapter(int inH, int inW, int inC, int outH, int outW, int outC) {
        this.inH = inH;
        this.inW = inW;
        this.inC = inC;
        this.outH = outH;
        this.outW = outW;
        this.outC = outC;
    }

    /**
     * An adapter from {@code h x w x c} images to {@code [outH, outW, outC]}.
     *
     * @throws ShapeException if a size is not positive, or the channels are neither equal nor 1 to many
     */
    public static InputAdapter of(int h, int w, int c, int[] modelInput) {
        if (modelInput == null || modelInput.length != 3) {
            throw new ShapeException("input adapter: the model input must be [height, width, channels] (NHWC images), "
                    + "got " + (modelInput == null ? "null" : java.util.Arrays.toString(modelInput)));
        }
        int[] all = {h, w, c, modelInput[0], modelInput[1], modelInput[2]};
        String[] names = {"image height", "image width", "image channels", "model input height", "model input width",
            "model input channels"};
        for (int i = 0; i < all.length; i++) {
            if (all[i] < 1) {
                throw new ShapeException("input adapter: " + names[i] + " must be >= 1, got " + all[i]);
            }
        }
        if (c != modelInput[2] && c != 1) {
            throw new ShapeException("input adapter: images with " + c + " channels cannot feed a model with "
                    + modelInput[2] + " input channels (only equal counts, or 1 channel repeated, are supported)");
        }
        return new InputAdapter(h, w, c, modelInput[0], modelInput[1], modelInput[2]);
    }

    /** True when images pass through unchanged. */
    public boolean identity() {
        return inH == outH && inW == outW && inC == outC;
    }

    /** The images' per-sample shape. */
    public int[] inputShape() {
        return new int[] {inH, inW, inC};
    }

    /** The model's per-sample input shape. */
    public int[] outputShape() {
        return new int[] {outH, outW, outC};
    }

    /**
     * The {@code n} images of {@code images} fitted to the model's input; the array itself when nothing
     * changes.
     *
     * @throws ShapeException if the array does not hold {@code n} images of the input size
     */
    public float[] apply(float[] images, int n) {
        long need = (long) n * inH * inW * inC;
        if (images == null || n < 0 || images.length != need) {
            throw new ShapeException("input adapter: images must hold " + n + " x " + inH + "x" + inW + "x" + inC
                    + " = " + need + " floats, got " + (images == null ? "null" : images.length));
        }
        if (identity()) {
            return images;
        }
        long outLen = (long) n * outH * outW * outC;
        if (outLen > Integer.MAX_VALUE - 8) {
            throw new ShapeException("input adapter: " + n + " images of " + outH + "x" + outW + "x" + outC
                    + " do not fit one Java array; use a smaller batch");
        }
        float[] out = new float[(int) outLen];
        double sy = (double) inH / outH;
        double sx = (double) inW / outW;
        for (int b = 0; b < n; b++) {
            int src = b * inH * inW * inC;
            int dst = b * outH * outW * outC;
            for (int y = 0; y < outH; y++) {
                double fy = Math.max(0, (y + 0.5) * sy - 0.5);
                int y0 = Math.min((int) fy, inH - 1);
                int y1 = Math.min(y0 + 1, inH - 1);
                double wy = fy - y0;
                for (int x = 0; x < outW; x++) {
                    double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                    int x0 = Math.min((int) fx, inW - 1);
                    int x1 = Math.min(x0 + 1, inW - 1);
                    double wx = fx - x0;
                    for (int ch = 0; ch < outC; ch++) {
                        int k = inC == 1 ? 0 : ch;
                        double top = images[src + (y0 * inW + x0) * inC + k] * (1 - wx)
                                + images[src + (y0 * inW + x1) * inC + k] * wx;
                        double bottom = images[src + (y1 * inW + x0) * inC + k] * (1 - wx)
                                + images[src + (y1 * inW + x1) * inC + k] * wx;
                        out[dst + (y * outW + x) * outC + ch] = (float) (top * (1 - wy) + bottom * wy);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return inH + "x" + inW + "x" + inC + " -> " + outH + "x" + outW + "x" + outC;
    }
}
