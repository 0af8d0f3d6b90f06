package dev.depthwise.train.data;

import dev.depthwise.spec.ShapeException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Cuts a {@link Dataset} into mini-batches, epoch by epoch: optionally in a shuffled order, optionally
 * augmented, keeping or dropping a last partial batch.
 *
 * <pre>{@code
 * Batcher batches = Batcher.of(split.train(), 64).shuffled(true).seed(42).augment(new RandomShift(2));
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (Batch b : batches.epoch(epoch)) { ... }
 * }
 * }</pre>
 *
 * <p><b>Repeatable</b>: the order of epoch {@code e} and every augmentation in it depend only on the seed
 * and {@code e}, not on what was read before, so the same seed gives the same batches, and a run resumed
 * at epoch {@code e} sees what an uninterrupted one would have. Each epoch has its own order. The
 * generator is {@link java.util.Random}, whose algorithm the JDK specifies, so the orders are the same
 * on every JDK.
 *
 * <p>Instances are immutable (each option method returns a new one) and may be shared; each iterator
 * belongs to one thread.
 */
public final class Batcher {
    private static final String OP = "batcher";

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffled;
    private final long seed;
    private final boolean dropLast;
    private final Augmentation augmentation;

    private Batcher(Dataset data, int batchSize, boolean shuffled, long seed, boolean dropLast, Augmentation augmentation) {
        if (data == null) {
            throw new ShapeException(OP + ": data must not be null");
        }
        if (batchSize < 1) {
            throw new ShapeException(OP + ": batchSize must be >= 1, got " + batchSize);
        }
        if (data.size() == 0) {
            throw new ShapeException(OP + ": data set '" + data.name() + "' must not be empty");
        }
        if (dropLast && batchSize > data.size()) {
            // Otherwise an epoch would silently have no batch at all.
            throw new ShapeException(OP + ": batchSize must be <= " + data.size() + " (the images in '" + data.name()
                    + "') when the last partial batch is dropped, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffled = shuffled;
        this.seed = seed;
        this.dropLast = dropLast;
        this.augmentation = augmentation;
    }

    /**
     * Batches of {@code batchSize} in the data set's order, the last one smaller if the size does not
     * divide, no augmentation, seed 0.
     *
     * @throws ShapeException if {@code data} is null or empty, or {@code batchSize < 1}
     */
    public static Batcher of(Dataset data, int batchSize) {
        return new Batcher(data, batchSize, false, 0, false, null);
    }

    /** Whether each epoch visits the images in a new random order (what training wants). */
    public Batcher shuffled(boolean shuffled) {
        return new Batcher(data, batchSize, shuffled, seed, dropLast, augmentation);
    }

    /** The seed of the shuffling and of the augmentations. */
    public Batcher seed(long seed) {
        return new Batcher(data, batchSize, shuffled, seed, dropLast, augmentation);
    }

    /**
     * Whether to leave out the last batch when it would be smaller than {@code batchSize} (for models whose
     * statistics suffer from tiny batches, such as batch norm); the images left out change with each
     * shuffled epoch.
     *
     * @throws ShapeException if that would leave no batch at all
     */
    public Batcher dropLast(boolean dropLast) {
        return new Batcher(data, batchSize, shuffled, seed, dropLast, augmentation);
    }

    /** Applies {@code augmentation} (null: none) to every image of every batch. Never for evaluation data. */
    public Batcher augment(Augmentation augmentation) {
        return new Batcher(data, batchSize, shuffled, seed, dropLast, augmentation);
    }

    /** The data set batched. */
    public Dataset data() {
        return data;
    }

    /** Images per full batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch, the partial one included unless dropped. */
    public int batchCount() {
        int full = data.size() / batchSize;
        return dropLast || data.size() % batchSize == 0 ? full : full + 1;
    }

    /** Images per epoch: all of them, less the dropped partial batch. */
    public int imagesPerEpoch() {
        return dropLast ? data.size() / batchSize * batchSize : data.size();
    }

    /**
     * The batches of epoch {@code epoch} (counting from 0). Iterating twice gives the same batches.
     *
     * @throws ShapeException if {@code epoch} is negative
     */
    public Iterable<Batch> epoch(int epoch) {
        if (epoch < 0) {
            throw new ShapeException(OP + ": epoch must be >= 0, got " + epoch);
        }
        return () -> new Batches(order(epoch), mix(seed, epoch));
    }

    /** The images of epoch {@code epoch} in order: 0..N-1, or a Fisher-Yates shuffle of it. */
    int[] order(int epoch) {
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffled) {
            Random random = new Random(mix(seed, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * SplitMix64's finaliser over {@code a} and {@code b}: nearby seeds and epochs give unrelated streams,
     * which {@link Random}'s own seeding (a plain XOR) does not ensure.
     */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Walks one epoch's order a batch at a time. */
    private final class Batches implements Iterator<Batch> {
        private final int[] order;
        private final long epochSeed;
        private final int count = batchCount();
        private int next;

        Batches(int[] order, long epochSeed) {
            this.order = order;
            this.epochSeed = epochSeed;
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch has " + count + " batches");
            }
            int b = next++;
            int from = b * batchSize;
            int size = Math.min(batchSize, order.length - from);
            int per = data.imageSize();
            float[] source = data.imageData();
            float[] images = new float[size * per];
            int[] labels = new int[size];
            int[] indices = new int[size];
            // Its own generator per batch, so that a batch's augmentation does not depend on the batches before.
            Random random = augmentation == null ? null : new Random(mix(epochSeed, b));
            for (int i = 0; i < size; i++) {
                int k = order[from + i];
                indices[i] = k;
                labels[i] = data.label(k);
                System.arraycopy(source, k * per, images, i * per, per);
                if (augmentation != null) {
                    augmentation.apply(images, i * per, data.height(), data.width(), data.channels(), random);
                }
            }
            return new Batch(images, labels, indices, data.height(), data.width(), data.channels());
        }
    }

    @Override
    public String toString() {
        return "batches of " + batchSize + " from " + data + (shuffled ? ", shuffled (seed " + seed + ")" : "")
                + (augmentation == null ? "" : ", " + augmentation) + (dropLast ? ", last partial dropped" : "");
    }
}
