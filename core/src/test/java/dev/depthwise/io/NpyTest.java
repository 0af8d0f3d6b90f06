package dev.depthwise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {

    private static final String F4_2x3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    @TempDir
    Path dir;

    // ---- round trips ----------------------------------------------------------------------------

    static Stream<int[]> shapes() {
        return Stream.of(new int[] {}, new int[] {0}, new int[] {3}, new int[] {2, 3, 4}, new int[] {2, 0, 3});
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void writeThenReadGivesTheSameArray(int[] shape) throws IOException {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i * 0.5f - 3;
        }
        NdArray array = new NdArray(shape, data);
        Path file = dir.resolve("a.npy");
        Npy.write(file, array);

        assertEquals(array, Npy.read(file));
        // NumPy aligns the data to 64 bytes.
        assertEquals(0, (Files.size(file) - 4L * n) % 64);
    }

    @Test
    void writtenBytesAreWhatNumpySaveWrites() throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.write(file, new NdArray(new int[] {2, 3, 4}, range(24, -12)));
        assertArrayEquals(resource("numpy_f4_2x3x4.npy"), Files.readAllBytes(file));
    }

    @Test
    void writeKeepsSpecialValues() throws IOException {
        float[] data = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE};
        Path file = dir.resolve("a.npy");
        Npy.write(file, new NdArray(new int[] {6}, data));
        assertEquals(new NdArray(new int[] {6}, data), Npy.read(file));
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("a.npy");
        Files.writeString(file, "old contents");
        Npy.write(file, new NdArray(new int[] {2}, new float[] {1, 2}));
        assertEquals(new NdArray(new int[] {2}, new float[] {1, 2}), Npy.read(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void largeArraysCrossTheChunkBoundaries() throws IOException {
        float[] data = range(100_003, 0);
        Path file = dir.resolve("a.npy");
        Npy.write(file, new NdArray(new int[] {100_003}, data));
        assertArrayEquals(data, Npy.read(file).data());
    }

    // ---- failed writes --------------------------------------------------------------------------

    @Test
    void writeIntoAMissingDirectoryFailsAndLeavesNothing() {
        Path file = dir.resolve("missing").resolve("a.npy");
        assertThrows(IOException.class, () -> Npy.write(file, new NdArray(new int[] {1}, new float[] {1})));
        assertFalse(Files.exists(file.getParent()));
        assertEquals(List.of(), list(dir));
    }

    @Test
    void writeThatFailsAtTheRenameLeavesNoTemporaryFile() throws IOException {
        // A non-empty directory cannot be replaced by a file: everything but the final rename succeeds.
        Path target = dir.resolve("a.npy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> Npy.write(target, new NdArray(new int[] {1}, new float[] {1})));
        assertEquals(List.of(target), list(dir));
        assertTrue(Files.isDirectory(target));
    }

    // ---- files written by NumPy -----------------------------------------------------------------

    @Test
    void readsNumpyFiles() throws IOException {
        NdArray expected = new NdArray(new int[] {2, 3, 4}, range(24, -12));
        assertEquals(expected, readResource("numpy_f4_2x3x4.npy"));
        assertEquals(expected, readResource("numpy_f2_2x3x4.npy"));
        assertEquals(expected, readResource("numpy_f8_fortran_2x3x4.npy"));
        assertEquals(expected, readResource("numpy_i2_bigendian_fortran_2x3x4.npy"));
        assertEquals(new NdArray(new int[] {2, 0, 3}, new float[0]), readResource("numpy_f8_fortran_empty_2x0x3.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"numpy_v2_f4_3x2.npy", "numpy_v3_f4_3x2.npy"})
    void readsFormatVersions2And3(String name) throws IOException {
        assertEquals(new NdArray(new int[] {3, 2}, range(6, 0)), readResource(name));
    }

    @Test
    void unsigned64BitValuesRoundToTheNearestFloat() throws IOException {
        // Bits as NumPy's own astype(float32) gives them.
        float[] expected = {
            Float.intBitsToFloat(0x5f800000), // 2^64 - 1 rounds up to 2^64
            Float.intBitsToFloat(0x5f000000), // 2^63
            Float.intBitsToFloat(0x5f000000), // 2^63 - 1 rounds up to 2^63
            Float.intBitsToFloat(0x5a2f7151), // 12345678901234567
        };
        assertArrayEquals(expected, readResource("numpy_u8_extremes.npy").data());
    }

    // ---- dtype conversions ----------------------------------------------------------------------

    static Stream<String> dtypes() {
        return Stream.of("<f4", ">f4", "<f8", ">f8", "<f2", ">f2", "<i4", ">i4", "<i8", ">i8", "<i2", ">i2",
                "|i1", "<i1", "|u1", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8");
    }

    @ParameterizedTest
    @MethodSource("dtypes")
    void convertsEachDtypeToFloat32(String descr) throws IOException {
        boolean unsigned = descr.charAt(1) == 'u';
        float[] values = unsigned ? new float[] {0, 1, 2, 100, 127, 255} : new float[] {0, 1, -2, 100, 127, -128};
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int size = descr.charAt(2) - '0';
        ByteBuffer data = ByteBuffer.allocate(values.length * size).order(order);
        for (float v : values) {
            switch (descr.substring(1)) {
                case "f2" -> data.putShort(Float.floatToFloat16(v));
                case "f4" -> data.putFloat(v);
                case "f8" -> data.putDouble(v);
                case "i1", "u1" -> data.put((byte) v);
                case "i2", "u2" -> data.putShort((short) v);
                case "i4", "u4" -> data.putInt((int) v);
                case "i8", "u8" -> data.putLong((long) v);
                default -> throw new AssertionError(descr);
            }
        }
        Path file = npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3), }", data.array());
        assertEquals(new NdArray(new int[] {2, 3}, values), Npy.read(file));
    }

    @Test
    void conversionsRoundLikeACast() throws IOException {
        Path f8 = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", le64(1e300, 0.1, -1e-300));
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.1f, -0f}, Npy.read(f8).data());

        ByteBuffer i8 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(16_777_217L).putLong(Long.MIN_VALUE);
        Path file = npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", i8.array());
        assertArrayEquals(new float[] {16_777_216f, -9.223372e18f}, Npy.read(file).data());
    }

    // ---- Fortran order and other header forms ---------------------------------------------------

    @Test
    void fortranOrderIsConvertedToCOrder() throws IOException {
        // Column-major [[0, 1, 2], [3, 4, 5]]: columns one after another.
        Path file = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", le(0, 3, 1, 4, 2, 5));
        assertEquals(new NdArray(new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5}), Npy.read(file));
    }

    @Test
    void fortranOrderInThreeDimensions() throws IOException {
        int[] shape = {2, 3, 4};
        float[] fortran = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
                }
            }
        }
        Path file = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }", le(fortran));
        float[] c = Npy.read(file).data();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(100 * i + 10 * j + k, c[12 * i + 4 * j + k]);
                }
            }
        }
        assertEquals(shape.length, Npy.read(file).rank());
    }

    @Test
    void versionTwoHeader() throws IOException {
        Path file = npy(2, F4_2x3, le(1, 2, 3, 4, 5, 6));
        assertEquals(new NdArray(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}), Npy.read(file));
    }

    @Test
    void headerMayBeWrittenInOtherPythonStyles() throws IOException {
        // Other key order, double quotes, no trailing comma, Python 2 longs, tabs: all valid Python.
        Path file = npy(1, "{\"shape\": (2L,3L),\t\"fortran_order\": False, \"descr\": \"<f4\"}", le(1, 2, 3, 4, 5, 6));
        assertEquals(new NdArray(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}), Npy.read(file));
    }

    @Test
    void rankZeroHoldsOneElement() throws IOException {
        Path file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", le(2.5f));
        NdArray a = Npy.read(file);
        assertEquals(0, a.rank());
        assertArrayEquals(new float[] {2.5f}, a.data());
    }

    // ---- malformed files ------------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        byte[] six = le(1, 2, 3, 4, 5, 6);
        return Stream.of(
                bad("empty file", new byte[0], "file is 0 bytes long, too short for a .npy preamble (expected at least 10 bytes)"),
                bad("short file", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, "file is 8 bytes long"),
                bad("bad magic", concat("\u0093NUMPZ\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1), new byte[40]),
                        "magic string is not \\x93NUMPY", "expected a file written by numpy.save"),
                bad("text file", "just some text, not numpy".getBytes(StandardCharsets.US_ASCII), "magic string"),
                bad("version 4.0", file(4, 0, F4_2x3, six), "format version 4.0 is not supported (expected 1.0, 2.0 or 3.0)"),
                bad("version 1.1", file(1, 1, F4_2x3, six), "format version 1.1 is not supported"),
                bad("truncated length", concat(preamble(2, 0), new byte[] {5, 0}), "header length is truncated"),
                bad("header past end", concat(preamble(1, 0), new byte[] {(byte) 0xf4, 1}, new byte[20]),
                        "header length 500 runs past the end of the file (expected at most 20 bytes)"),
                bad("huge v2 header length", concat(preamble(2, 0), new byte[] {-1, -1, -1, -1}, new byte[20]),
                        "header length 4294967295 runs past the end"),
                bad("header is a list", file(1, 0, "[1, 2]", six), "header is not a dict (expected a dict like {'descr'"),
                bad("unclosed dict", file(1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ", six),
                        "header is not a Python dict literal: it ends early"),
                bad("missing colon", file(1, 0, "{'descr' '<f4'}", six), "expected ':' but found '''"),
                bad("unclosed string", file(1, 0, "{'descr: '<f4'}", six), "header is not a Python dict literal"),
                bad("garbage after dict", file(1, 0, F4_2x3 + " xyz", six), "unexpected 'x' at character 60 after the dict"),
                bad("lowercase false", file(1, 0, "{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3), }", six),
                        "unexpected name 'false'"),
                bad("no shape", file(1, 0, "{'descr': '<f4', 'fortran_order': False}", six), "header has no 'shape' key"),
                bad("extra key", file(1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'foo': 1}", six),
                        "header has an unexpected key 'foo' (expected only 'descr', 'fortran_order' and 'shape')"),
                bad("complex", header("'<c8'", "(3,)"), "dtype '<c8' is not supported (expected a real number dtype such as '<f4')"),
                bad("object", header("'|O'", "(3,)"), "dtype '|O' is not supported"),
                bad("unicode", header("'<U3'", "(2,)"), "dtype '<U3' is not supported"),
                bad("bool", header("'|b1'", "(6,)"), "dtype '|b1' is not supported"),
                bad("f16", header("'<f16'", "(6,)"), "dtype '<f16' is not supported"),
                bad("no byte order", header("'|f4'", "(6,)"), "dtype '|f4' has no byte order"),
                bad("structured", header("[('a', '<f4')]", "(6,)"),
                        "dtype [('a', '<f4')] is not supported (structured dtypes are not"),
                bad("fortran_order not bool", file(1, 0, "{'descr': '<f4', 'fortran_order': 1, 'shape': (6,), }", six),
                        "fortran_order is 1 (expected True or False)"),
                bad("shape is a list", header("'<f4'", "[2, 3]"), "shape [2, 3] is not a tuple (expected a tuple of non-negative integers"),
                bad("shape is an int", header("'<f4'", "6"), "shape 6 is not a tuple"),
                bad("negative dimension", header("'<f4'", "(2, -3)"), "shape (2, -3) has a negative dimension"),
                bad("dimension not an int", header("'<f4'", "(2, 'a')"), "shape (2, 'a') holds 'a', not an integer"),
                bad("dimension beyond int", header("'<f4'", "(3000000000,)"), "shape (3000000000,) has a dimension larger than a Java array holds"),
                bad("dimension beyond long", header("'<f4'", "(99999999999999999999,)"), "is not an integer that fits in 64 bits"),
                bad("too many elements", header("'<f4'", "(100000, 100000, 100000)"),
                        "shape (100000, 100000, 100000) has more elements than a Java array holds (expected at most 2147483639)"),
                bad("huge but within limits", header("'<f8'", "(2000000000,)"),
                        "data is 24 bytes but shape (2000000000,) of '<f8' needs 16000000000 (expected the file to hold the whole array)"),
                bad("rank above NumPy's limit", header("'<f4'", "(" + "1, ".repeat(65) + ")"),
                        "shape has 65 dimensions (expected at most 64, NumPy's own limit)"),
                bad("deep nesting", header("'<f4'", "(".repeat(100_000)), "it nests more than 16 levels deep"),
                bad("long descr is cut short", header("'" + "x".repeat(1000) + "'", "(6,)"), "xxxx ... is not supported"),
                bad("header over 1 MiB", file(2, 0, F4_2x3 + " ".repeat(1 << 20), six),
                        "header length 1048636 is more than this reader accepts (expected at most 1048576 bytes)"),
                bad("data too short", file(1, 0, F4_2x3, le(1, 2, 3, 4, 5)),
                        "data is 20 bytes but shape (2, 3) of '<f4' needs 24 (expected the file to hold the whole array)"),
                bad("trailing bytes", file(1, 0, F4_2x3, le(1, 2, 3, 4, 5, 6, 7)),
                        "data is 28 bytes but shape (2, 3) of '<f4' needs 24 (expected exactly that: trailing bytes are refused)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFilesAreRefusedWithAUsefulMessage(String what, byte[] bytes, String[] expected) throws IOException {
        Path file = dir.resolve("x.npy");
        Files.write(file, bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        for (String part : expected) {
            assertTrue(message.contains(part), () -> "message: " + message + "\nexpected to contain: " + part);
        }
    }

    @Test
    void errorTypeIsAnIllegalArgumentException() {
        assertTrue(IllegalArgumentException.class.isAssignableFrom(NpyFormatException.class));
    }

    @Test
    void aMissingFileIsAnIoErrorNotAFormatError() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Npy.read(dir.resolve("none.npy")));
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A malformed case: a name for the report, the file's bytes, and what its message must contain. */
    private static Arguments bad(String what, byte[] bytes, String... expected) {
        return Arguments.of(what, bytes, expected);
    }

    /** A version-1.0 file of six float32s with the given descr and shape literals. */
    private static byte[] header(String descr, String shape) {
        return file(1, 0, "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }", le(1, 2, 3, 4, 5, 6));
    }

    private Path npy(int major, String header, byte[] data) throws IOException {
        Path file = dir.resolve("t.npy");
        Files.write(file, file(major, 0, header, data));
        return file;
    }

    /** Builds a .npy file by hand: magic, version, header length, header (unpadded: padding is optional), data. */
    private static byte[] file(int major, int minor, String header, byte[] data) {
        byte[] h = (header + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer length = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            length.putShort((short) h.length);
        } else {
            length.putInt(h.length);
        }
        return concat(preamble(major, minor), length.array(), h, data);
    }

    private static byte[] preamble(int major, int minor) {
        return new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] le(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static byte[] le64(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    private static float[] range(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = start + i;
        }
        return a;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private NdArray readResource(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, resource(name));
        return Npy.read(file);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
