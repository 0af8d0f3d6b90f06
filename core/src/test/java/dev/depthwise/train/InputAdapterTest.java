package dev.depthwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.spec.ShapeException;
import org.junit.jupiter.api.Test;

class InputAdapterTest {

    @Test
    void sameShapePassesTheArrayThrough() {
        InputAdapter a = InputAdapter.of(2, 2, 1, new int[] {2, 2, 1});
        assertTrue(a.identity());
        float[] x = {1, 2, 3, 4};
        assertSame(x, a.apply(x, 1));
    }

    @Test
    void greyIsRepeatedIntoEachChannel() {
        float[] y = InputAdapter.of(1, 2, 1, new int[] {1, 2, 3}).apply(new float[] {5, 7}, 1);
        assertArrayEquals(new float[] {5, 5, 5, 7, 7, 7}, y);
    }

    @Test
    void bilinearWithHalfPixelCentres() {
        // 1x2 -> 1x4: output x samples input (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the edges
        float[] y = InputAdapter.of(1, 2, 1, new int[] {1, 4, 1}).apply(new float[] {0, 4}, 1);
        assertArrayEquals(new float[] {0, 1, 3, 4}, y, 1e-6f);
        // 2x2 -> 1x1: the centre, the mean of the four
        assertArrayEquals(new float[] {2.5f}, InputAdapter.of(2, 2, 1, new int[] {1, 1, 1})
                .apply(new float[] {1, 2, 3, 4}, 1), 1e-6f);
        // two images are fitted independently
        assertArrayEquals(new float[] {1, 1, 9, 9}, InputAdapter.of(1, 1, 1, new int[] {1, 2, 1})
                .apply(new float[] {1, 9}, 2));
    }

    @Test
    void refusesWhatCannotBeFitted() {
        ShapeException e = assertThrows(ShapeException.class, () -> InputAdapter.of(28, 28, 2, new int[] {32, 32, 3}));
        assertEquals("input adapter: images with 2 channels cannot feed a model with 3 input channels (only equal "
                + "counts, or 1 channel repeated, are supported)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> InputAdapter.of(28, 28, 1, new int[] {32, 32}));
        assertTrue(e.getMessage().startsWith("input adapter: the model input must be [height, width, channels]"));
        e = assertThrows(ShapeException.class, () -> InputAdapter.of(2, 2, 1, new int[] {4, 4, 1}).apply(new float[3], 1));
        assertEquals("input adapter: images must hold 1 x 2x2x1 = 4 floats, got 3", e.getMessage());
    }
}
