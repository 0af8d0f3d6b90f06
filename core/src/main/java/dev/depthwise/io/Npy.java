package dev.depthwise.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes NumPy {@code .npy} files as {@link NdArray}s of float32.
 *
 * <p><b>Reading</b> accepts format versions 1.0, 2.0 and 3.0, and these dtypes, little- ({@code <})
 * or big-endian ({@code >}; {@code |} for one byte):
 * <ul>
 *   <li>{@code f4}, read as is;
 *   <li>{@code f2} and {@code f8}, {@code i1 i2 i4 i8} and {@code u1 u2 u4 u8}, <em>converted</em> to
 *       float32, rounding to the nearest float: {@code f8} and integers above 2^24 in magnitude may
 *       lose precision, and {@code f8} values beyond float's range become infinite.
 * </ul>
 * A file in Fortran order ({@code 'fortran_order': True}) is reordered to C order. Rank-0 arrays hold
 * one element; dimensions of size 0 are allowed.
 *
 * <p>Anything else is refused with an {@link NpyFormatException} that names the file, the field and what
 * was expected: other dtypes (bool, complex, strings, objects, structured), a bad magic string or version,
 * a header that is not the dictionary NumPy writes, negative dimensions, more than 64 dimensions (NumPy's
 * limit), more elements than a Java array holds, and data that is shorter <em>or longer</em> than the
 * shape says. Trailing bytes are refused because NumPy never writes them: they mean a wrong header or a
 * damaged file. Sizes are checked against the file's length before anything is allocated, so a
 * malformed file cannot exhaust memory.
 *
 * <p><b>Writing</b> produces what {@code numpy.save} produces for a C-order float32 array: version 1.0
 * (2.0 only for headers too long for 1.0), {@code '<f4'}, the header padded so the data starts at a
 * multiple of 64 bytes. The file is replaced atomically.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** The largest array the JVM reliably allocates (some reserve a few header words). */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** NumPy 2's NPY_MAXDIMS: no NumPy can write a file with more dimensions. */
    static final int MAX_RANK = 64;

    /** Far above any real header (NumPy itself refuses more than 10,000 bytes by default). */
    static final int MAX_HEADER_BYTES = 1 << 20;

    /** NumPy's ARRAY_ALIGN: the data starts at a multiple of this. */
    private static final int ALIGN = 64;

    /** NumPy's GROWTH_AXIS_MAX_DIGITS: spare header room so the first axis can grow in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** Bytes converted per read or write, so that no second copy of a large array is ever needed. */
    private static final int CHUNK_BYTES = 1 << 16;

    private static final String EXPECTED_DTYPE = "(expected a real number dtype such as '<f4')";

    private Npy() {}

    /**
     * Reads a {@code .npy} file, converting its elements to float32 and its order to C order.
     *
     * @throws NpyFormatException if the file is not a {@code .npy} file this reader supports
     * @throws IOException if the file cannot be read
     */
    public static NdArray read(Path file) throws IOException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < MAGIC.length + 4) {
                throw error(name, "file is " + fileSize + " bytes long, too short for a .npy preamble"
                        + " (expected at least 10 bytes)");
            }
            ByteBuffer pre = readFully(ch, MAGIC.length + 2, name, "preamble");
            for (byte b : MAGIC) {
                if (pre.get() != b) {
                    throw error(name, "magic string is not \\x93NUMPY, so this is not a NumPy .npy file"
                            + " (expected a file written by numpy.save)");
                }
            }
            int major = pre.get() & 0xff;
            int minor = pre.get() & 0xff;
            if (major < 1 || major > 3 || minor != 0) {
                throw error(name, "format version " + major + "." + minor + " is not supported"
                        + " (expected 1.0, 2.0 or 3.0)");
            }
            // Version 1.0 stores the header length in 2 bytes; 2.0 and 3.0 in 4.
            int lengthBytes = major == 1 ? 2 : 4;
            ByteBuffer len = readFully(ch, lengthBytes, name, "header length").order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = major == 1 ? len.getShort() & 0xffffL : len.getInt() & 0xffffffffL;
            long dataOffset = MAGIC.length + 2 + lengthBytes + headerLength;
            if (dataOffset > fileSize) {
                throw error(name, "header length " + headerLength + " runs past the end of the file"
                        + " (expected at most " + (fileSize - MAGIC.length - 2 - lengthBytes) + " bytes)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw error(name, "header length " + headerLength + " is more than this reader accepts"
                        + " (expected at most " + MAX_HEADER_BYTES + " bytes)");
            }
            ByteBuffer hb = readFully(ch, (int) headerLength, name, "header");
            // Version 3.0 exists only to allow UTF-8 (field names of structured dtypes); 1.0 and 2.0 are Latin-1.
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = Header.parse(header, name);

            long dataBytes = h.count() * h.dtype().size();
            long available = fileSize - dataOffset;
            if (available != dataBytes) {
                String problem = available < dataBytes
                        ? "(expected the file to hold the whole array)"
                        : "(expected exactly that: trailing bytes are refused)";
                throw error(name, "data is " + available + " bytes but shape " + NdArray.shapeString(h.shape())
                        + " of '" + h.dtype().descr() + "' needs " + dataBytes + " " + problem);
            }
            float[] data = new float[(int) h.count()];
            readData(ch, h.dtype(), data, name);
            if (h.fortranOrder() && h.shape().length > 1) {
                data = fortranToC(data, h.shape());
            }
            return new NdArray(h.shape(), data);
        }
    }

    /**
     * Writes an array as a version 1.0, {@code '<f4'}, C-order {@code .npy} file, the same bytes
     * {@code numpy.save} writes. The data goes to a temporary file in the same directory, which then
     * replaces {@code file} in one atomic rename, so readers never see a partial file, and a failure
     * leaves {@code file} as it was.
     *
     * @throws IOException if the file cannot be written (nothing is left behind)
     */
    public static void write(Path file, NdArray array) throws IOException {
        byte[] header = header(array.shape());
        Path dir = file.toAbsolutePath().getParent();
        // Not Files.createTempFile: it makes the file private (0600), and the rename would keep that.
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, ByteBuffer.wrap(header));
                float[] data = array.data();
                ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (int off = 0; off < data.length; ) {
                    int n = Math.min(data.length - off, CHUNK_BYTES / 4);
                    buf.clear();
                    buf.asFloatBuffer().put(data, off, n);
                    buf.limit(n * 4);
                    writeFully(ch, buf);
                    off += n;
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** The preamble and header NumPy writes for a C-order {@code '<f4'} array of this shape. */
    static byte[] header(int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(NdArray.shapeString(shape)).append(", }");
        if (shape.length > 0) {
            dict.repeat(' ', GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length());
        }
        // As numpy.save: version 1.0 unless the padded header overflows its 2-byte length field.
        int major = 1;
        int preamble = MAGIC.length + 2 + 2;
        int pad = ALIGN - (preamble + dict.length() + 1) % ALIGN;
        if (dict.length() + pad + 1 > 0xffff) {
            major = 2;
            preamble = MAGIC.length + 2 + 4;
            pad = ALIGN - (preamble + dict.length() + 1) % ALIGN;
        }
        dict.repeat(' ', pad).append('\n');
        ByteBuffer b = ByteBuffer.allocate(preamble + dict.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) dict.length());
        } else {
            b.putInt(dict.length());
        }
        b.put(dict.toString().getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static NpyFormatException error(String file, String message) {
        return new NpyFormatException(file + ": " + message);
    }

    private static ByteBuffer readFully(FileChannel ch, int n, String name, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                // The size was checked; this happens only if the file shrinks while it is read.
                throw error(name, what + " is truncated: the file ended early (expected " + n + " bytes)");
            }
        }
        return b.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.write(b) < 0) {
                throw new EOFException();
            }
        }
    }

    /** Reads and converts the elements a chunk at a time. */
    private static void readData(FileChannel ch, Dtype dtype, float[] out, String name) throws IOException {
        int perChunk = CHUNK_BYTES / dtype.size();
        ByteBuffer buf = ByteBuffer.allocate(perChunk * dtype.size()).order(dtype.order());
        for (int off = 0; off < out.length; ) {
            int n = Math.min(out.length - off, perChunk);
            buf.clear().limit(n * dtype.size());
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    throw error(name, "data is truncated: the file ended early"
                            + " (expected " + (long) out.length * dtype.size() + " bytes of data)");
                }
            }
            buf.flip();
            dtype.decode(buf, out, off, n);
            off += n;
        }
    }

    /** Reorders column-major data to row-major, walking the C order and tracking the Fortran offset. */
    private static float[] fortranToC(float[] f, int[] shape) {
        int rank = shape.length;
        float[] c = new float[f.length];
        if (c.length == 0) {
            return c;
        }
        long[] stride = new long[rank];
        long s = 1;
        for (int k = 0; k < rank; k++) {
            stride[k] = s;
            s *= shape[k];
        }
        int[] idx = new int[rank];
        long src = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = f[(int) src];
            for (int k = rank - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    src += stride[k];
                    break;
                }
                idx[k] = 0;
                src -= stride[k] * (shape[k] - 1);
            }
        }
        return c;
    }

    /** A supported dtype: kind ('f', 'i' or 'u'), size in bytes and byte order. */
    private record Dtype(String descr, char kind, int size, ByteOrder order) {

        static Dtype parse(String descr, String name) {
            if (descr.length() < 3) {
                throw unsupported(descr, name);
            }
            char order = descr.charAt(0);
            char kind = descr.charAt(1);
            String digits = descr.substring(2);
            int size = switch (digits) {
                case "1" -> 1;
                case "2" -> 2;
                case "4" -> 4;
                case "8" -> 8;
                default -> -1;
            };
            boolean known = switch (kind) {
                case 'f' -> size >= 2;
                case 'i', 'u' -> size >= 1;
                default -> false;
            };
            if (!known || "<>|".indexOf(order) < 0) {
                throw unsupported(descr, name);
            }
            // '|' means "byte order does not apply", which is only true of one-byte types.
            if (order == '|' && size > 1) {
                throw error(name, "dtype '" + descr + "' has no byte order"
                        + " (expected '<' or '>' before a type of more than one byte)");
            }
            return new Dtype(descr, kind, size, order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        }

        private static NpyFormatException unsupported(String descr, String name) {
            return error(name, "dtype " + LiteralParser.repr(descr) + " is not supported " + EXPECTED_DTYPE);
        }

        /** Converts n elements from src (in this dtype's order) into out[off..off+n). */
        void decode(ByteBuffer src, float[] out, int off, int n) {
            switch (kind + Integer.toString(size)) {
                case "f4" -> src.asFloatBuffer().get(out, off, n);
                case "f8" -> { for (int i = 0; i < n; i++) out[off + i] = (float) src.getDouble(); }
                case "f2" -> { for (int i = 0; i < n; i++) out[off + i] = Float.float16ToFloat(src.getShort()); }
                case "i1" -> { for (int i = 0; i < n; i++) out[off + i] = src.get(); }
                case "i2" -> { for (int i = 0; i < n; i++) out[off + i] = src.getShort(); }
                case "i4" -> { for (int i = 0; i < n; i++) out[off + i] = src.getInt(); }
                case "i8" -> { for (int i = 0; i < n; i++) out[off + i] = src.getLong(); }
                case "u1" -> { for (int i = 0; i < n; i++) out[off + i] = src.get() & 0xff; }
                case "u2" -> { for (int i = 0; i < n; i++) out[off + i] = src.getShort() & 0xffff; }
                case "u4" -> { for (int i = 0; i < n; i++) out[off + i] = src.getInt() & 0xffffffffL; }
                case "u8" -> { for (int i = 0; i < n; i++) out[off + i] = unsignedToFloat(src.getLong()); }
                default -> throw new AssertionError(descr);
            }
        }

        /** Rounds an unsigned 64-bit value correctly: halving keeps the lowest bit as a sticky bit. */
        private static float unsignedToFloat(long v) {
            return v >= 0 ? v : 2f * ((v >>> 1) | (v & 1));
        }
    }

    /** The three fields of a .npy header, checked. */
    private record Header(Dtype dtype, boolean fortranOrder, int[] shape, long count) {

        private static final String EXPECTED_DICT =
                "(expected a dict like {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), })";

        static Header parse(String text, String name) {
            Object parsed = new LiteralParser(text, name).parseAll();
            if (!(parsed instanceof Map<?, ?> dict)) {
                throw error(name, "header is not a dict " + EXPECTED_DICT);
            }
            for (Object key : dict.keySet()) {
                if (!List.of("descr", "fortran_order", "shape").contains(key)) {
                    throw error(name, "header has an unexpected key " + LiteralParser.repr(key) + " "
                            + "(expected only 'descr', 'fortran_order' and 'shape')");
                }
            }
            for (String key : List.of("descr", "fortran_order", "shape")) {
                if (!dict.containsKey(key)) {
                    throw error(name, "header has no '" + key + "' key " + EXPECTED_DICT);
                }
            }
            Object descr = dict.get("descr");
            if (!(descr instanceof String d)) {
                throw error(name, "dtype " + LiteralParser.repr(descr) + " is not supported"
                        + " (structured dtypes are not; expected a real number dtype such as '<f4')");
            }
            Dtype dtype = Dtype.parse(d, name);
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
                throw error(name, "fortran_order is " + LiteralParser.repr(dict.get("fortran_order"))
                        + " (expected True or False)");
            }
            Object shapeValue = dict.get("shape");
            String expectedShape = "(expected a tuple of non-negative integers such as (2, 3))";
            if (!(shapeValue instanceof Tuple(List<Object> items))) {
                throw error(name, "shape " + LiteralParser.repr(shapeValue) + " is not a tuple " + expectedShape);
            }
            if (items.size() > MAX_RANK) {
                throw error(name, "shape has " + items.size() + " dimensions (expected at most " + MAX_RANK
                        + ", NumPy's own limit)");
            }
            int[] shape = new int[items.size()];
            long count = 1;
            for (int k = 0; k < shape.length; k++) {
                if (!(items.get(k) instanceof Long dim)) {
                    throw error(name, "shape " + LiteralParser.repr(shapeValue) + " holds "
                            + LiteralParser.repr(items.get(k)) + ", not an integer " + expectedShape);
                }
                if (dim < 0) {
                    throw error(name, "shape " + LiteralParser.repr(shapeValue) + " has a negative dimension "
                            + expectedShape);
                }
                if (dim > MAX_ELEMENTS) {
                    throw error(name, "shape " + LiteralParser.repr(shapeValue) + " has a dimension larger than"
                            + " a Java array holds (expected at most " + MAX_ELEMENTS + ")");
                }
                shape[k] = (int) (long) dim;
                // Saturates rather than overflows (both factors are below 2^31); a later 0 still gives 0.
                count = Math.min(count * dim, MAX_ELEMENTS + 1L);
            }
            if (count > MAX_ELEMENTS) {
                throw error(name, "shape " + LiteralParser.repr(shapeValue) + " has more elements than a Java"
                        + " array holds (expected at most " + MAX_ELEMENTS + ")");
            }
            return new Header(dtype, fortran, shape, count);
        }
    }

    /** A Python tuple, kept apart from a list because a shape must be a tuple. */
    private record Tuple(List<Object> items) {}

    /**
     * Parses the subset of Python literals found in .npy headers: dicts, tuples, lists, strings,
     * integers, True, False and None. Numbers are Longs; an integer too large for a long is refused.
     */
    private static final class LiteralParser {
        /** Real headers nest two deep; the limit keeps "((((..." from overflowing the stack. */
        private static final int MAX_DEPTH = 16;

        private final String s;
        private final String name;
        private int pos;
        private int depth;

        LiteralParser(String s, String name) {
            this.s = s;
            this.name = name;
        }

        Object parseAll() {
            Object v = value();
            skipSpace();
            if (pos < s.length()) {
                throw syntax("unexpected " + describe(pos) + " after the dict");
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw syntax("it ends early");
            }
            char c = s.charAt(pos);
            if ("{([".indexOf(c) >= 0 && ++depth > MAX_DEPTH) {
                throw syntax("it nests more than " + MAX_DEPTH + " levels deep");
            }
            Object v = switch (c) {
                case '{' -> dict();
                case '(' -> {
                    List<Object> items = new ArrayList<>();
                    boolean comma = sequence(')', items);
                    // (x) is just x in Python; (x,) is a tuple.
                    yield items.size() == 1 && !comma ? items.get(0) : new Tuple(items);
                }
                case '[' -> {
                    List<Object> items = new ArrayList<>();
                    sequence(']', items);
                    yield items;
                }
                case '\'', '"' -> string();
                default -> {
                    if (c == '-' || c == '+' || isDigit(c)) {
                        yield integer();
                    }
                    if (Character.isLetter(c)) {
                        yield word();
                    }
                    throw syntax("unexpected " + describe(pos));
                }
            };
            if ("{([".indexOf(c) >= 0) {
                depth--;
            }
            return v;
        }

        private Map<Object, Object> dict() {
            Map<Object, Object> map = new LinkedHashMap<>();
            pos++;
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                Object key = value();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw syntax("expected ',' or '}' but found " + describe(pos));
                }
            }
        }

        /** Reads items up to the closing character; returns whether the last item had a trailing comma. */
        private boolean sequence(char close, List<Object> items) {
            pos++;
            boolean comma = false;
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    return comma;
                }
                items.add(value());
                skipSpace();
                comma = peek() == ',';
                if (comma) {
                    pos++;
                } else if (peek() != close) {
                    throw syntax("expected ',' or '" + close + "' but found " + describe(pos));
                }
            }
        }

        private String string() {
            char quote = s.charAt(pos++);
            StringBuilder b = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                b.append(c);
            }
            if (pos >= s.length()) {
                throw syntax("a string is not closed");
            }
            pos++;
            return b.toString();
        }

        private Long integer() {
            int start = pos;
            if (peek() == '-' || peek() == '+') {
                pos++;
            }
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            String digits = s.substring(start, pos);
            if (peek() == 'L') {
                pos++; // Python 2 long literal, as in old files: (3L,)
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw syntax("'" + digits + "' is not an integer that fits in 64 bits");
            }
        }

        private Object word() {
            int start = pos;
            while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
                pos++;
            }
            String w = s.substring(start, pos);
            return switch (w) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> Nothing.NONE;
                default -> throw syntax("unexpected name '" + w + "'");
            };
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw syntax("expected '" + c + "' but found " + describe(pos));
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private String describe(int at) {
            return at >= s.length() ? "the end" : "'" + s.charAt(at) + "' at character " + at;
        }

        private NpyFormatException syntax(String detail) {
            return error(name, "header is not a Python dict literal: " + detail + " " + Header.EXPECTED_DICT);
        }

        /** Python's repr of a parsed value, for messages: cut short, since a hostile file can make it long. */
        static String repr(Object v) {
            String r = fullRepr(v);
            return r.length() <= 80 ? r : r.substring(0, 76) + " ...";
        }

        private static String fullRepr(Object v) {
            return switch (v) {
                case String str -> "'" + str + "'";
                case Boolean b -> b ? "True" : "False";
                case Tuple(List<Object> items) -> items.size() == 1
                        ? "(" + fullRepr(items.get(0)) + ",)"
                        : "(" + String.join(", ", items.stream().map(LiteralParser::fullRepr).toList()) + ")";
                case List<?> list -> "[" + String.join(", ", list.stream().map(LiteralParser::fullRepr).toList()) + "]";
                case Map<?, ?> map -> "{" + String.join(", ", map.entrySet().stream()
                        .map(e -> fullRepr(e.getKey()) + ": " + fullRepr(e.getValue())).toList()) + "}";
                default -> String.valueOf(v);
            };
        }
    }

    /** Python's None. */
    private enum Nothing {
        NONE;

        @Override
        public String toString() {
            return "None";
        }
    }
}
