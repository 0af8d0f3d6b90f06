package dev.depthwise.io;

import dev.depthwise.spec.ShapeException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Reads IDX files, the format of MNIST, Fashion-MNIST, EMNIST and Kuzushiji-MNIST, as {@link NdArray}s of
 * float32, and writes them with unsigned-byte elements.
 *
 * <p><b>The format</b> (LeCun et al., <a href="http://yann.lecun.com/exdb/mnist/">the MNIST page</a>): a
 * 4-byte magic number, two zero bytes, a type code and the rank; then one 32-bit big-endian size per
 * dimension; then the elements in C (row-major) order, big-endian. The type codes are those of
 * {@link Type}: {@code 0x08} unsigned byte, {@code 0x09} signed byte, {@code 0x0b} short, {@code 0x0c}
 * int, {@code 0x0d} float, {@code 0x0e} double. All are converted to float32, rounding to the nearest
 * float: ints above 2^24 in magnitude may lose precision and doubles beyond float's range become infinite.
 *
 * <p><b>Compression</b>: a file that starts with the gzip magic ({@code 1f 8b}) is decompressed on the
 * fly, whatever its name (data sets are usually published as {@code *-ubyte.gz}).
 *
 * <p><b>Refused</b>, with an {@link IdxFormatException} naming the file, the field and the rule: a magic
 * number that does not start with two zero bytes, an unknown type code, rank 0 or more than
 * {@value #MAX_RANK}, a header or data shorter than the header promises, data <em>longer</em> than it
 * promises (trailing bytes mean a wrong header or a damaged file), dimensions whose product is more than a
 * Java array holds (the sizes are unsigned 32-bit, multiplied in {@code long}), and a damaged gzip stream.
 * Nothing is allocated for the data before it is known to be there: for a plain file the sizes are
 * checked against the file's length first; a gzip stream is decompressed in chunks up to what the header
 * promises, so a small file whose header promises gigabytes fails after reading what it holds, and a
 * stream that decompresses to more than promised (a "gzip bomb") is stopped one byte past the promise.
 *
 * <p><b>Rank</b>: IDX files in the wild have rank 1 (labels), 3 (images) or 4 (NORB); a rank of 0 has no
 * meaning in the format (it describes "vectors and matrices"), and a rank above {@value #MAX_RANK} is
 * taken for a damaged header rather than data, so both are refused.
 */
public final class Idx {

    /** The highest rank read or written; see the class comment. */
    public static final int MAX_RANK = 8;

    /** The largest array the JVM reliably allocates (some reserve a few header words). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

    /** Bytes read per chunk: a multiple of every element size, so no element straddles two chunks. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final String TYPES = "(expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float"
            + " or 0x0e double)";

    /** The element types of the IDX format, with their type codes and sizes in bytes. */
    public enum Type {
        /** {@code 0x08}: unsigned 8-bit integer, 0..255 (MNIST's pixels and labels). */
        UBYTE(0x08, 1),
        /** {@code 0x09}: signed 8-bit integer. */
        BYTE(0x09, 1),
        /** {@code 0x0b}: signed 16-bit integer, big-endian. */
        SHORT(0x0b, 2),
        /** {@code 0x0c}: signed 32-bit integer, big-endian. */
        INT(0x0c, 4),
        /** {@code 0x0d}: IEEE 754 32-bit float, big-endian. */
        FLOAT(0x0d, 4),
        /** {@code 0x0e}: IEEE 754 64-bit float, big-endian. */
        DOUBLE(0x0e, 8);

        private final int code;
        private final int size;

        Type(int code, int size) {
            this.code = code;
            this.size = size;
        }

        /** The type code, the third byte of the magic number. */
        public int code() {
            return code;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** True for the integer types (ubyte, byte, short, int). */
        public boolean isInteger() {
            return this != FLOAT && this != DOUBLE;
        }

        /** The type with this code, or null. */
        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        /** Converts {@code n} big-endian elements from {@code b} to {@code out[off ...]}. */
        void decode(ByteBuffer b, float[] out, int off, int n) {
            for (int i = off; i < off + n; i++) {
                out[i] = switch (this) {
                    case UBYTE -> b.get() & 0xff;
                    case BYTE -> b.get();
                    case SHORT -> b.getShort();
                    case INT -> (float) b.getInt();
                    case FLOAT -> b.getFloat();
                    case DOUBLE -> (float) b.getDouble();
                };
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What an IDX file holds: the element type it was stored with (so that a caller can, for example,
     * scale 0..255 pixels to 0..1 only when they were bytes) and the elements as float32.
     *
     * @param type the stored element type
     * @param array the elements, converted to float32, with the file's dimensions as shape
     */
    public record Contents(Type type, NdArray array) {}

    private Idx() {}

    /**
     * Reads an IDX file, plain or gzip'd, converting its elements to float32.
     *
     * @throws IdxFormatException if the file is not an IDX file this reader supports
     * @throws IOException if the file cannot be read
     */
    public static NdArray read(Path file) throws IOException {
        return readContents(file).array();
    }

    /**
     * Reads an IDX file, plain or gzip'd, and says which element type it stored.
     *
     * @throws IdxFormatException if the file is not an IDX file this reader supports
     * @throws IOException if the file cannot be read
     */
    public static Contents readContents(Path file) throws IOException {
        long length = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return readContents(in, file.toString(), length);
        }
    }

    /**
     * Reads an IDX stream, plain or gzip'd, to its end (a class-path resource, for example). The stream is
     * not closed.
     *
     * @param name what to call the stream in messages
     * @throws IdxFormatException if the stream is not an IDX file this reader supports
     * @throws IOException if the stream cannot be read
     */
    public static Contents readContents(InputStream in, String name) throws IOException {
        return readContents(in, name, -1);
    }

    /** {@code length} is the plain file's length, or -1 when unknown (a stream). */
    private static Contents readContents(InputStream raw, String name, long length) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == StrictGzipInputStream.ID1 && b1 == StrictGzipInputStream.ID2) {
            // The decompressed length is unknown until the end; the reader bounds it by the header instead.
            StrictGzipInputStream gz = new StrictGzipInputStream(in, name);
            try {
                return parse(gz, name, -1, "decompressed data");
            } finally {
                gz.end(); // not close(): the caller owns the stream
            }
        }
        return parse(in, name, length, "data");
    }

    /**
     * Parses header and data. With a known {@code length}, sizes are checked against it before reading;
     * without, the data is read in chunks no further than the header promises, then one more byte must
     * not be there.
     */
    private static Contents parse(InputStream in, String name, long length, String what) throws IOException {
        if (length >= 0 && length < 4) {
            throw error(name, "file is " + length + " bytes long, too short for an IDX header"
                    + " (expected at least 4 bytes: 0x0000, a type code and a rank)");
        }
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw error(name, what + " ends after " + magic.length + " bytes, too short for an IDX header"
                    + " (expected at least 4 bytes: 0x0000, a type code and a rank)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw error(name, "magic number " + hex(magic) + " does not start with two zero bytes, so this is not"
                    + " an IDX file (expected 0x0000, a type code and a rank, such as 0x00000803 for MNIST images)");
        }
        int code = magic[2] & 0xff;
        Type type = Type.of(code);
        if (type == null) {
            throw error(name, "type code 0x" + String.format("%02x", code) + " is not an IDX type " + TYPES);
        }
        int rank = magic[3] & 0xff;
        if (rank < 1 || rank > MAX_RANK) {
            throw error(name, "rank " + rank + " is not supported (expected 1 to " + MAX_RANK + ")");
        }
        long headerBytes = 4 + 4L * rank;
        if (length >= 0 && length < headerBytes) {
            throw error(name, "header is truncated: rank " + rank + " needs " + headerBytes
                    + " header bytes but the file is " + length + " bytes long");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw error(name, "header is truncated: rank " + rank + " needs " + headerBytes + " header bytes but the "
                    + what + " ends after " + (4 + dimBytes.length));
        }
        ByteBuffer db = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        long[] dims = new long[rank];
        long count = 1;
        for (int k = 0; k < rank; k++) {
            dims[k] = db.getInt() & 0xffffffffL; // unsigned: the format has no negative sizes
            // Saturates instead of overflowing: count <= MAX_ELEMENTS + 1 < 2^31 and dims[k] < 2^32.
            count = Math.min(count * dims[k], MAX_ELEMENTS + 1);
        }
        if (count > MAX_ELEMENTS) {
            throw error(name, "dims " + dimString(dims) + " hold more elements than a Java array holds"
                    + " (expected at most " + MAX_ELEMENTS + " in all)");
        }
        int[] shape = new int[rank];
        for (int k = 0; k < rank; k++) {
            if (dims[k] > MAX_ELEMENTS) {
                // Possible here only when another dimension is 0; still no shape a Java array can describe.
                throw error(name, "dims[" + k + "] is " + dims[k] + ", more than a Java array holds"
                        + " (expected at most " + MAX_ELEMENTS + ")");
            }
            shape[k] = (int) dims[k];
        }
        long dataBytes = count * type.size();
        String need = "dims " + dimString(dims) + " of type " + type + " need " + dataBytes + " bytes";
        if (length >= 0 && length - headerBytes != dataBytes) {
            long available = length - headerBytes;
            throw error(name, "data is " + available + " bytes but " + need + (available < dataBytes
                    ? " (expected the file to hold the whole array: it is truncated)"
                    : " (expected exactly that: trailing bytes are refused)"));
        }
        List<byte[]> chunks = new ArrayList<>();
        long got = 0;
        while (got < dataBytes) {
            int want = (int) Math.min(CHUNK_BYTES, dataBytes - got);
            byte[] chunk = in.readNBytes(want);
            got += chunk.length;
            if (chunk.length < want) {
                throw error(name, what + " is truncated: it ends after " + got + " bytes but " + need);
            }
            chunks.add(chunk);
        }
        if (in.read() != -1) {
            throw error(name, what + " is longer than the header promises: " + need
                    + " (expected exactly that: trailing bytes are refused)");
        }
        float[] data = new float[(int) count];
        int off = 0;
        for (byte[] chunk : chunks) {
            int n = chunk.length / type.size();
            type.decode(ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN), data, off, n);
            off += n;
        }
        return new Contents(type, new NdArray(shape, data));
    }

    /**
     * Writes an array as an IDX file of unsigned bytes (type {@code 0x08}, MNIST's), gzip'd or not. The data
     * goes to a temporary file in the same directory, which then replaces {@code file} in one atomic rename,
     * so readers never see a partial file, and a failure leaves {@code file} as it was.
     *
     * @param gzip whether to compress (the reader detects either)
     * @throws ShapeException if the rank is not 1 to {@value #MAX_RANK}, or an element is not a whole
     *     number in 0..255 (nothing is written)
     * @throws IOException if the file cannot be written (nothing is left behind)
     */
    public static void writeUbyte(Path file, NdArray array, boolean gzip) throws IOException {
        String op = "idx write";
        if (array == null) {
            throw new ShapeException(op + ": array must not be null");
        }
        int[] shape = array.shape();
        if (shape.length < 1 || shape.length > MAX_RANK) {
            throw new ShapeException(op + ": array rank must be 1 to " + MAX_RANK + ", got " + shape.length);
        }
        float[] data = array.data();
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
                throw new ShapeException(op + ": array element " + i + " must be a whole number in 0..255"
                        + " to be stored as ubyte, got " + v);
            }
        }
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * shape.length).order(ByteOrder.BIG_ENDIAN);
        header.put((byte) 0).put((byte) 0).put((byte) Type.UBYTE.code()).put((byte) shape.length);
        for (int d : shape) {
            header.putInt(d);
        }
        Path dir = file.toAbsolutePath().getParent();
        // As in Npy.write: not Files.createTempFile, which makes the file private (0600) for good.
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = gzip ? new GZIPOutputStream(raw, CHUNK_BYTES) : raw) {
                out.write(header.array());
                byte[] chunk = new byte[Math.min(data.length, CHUNK_BYTES)];
                for (int off = 0; off < data.length; ) {
                    int n = Math.min(chunk.length, data.length - off);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = (byte) (int) data[off + i];
                    }
                    out.write(chunk, 0, n);
                    off += n;
                }
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

    private static String dimString(long[] dims) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (long d : dims) {
            j.add(Long.toString(d));
        }
        return j.toString();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder("0x");
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    private static IdxFormatException error(String file, String message) {
        return new IdxFormatException(file + ": " + message);
    }
}
