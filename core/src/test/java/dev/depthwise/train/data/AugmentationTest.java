package dev.depthwise.train.data;

import static dev.depthwise.train.data.DatasetsTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    /** A 3x3 image with 2 channels: pixel (y, x) channel c holds 10 * (3y + x) + c, in a NaN-filled buffer. */
    private static float[] image(int offset) {
        float[] buf = new float[offset + 18 + 5];
        Arrays.fill(buf, Float.NaN);
        for (int p = 0; p < 9; p++) {
            buf[offset + 2 * p] = 10 * p;
            buf[offset + 2 * p + 1] = 10 * p + 1;
        }
        return buf;
    }

    @Test
    void shiftMovesPixelsAndFillsZerosWithoutTouchingNeighbours() {
        float[] buf = image(4);
        // Down by 1, left by 1: output (y, x) = input (y - 1, x + 1).
        RandomShift.shift(buf, 4, 3, 3, 2, 1, -1);
        float[] expected = {
            0, 0, 0, 0, 0, 0,
            10, 11, 20, 21, 0, 0,
            40, 41, 50, 51, 0, 0};
        assertArrayEquals(expected, Arrays.copyOfRange(buf, 4, 22));
        for (int i : new int[] {0, 1, 2, 3, 22, 23, 24, 25, 26}) {
            assertTrue(Float.isNaN(buf[i]), "wrote outside the image at " + i);
        }
        float[] far = image(0);
        RandomShift.shift(far, 0, 3, 3, 2, 0, 3);
        assertArrayEquals(new float[18], Arrays.copyOf(far, 18));
        float[] none = image(0);
        RandomShift.shift(none, 0, 3, 3, 2, 0, 0);
        assertArrayEquals(image(0), none);
    }

    @Test
    void randomShiftReachesEveryOffsetUpToTheLimitAndNoFurther() {
        // Tell the shift from where the pixel of value 1 (a single bright centre pixel of 5x5) lands.
        RandomShift shift = new RandomShift(1);
        Random random = new Random(1);
        Set<Integer> seen = new HashSet<>();
        for (int t = 0; t < 200; t++) {
            float[] img = new float[25];
            img[12] = 1;
            shift.apply(img, 0, 5, 5, 1, random);
            int at = -1;
            for (int i = 0; i < 25; i++) {
                if (img[i] == 1) {
                    at = i;
                }
            }
            int dy = at / 5 - 2;
            int dx = at % 5 - 2;
            assertTrue(Math.abs(dy) <= 1 && Math.abs(dx) <= 1, "shifted by " + dy + "," + dx);
            seen.add(at);
        }
        assertEquals(9, seen.size());
        refused(() -> new RandomShift(-1), "maxShift must be >= 0, got -1");
    }

    @Test
    void horizontalFlipMirrorsColumnsKeepingChannelsTogether() {
        float[] buf = image(2);
        HorizontalFlip.flip(buf, 2, 3, 3, 2);
        float[] expected = {
            20, 21, 10, 11, 0, 1,
            50, 51, 40, 41, 30, 31,
            80, 81, 70, 71, 60, 61};
        assertArrayEquals(expected, Arrays.copyOfRange(buf, 2, 20));
        assertTrue(Float.isNaN(buf[1]) && Float.isNaN(buf[20]));

        float[] never = image(0);
        new HorizontalFlip(0).apply(never, 0, 3, 3, 2, new Random(3));
        assertArrayEquals(image(0), never);
        float[] always = image(0);
        new HorizontalFlip(1).apply(always, 0, 3, 3, 2, new Random(3));
        assertArrayEquals(expected, Arrays.copyOf(always, 18));
        refused(() -> new HorizontalFlip(1.5), "probability must be in [0, 1], got 1.5");
        refused(() -> new HorizontalFlip(Double.NaN), "got NaN");
    }

    @Test
    void andThenAppliesBothInOrder() {
        Augmentation plusOne = (im, off, h, w, c, r) -> im[off] += 1;
        Augmentation twice = (im, off, h, w, c, r) -> im[off] *= 2;
        float[] x = {3};
        plusOne.andThen(twice).apply(x, 0, 1, 1, 1, new Random());
        assertEquals(8, x[0]);
        refused(() -> plusOne.andThen(null), "next must not be null");
    }
}
