package dev.depthwise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.spec.ShapeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {

    @TempDir
    Path dir;

    // ---- building files by hand ---------------------------------------------------------------------

    /** An IDX file: magic 0x0000, type code, rank, big-endian dims, then the payload as given. */
    static byte[] idx(int typeCode, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Reads {@code bytes} as a file and requires a format error whose message has every fragment. */
    private IdxFormatException refused(byte[] bytes, String... fragments) throws IOException {
        Path f = file("bad.idx", bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), () -> "message should contain '" + s + "': " + e.getMessage());
        }
        // A stream (a class-path resource) gets the same verdict.
        IdxFormatException s = assertThrows(IdxFormatException.class,
                () -> Idx.readContents(new ByteArrayInputStream(bytes), "stream"));
        assertTrue(s.getMessage().startsWith("stream: "), s.getMessage());
        return e;
    }

    // ---- good files ---------------------------------------------------------------------------------

    /** One small file per type: its code, dims, big-endian payload and the floats it must read as. */
    static Stream<Arguments> everyType() {
        ByteBuffer s = ByteBuffer.allocate(8).putShort((short) -32768).putShort((short) 32767).putShort((short) -1)
                .putShort((short) 7);
        ByteBuffer i = ByteBuffer.allocate(12).putInt(-5).putInt(16_777_217).putInt(Integer.MAX_VALUE);
        ByteBuffer f = ByteBuffer.allocate(16).putFloat(1.5f).putFloat(Float.NaN).putFloat(Float.NEGATIVE_INFINITY)
                .putFloat(-0f);
        ByteBuffer d = ByteBuffer.allocate(24).putDouble(0.1).putDouble(1e300).putDouble(-2.5);
        return Stream.of(
                Arguments.of(Idx.Type.UBYTE, new int[] {2, 3}, new byte[] {0, 1, 127, (byte) 128, (byte) 254, (byte) 255},
                        new float[] {0, 1, 127, 128, 254, 255}),
                Arguments.of(Idx.Type.BYTE, new int[] {4}, new byte[] {0, 1, (byte) -128, 127}, new float[] {0, 1, -128, 127}),
                Arguments.of(Idx.Type.SHORT, new int[] {2, 2}, s.array(), new float[] {-32768, 32767, -1, 7}),
                // 2^24 + 1 rounds to the nearest float, 2^24.
                Arguments.of(Idx.Type.INT, new int[] {3}, i.array(), new float[] {-5, 16_777_216, 2.14748365E9f}),
                Arguments.of(Idx.Type.FLOAT, new int[] {1, 2, 2}, f.array(),
                        new float[] {1.5f, Float.NaN, Float.NEGATIVE_INFINITY, -0f}),
                // Beyond float's range becomes infinite.
                Arguments.of(Idx.Type.DOUBLE, new int[] {3}, d.array(), new float[] {0.1f, Float.POSITIVE_INFINITY, -2.5f}));
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void readsEveryTypePlainAndGzipped(Idx.Type type, int[] dims, byte[] payload, float[] expected) throws IOException {
        byte[] plain = idx(type.code(), dims, payload);
        for (byte[] bytes : List.of(plain, gzip(plain))) {
            Path f = file("good.idx", bytes);
            Idx.Contents c = Idx.readContents(f);
            assertEquals(type, c.type());
            assertEquals(new NdArray(dims, expected), c.array());
            assertEquals(new NdArray(dims, expected), Idx.read(f));
            assertEquals(new NdArray(dims, expected), Idx.readContents(new ByteArrayInputStream(bytes), "s").array());
        }
    }

    @Test
    void readsZeroSizedDimensionsAndEveryRankUpToTheLimit() throws IOException {
        assertEquals(new NdArray(new int[] {0, 28, 28}, new float[0]), Idx.read(file("e.idx", idx(0x08, new int[] {0, 28, 28}, new byte[0]))));
        for (int rank = 1; rank <= Idx.MAX_RANK; rank++) {
            int[] dims = new int[rank];
            Arrays.fill(dims, 1);
            dims[0] = 2;
            NdArray a = Idx.read(file("r.idx", gzip(idx(0x08, dims, new byte[] {9, 8}))));
            assertArrayEquals(dims, a.shape());
            assertArrayEquals(new float[] {9, 8}, a.data());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void writeUbyteThenReadGivesTheSameArray(boolean gzip) throws IOException {
        float[] data = new float[2 * 3 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 37) % 256;
        }
        NdArray a = new NdArray(new int[] {2, 3, 5}, data);
        Path f = dir.resolve("w.idx");
        Idx.writeUbyte(f, a, gzip);
        Idx.Contents c = Idx.readContents(f);
        assertEquals(Idx.Type.UBYTE, c.type());
        assertEquals(a, c.array());
        byte[] raw = Files.readAllBytes(f);
        if (gzip) {
            assertEquals(0x1f, raw[0] & 0xff);
        } else {
            // Exactly the bytes of the format: magic 0x00000803, dims, data.
            byte[] payload = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
                payload[i] = (byte) data[i];
            }
            assertArrayEquals(idx(0x08, new int[] {2, 3, 5}, payload), raw);
        }
        assertEquals(List.of(f), list());
    }

    @Test
    void writeUbyteRefusesWhatUbyteCannotHoldAndWritesNothing() {
        Path f = dir.resolve("w.idx");
        for (float bad : new float[] {256, -1, 1.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            ShapeException e = assertThrows(ShapeException.class,
                    () -> Idx.writeUbyte(f, new NdArray(new int[] {2}, new float[] {0, bad}), false));
            assertTrue(e.getMessage().contains("element 1") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        ShapeException rank0 = assertThrows(ShapeException.class,
                () -> Idx.writeUbyte(f, new NdArray(new int[] {}, new float[] {1}), true));
        assertTrue(rank0.getMessage().contains("rank must be 1 to 8, got 0"), rank0.getMessage());
        assertThrows(ShapeException.class, () -> Idx.writeUbyte(f, new NdArray(new int[9], new float[0]), true));
        assertThrows(ShapeException.class, () -> Idx.writeUbyte(f, null, true));
        assertFalse(Files.exists(f));
    }

    @Test
    void readsConcatenatedGzipMembersAsOneStream() throws IOException {
        byte[] whole = idx(0x08, new int[] {4}, new byte[] {1, 2, 3, 4});
        byte[] split = concat(gzip(Arrays.copyOf(whole, 6)), gzip(Arrays.copyOfRange(whole, 6, whole.length)));
        assertEquals(new NdArray(new int[] {4}, new float[] {1, 2, 3, 4}), Idx.read(file("cat.gz", split)));
    }

    @Test
    void readsGzipHeadersWithEveryOptionalField() throws IOException {
        byte[] data = idx(0x08, new int[] {3}, new byte[] {7, 8, 9});
        assertEquals(new NdArray(new int[] {3}, new float[] {7, 8, 9}), Idx.read(file("opt.gz", gzipWithAllFields(data))));
    }

    /** A gzip member with FEXTRA, FNAME, FCOMMENT and FHCRC set, as RFC 1952 allows. */
    static byte[] gzipWithAllFields(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] deflated = new byte[data.length + 64];
        int n = deflater.deflate(deflated);
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) crc.getValue()).putInt(data.length);
        byte[] header = {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3,
            3, 0, 'x', 'y', 'z', // FEXTRA: length 3, then 3 bytes
            'f', '.', 'i', 'd', 'x', 0, // FNAME
            'h', 'i', 0, // FCOMMENT
            0x12, 0x34}; // FHCRC
        return concat(header, Arrays.copyOf(deflated, n), trailer.array());
    }

    // ---- malformed files ----------------------------------------------------------------------------

    @Test
    void refusesAWrongMagicNumber() throws IOException {
        refused(new byte[] {1, 0, 8, 1, 0, 0, 0, 1, 5}, "magic number 0x01000801", "not an IDX file");
        refused(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, "magic number 0x934e554d");
    }

    @Test
    void refusesAnUnknownTypeCode() throws IOException {
        refused(idx(0x0a, new int[] {1}, new byte[] {1}), "type code 0x0a is not an IDX type", "0x08 ubyte");
        refused(idx(0x00, new int[] {1}, new byte[] {1}), "type code 0x00");
    }

    @Test
    void refusesRankZeroAndRanksAboveTheLimit() throws IOException {
        refused(idx(0x08, new int[] {}, new byte[] {1}), "rank 0 is not supported (expected 1 to 8)");
        int[] nine = new int[9];
        Arrays.fill(nine, 1);
        refused(idx(0x08, nine, new byte[] {1}), "rank 9 is not supported");
        refused(new byte[] {0, 0, 8, (byte) 255}, "rank 255");
    }

    @Test
    void refusesATruncatedHeader() throws IOException {
        refused(new byte[0], "too short for an IDX header");
        refused(new byte[] {0, 0, 8}, "too short for an IDX header");
        // Rank 3 needs 16 header bytes; only one dimension is there.
        refused(new byte[] {0, 0, 8, 3, 0, 0, 0, 1}, "header is truncated", "rank 3 needs 16 header bytes");
        refused(gzip(new byte[] {0, 0, 8, 3, 0, 0, 0, 1}), "header is truncated");
    }

    @Test
    void refusesTruncatedData() throws IOException {
        byte[] full = idx(0x08, new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, 6});
        byte[] cut = Arrays.copyOf(full, full.length - 1);
        refused(cut, "data is 5 bytes but dims [2, 3] of type ubyte need 6 bytes", "truncated");
        refused(gzip(cut), "decompressed data is truncated", "need 6 bytes");
        // Short data of a multi-byte type.
        refused(idx(0x0e, new int[] {2}, new byte[12]), "of type double need 16 bytes");
    }

    @Test
    void refusesTrailingBytes() throws IOException {
        byte[] full = idx(0x08, new int[] {2}, new byte[] {1, 2});
        refused(concat(full, new byte[] {0}), "data is 3 bytes but dims [2] of type ubyte need 2 bytes",
                "trailing bytes are refused");
        refused(gzip(concat(full, new byte[] {0})), "decompressed data is longer than the header promises");
        // Bytes after the gzip stream itself, which java.util.zip.GZIPInputStream would ignore.
        refused(concat(gzip(full), new byte[] {1, 2, 3}), "bytes follow the end of the gzip stream");
        refused(concat(gzip(full), new byte[] {0x1f}), "gzip header is truncated");
    }

    @Test
    void refusesDimsWhoseProductOverflows() throws IOException {
        // 65536 x 65536 = 2^32 elements: overflows int.
        refused(idx(0x08, new int[] {65536, 65536}, new byte[0]), "dims [65536, 65536] hold more elements than a Java array");
        // 8 x (2^32 - 1): overflows long too, when multiplied naively.
        int[] huge = new int[8];
        Arrays.fill(huge, -1);
        refused(idx(0x08, huge, new byte[0]), "dims [4294967295, 4294967295");
        // A dimension too large for an int, made harmless by a 0 elsewhere: still no Java shape.
        refused(idx(0x08, new int[] {0, -1}, new byte[0]), "dims[1] is 4294967295");
        // Fits a Java array as elements, not as bytes of doubles? (2^31 - 9) doubles is fine for a long,
        // but the file has none of them: refused by the length check, before anything is allocated.
        refused(idx(0x0e, new int[] {Integer.MAX_VALUE - 8}, new byte[0]), "need 17179869112 bytes");
    }

    @Test
    void aGzipHeaderPromisingGigabytesFailsWithoutAllocatingThem() throws IOException {
        // 2^31 - 9 ubytes promised by a file of a few dozen bytes: the reader stops at the end of the stream.
        refused(gzip(idx(0x08, new int[] {Integer.MAX_VALUE - 8}, new byte[100])),
                "decompressed data is truncated: it ends after 100 bytes but dims [2147483639]");
    }

    @Test
    void aGzipBombIsStoppedOneBytePastWhatTheHeaderPromises() throws IOException {
        // The header promises 10 bytes; the stream would decompress to 64 MiB of zeros (from about 64 KiB).
        byte[] zeros = new byte[64 << 20];
        byte[] bomb = gzip(concat(idx(0x08, new int[] {10}, new byte[0]), zeros));
        assertTrue(bomb.length < 200_000, "bomb is " + bomb.length + " bytes");
        long start = System.nanoTime();
        refused(bomb, "decompressed data is longer than the header promises", "need 10 bytes");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "took too long: it decompressed the whole bomb?");
    }

    @Test
    void refusesDamagedGzipStreams() throws IOException {
        byte[] good = gzip(idx(0x08, new int[] {64}, new byte[64]));
        refused(Arrays.copyOf(good, good.length - 5), "gzip trailer is truncated");
        refused(Arrays.copyOf(good, 14), "compressed data is truncated");
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 8] ^= 1;
        refused(badCrc, "gzip CRC-32 is 0x");
        byte[] badSize = good.clone();
        badSize[badSize.length - 4] ^= 1;
        refused(badSize, "gzip trailer says");
        byte[] badMethod = good.clone();
        badMethod[2] = 7;
        refused(badMethod, "gzip compression method is 7 (expected 8, deflate)");
        byte[] reserved = good.clone();
        reserved[3] = (byte) 0x20;
        refused(reserved, "reserved bits");
        byte[] corrupt = good.clone();
        corrupt[10] = (byte) 0xff; // first deflate block header: block type 3 is invalid
        IdxFormatException e = refused(corrupt);
        assertNotNull(e.getMessage());
        refused(new byte[] {0x1f, (byte) 0x8b}, "gzip header is truncated");
    }

    @Test
    void neverThrowsAnythingButFormatErrorsOnCorruptedBytes() throws IOException {
        // Every single-byte change and every truncation of a small file, plain and gzip'd: either it still
        // reads (a changed pixel) or it is an IdxFormatException; never an index, arithmetic or memory error.
        byte[] plain = idx(0x0b, new int[] {2, 3}, new byte[12]);
        for (byte[] base : List.of(plain, gzip(plain))) {
            for (int i = 0; i < base.length; i++) {
                for (int v : new int[] {0, 1, 0x7f, 0x80, 0xff}) {
                    byte[] b = base.clone();
                    b[i] = (byte) v;
                    readOrRefuse(b);
                }
                readOrRefuse(Arrays.copyOf(base, i));
            }
        }
    }

    private void readOrRefuse(byte[] bytes) throws IOException {
        Path f = file("fuzz.idx", bytes);
        try {
            Idx.read(f);
        } catch (IdxFormatException expected) {
            // fine
        }
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
