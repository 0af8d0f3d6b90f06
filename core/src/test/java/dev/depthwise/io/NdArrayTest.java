package dev.depthwise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NdArrayTest {

    @Test
    void dataMustMatchTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NdArray(new int[] {2, 3}, new float[5]));
        assertEquals("shape (2, 3) needs 6 elements but the data has 5", e.getMessage());
    }

    @Test
    void negativeDimensionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NdArray(new int[] {-1}, new float[0]));
    }

    @Test
    void hugeShapesDoNotOverflow() {
        int big = 1 << 20;
        assertThrows(IllegalArgumentException.class, () -> new NdArray(new int[] {big, big, big, big}, new float[0]));
    }

    @Test
    void rankZeroHoldsOneElementAndZeroDimensionsNone() {
        assertEquals(1, new NdArray(new int[] {}, new float[] {7}).size());
        assertEquals(0, new NdArray(new int[] {4, 0}, new float[0]).size());
    }

    @Test
    void shapeIsCopied() {
        int[] shape = {2, 3};
        NdArray a = new NdArray(shape, new float[6]);
        shape[0] = 99;
        a.shape()[1] = 99;
        assertArrayEquals(new int[] {2, 3}, a.shape());
    }

    @Test
    void equalityIsByContent() {
        NdArray a = new NdArray(new int[] {2}, new float[] {1, Float.NaN});
        assertEquals(a, new NdArray(new int[] {2}, new float[] {1, Float.NaN}));
        assertEquals(a.hashCode(), new NdArray(new int[] {2}, new float[] {1, Float.NaN}).hashCode());
        assertNotEquals(a, new NdArray(new int[] {1, 2}, new float[] {1, Float.NaN}));
        assertEquals("NdArray[shape=(2,)]", a.toString());
    }
}
