package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ProtoWriterTest {
    private static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = (byte) b[i];
        }
        return r;
    }

    @Test
    void varintsTakeSevenBitsAByteLowFirst() {
        assertArrayEquals(bytes(0x08, 0x00), new ProtoWriter().varint(1, 0).toByteArray());
        assertArrayEquals(bytes(0x08, 0x7F), new ProtoWriter().varint(1, 127).toByteArray());
        assertArrayEquals(bytes(0x08, 0x80, 0x01), new ProtoWriter().varint(1, 128).toByteArray());
        assertArrayEquals(bytes(0x08, 0xAC, 0x02), new ProtoWriter().varint(1, 300).toByteArray());
        // protobuf's example: field 150 -> 0x96 0x01 as the value of field 1
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
    }

    @Test
    void negativeValuesTakeTenBytes() {
        assertArrayEquals(bytes(0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().varint(2, -1).toByteArray());
    }

    @Test
    void tagsCarryFieldNumberAndWireType() {
        // field 20, varint: (20 << 3) | 0 = 160 -> 0xA0 0x01
        assertArrayEquals(bytes(0xA0, 0x01, 0x07), new ProtoWriter().varint(20, 7).toByteArray());
        // field 2, fixed32: 0x15, then 1.0f little-endian
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1f).toByteArray());
    }

    @Test
    void lengthDelimitedFieldsAndNestedMessages() {
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
                new ProtoWriter().string(2, "testing").toByteArray());
        // protobuf's example: message { Test1 c = 3; } with c.a = 150 -> 1a 03 08 96 01
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01),
                new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
        byte[] big = new byte[200];
        byte[] out = new ProtoWriter().bytes(9, big).toByteArray();
        assertArrayEquals(bytes(0x4A, 0xC8, 0x01), java.util.Arrays.copyOf(out, 3));
    }
}
