package dev.depthwise.train.data;

import static dev.depthwise.train.data.DatasetsTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatcherTest {

    /** {@code n} images of 2x2x1 whose pixels all equal the image's index, label index % 3. */
    static Dataset tiny(int n) {
        float[] images = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(images, i * 4, i * 4 + 4, i);
            labels[i] = i % 3;
        }
        return new Dataset("tiny", images, labels, 2, 2, 1, 3);
    }

    static List<Batch> all(Iterable<Batch> epoch) {
        List<Batch> list = new ArrayList<>();
        epoch.forEach(list::add);
        return list;
    }

    static int[] order(Iterable<Batch> epoch) {
        return all(epoch).stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
    }

    @Test
    void inOrderWithAPartialLastBatch() {
        Batcher b = Batcher.of(tiny(10), 4);
        assertEquals(3, b.batchCount());
        assertEquals(10, b.imagesPerEpoch());
        List<Batch> batches = all(b.epoch(0));
        assertEquals(List.of(4, 4, 2), batches.stream().map(Batch::size).toList());
        Batch last = batches.get(2);
        assertArrayEquals(new int[] {8, 9}, last.indices());
        assertArrayEquals(new int[] {2, 0}, last.labels());
        assertArrayEquals(new float[] {8, 8, 8, 8, 9, 9, 9, 9}, last.images());
        assertArrayEquals(new int[] {2, 2, 2, 1}, last.shape());
    }

    @Test
    void dropLastLeavesOutThePartialBatch() {
        Batcher b = Batcher.of(tiny(10), 4).dropLast(true);
        assertEquals(2, b.batchCount());
        assertEquals(8, b.imagesPerEpoch());
        assertEquals(List.of(4, 4), all(b.shuffled(true).epoch(3)).stream().map(Batch::size).toList());
        assertEquals(2, Batcher.of(tiny(8), 4).dropLast(false).batchCount());
        assertEquals(2, Batcher.of(tiny(8), 4).dropLast(true).batchCount());
    }

    @Test
    void shufflingIsAPermutationRepeatableBySeedAndNewEachEpoch() {
        Batcher b = Batcher.of(tiny(100), 7).shuffled(true).seed(42);
        int[] e0 = order(b.epoch(0));
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(range(100), sorted);
        assertFalse(Arrays.equals(range(100), e0), "not shuffled");
        // Same seed, same epoch: same order, even from a new Batcher or a second pass.
        assertArrayEquals(e0, order(Batcher.of(tiny(100), 7).shuffled(true).seed(42).epoch(0)));
        assertArrayEquals(e0, order(b.epoch(0)));
        // Later epochs do not depend on earlier ones having been read.
        assertArrayEquals(order(b.epoch(5)), order(Batcher.of(tiny(100), 7).shuffled(true).seed(42).epoch(5)));
        assertFalse(Arrays.equals(e0, order(b.epoch(1))), "epochs 0 and 1 in the same order");
        assertFalse(Arrays.equals(e0, order(b.seed(43).epoch(0))), "seeds 42 and 43 in the same order");
        // Without shuffling the seed does not matter.
        assertArrayEquals(range(100), order(Batcher.of(tiny(100), 7).seed(9).epoch(4)));
    }

    @Test
    void augmentationIsRepeatableAndLeavesTheDatasetAlone() {
        Dataset d = tiny(20);
        float[] before = d.imageData().clone();
        Augmentation mark = (images, offset, h, w, c, random) -> images[offset] += random.nextInt(1000);
        Batcher b = Batcher.of(d, 6).shuffled(true).seed(7).augment(mark);
        List<Batch> first = all(b.epoch(2));
        List<Batch> again = all(b.epoch(2));
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i).images(), again.get(i).images());
        }
        assertNotEquals(Arrays.toString(first.get(0).images()), Arrays.toString(all(b.epoch(3)).get(0).images()));
        assertArrayEquals(before, d.imageData());
    }

    @Test
    void iteratorEndsCleanly() {
        Iterator<Batch> it = Batcher.of(tiny(3), 2).epoch(0).iterator();
        it.next();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void refusesBadSettings() {
        refused(() -> Batcher.of(null, 4), "data must not be null");
        refused(() -> Batcher.of(tiny(4), 0), "batchSize must be >= 1, got 0");
        refused(() -> Batcher.of(tiny(0), 1), "must not be empty");
        refused(() -> Batcher.of(tiny(4), 5).dropLast(true), "batchSize must be <= 4", "got 5");
        refused(() -> Batcher.of(tiny(4), 2).epoch(-1), "epoch must be >= 0, got -1");
        assertTrue(Batcher.of(tiny(4), 5).toString().startsWith("batches of 5 from tiny"));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
