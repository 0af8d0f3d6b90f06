package dev.depthwise.train.checkpoint;

import dev.depthwise.spec.ShapeException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The checkpoint file format, version {@value #VERSION}: a small binary format of named float32 tensors
 * and string metadata, big-endian, guarded by a length and a checksum so that a truncated or damaged file
 * is always recognised.
 *
 * <pre>
 * offset  size  field
 *      0     8  magic: 0x89 'D' 'W' 'C' 'K' 'P' 'T' 0x0A (the high byte and the newline catch 7-bit and
 *               text-mode transfers, as PNG's magic does)
 *      8     4  format version, u32 (this build writes and reads 1)
 *     12     8  contents length L in bytes, u64
 *     20     L  contents:
 *                 u32 count, then per entry: key, value            (metadata; strings are a u32 byte
 *                 u32 count, then per tensor: name, u32 rank,       length and UTF-8 bytes)
 *                   rank x u32 dims, product(dims) x f32 values
 *   20+L     4  CRC-32 of the contents, u32
 * </pre>
 *
 * <p>Nothing may follow the checksum. Reading checks, in this order: the magic, the version, that the file
 * holds exactly the promised contents and checksum (truncated or extended files are refused), the checksum,
 * then every count, length, rank and dimension against the bytes that are left before allocating for it,
 * valid UTF-8, unique names, and that the contents end where the length says. Writing goes to a temporary
 * file in the same folder, which then replaces the target in one atomic rename: a crash mid-write never
 * leaves a half-written checkpoint under the real name.
 */
public final class CheckpointFile {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;

    /** The highest tensor rank stored. */
    public static final int MAX_RANK = 8;

    /** Longest name or metadata string, in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 1 << 16;

    private static final byte[] MAGIC = {(byte) 0x89, 'D', 'W', 'C', 'K', 'P', 'T', 0x0A};
    private static final int HEADER = MAGIC.length + 4 + 8;
    private static final int TRAILER = 4;

    private CheckpointFile() {}

    /**
     * The contents of a checkpoint: metadata and named tensors, in file order.
     *
     * @param metadata string keys and values
     * @param tensors name to shape and values
     */
    public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {
        public Contents {
            metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }
    }

    /**
     * One stored tensor. The arrays are not copied: the caller owns them.
     *
     * @param shape the dimensions (rank 0 to {@value #MAX_RANK})
     * @param values product(shape) floats in row-major order
     */
    public record Tensor(int[] shape, float[] values) {}

    /** Writes {@code contents} to {@code file}, replacing it atomically. */
    public static void write(Path file, Contents contents) throws IOException {
        byte[] body = encode(contents);
        CRC32 crc = new CRC32();
        crc.update(body);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(body.length);
                out.write(body);
                out.writeInt((int) crc.getValue());
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] encode(Contents c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(c.metadata().size());
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            writeString(out, "metadata key", e.getKey());
            writeString(out, "metadata value of " + e.getKey(), e.getValue());
        }
        out.writeInt(c.tensors().size());
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            Tensor t = e.getValue();
            writeString(out, "tensor name", e.getKey());
            if (t.shape().length > MAX_RANK) {
                throw new ShapeException("checkpoint: tensor " + e.getKey() + " has rank " + t.shape().length
                        + ", at most " + MAX_RANK + " is stored");
            }
            long n = 1;
            out.writeInt(t.shape().length);
            for (int d : t.shape()) {
                if (d < 0) {
                    throw new ShapeException("checkpoint: tensor " + e.getKey() + " has a negative dimension " + d);
                }
                out.writeInt(d);
                n *= d;
            }
            if (n != t.values().length) {
                throw new ShapeException("checkpoint: tensor " + e.getKey() + " has " + t.values().length
                        + " values, its shape " + java.util.Arrays.toString(t.shape()) + " needs " + n);
            }
            ByteBuffer buf = ByteBuffer.allocate(t.values().length * 4);
            buf.asFloatBuffer().put(t.values());
            out.write(buf.array());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String what, String s) throws IOException {
        if (s == null) {
            throw new ShapeException("checkpoint: " + what + " must not be null");
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING_BYTES) {
            throw new ShapeException("checkpoint: " + what + " must be at most " + MAX_STRING_BYTES
                    + " UTF-8 bytes, got " + b.length);
        }
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * Reads and checks a whole checkpoint file.
     *
     * @throws CheckpointFormatException naming the file and what is wrong, if it is not a valid checkpoint
     * @throws IOException if it cannot be read
     */
    public static Contents read(Path file) throws IOException {
        String f = String.valueOf(file);
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(f + ": " + group(size) + " bytes is larger than a checkpoint this build "
                    + "reads (2 GiB)");
        }
        return decode(f, Files.readAllBytes(file));
    }

    /** Checks and decodes the bytes of a checkpoint file called {@code f} in messages. */
    static Contents decode(String f, byte[] data) {
        int m = Math.min(data.length, MAGIC.length);
        if (!java.util.Arrays.equals(data, 0, m, MAGIC, 0, m)) {
            throw new CheckpointFormatException(f + ": not a depthwise checkpoint (it does not start with the magic "
                    + "bytes 89 44 57 43 4b 50 54 0a, \"\\x89DWCKPT\\n\")");
        }
        if (data.length < HEADER) {
            throw new CheckpointFormatException(f + ": truncated: " + data.length + " bytes, shorter than the "
                    + HEADER + "-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        in.position(MAGIC.length);
        long version = Integer.toUnsignedLong(in.getInt());
        if (version != VERSION) {
            throw new CheckpointFormatException(f + ": format version " + version
                    + (version > VERSION ? " is newer than this build reads (" + VERSION + "); use a newer depthwise"
                    : " is not a valid version (this build reads " + VERSION + ")"));
        }
        long length = in.getLong();
        long after = data.length - HEADER;
        if (length < 0 || length + TRAILER > after) {
            throw new CheckpointFormatException(f + ": truncated: the header promises " + group(length)
                    + " bytes of contents and a 4-byte checksum, the file has " + group(after) + " bytes after the header");
        }
        if (length + TRAILER < after) {
            throw new CheckpointFormatException(f + ": " + group(after - length - TRAILER) + " unexpected bytes after the "
                    + "checksum (a damaged file, or two files run together)");
        }
        CRC32 crc = new CRC32();
        crc.update(data, HEADER, (int) length);
        long stored = Integer.toUnsignedLong(ByteBuffer.wrap(data, HEADER + (int) length, TRAILER).getInt());
        if (crc.getValue() != stored) {
            throw new CheckpointFormatException(String.format(Locale.ROOT, "%s: corrupted: the contents' CRC-32 is "
                    + "%08x, the file says %08x (the file was damaged after it was written)", f, crc.getValue(), stored));
        }
        ByteBuffer body = ByteBuffer.wrap(data, HEADER, (int) length).slice();
        try {
            Contents c = parse(f, body);
            if (body.hasRemaining()) {
                throw new CheckpointFormatException(f + ": malformed: " + body.remaining()
                        + " bytes left over after the last tensor");
            }
            return c;
        } catch (BufferUnderflowException e) {
            throw new CheckpointFormatException(f + ": malformed: the contents end in the middle of an entry");
        }
    }

    private static Contents parse(String f, ByteBuffer in) {
        Map<String, String> meta = new LinkedHashMap<>();
        int entries = count(f, in, "metadata entries", 8);
        for (int i = 0; i < entries; i++) {
            String key = string(f, in, "metadata key " + i);
            String value = string(f, in, "metadata value of " + key);
            if (meta.put(key, value) != null) {
                throw new CheckpointFormatException(f + ": malformed: metadata key '" + key + "' appears twice");
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int count = count(f, in, "tensors", 8);
        for (int i = 0; i < count; i++) {
            String name = string(f, in, "tensor name " + i);
            long rank = Integer.toUnsignedLong(in.getInt());
            if (rank > MAX_RANK) {
                throw new CheckpointFormatException(f + ": malformed: tensor " + name + " has rank " + rank + ", at most "
                        + MAX_RANK);
            }
            int[] shape = new int[(int) rank];
            long n = 1;
            for (int d = 0; d < rank; d++) {
                long dim = Integer.toUnsignedLong(in.getInt());
                n *= dim;
                if (dim > Integer.MAX_VALUE || n * 4 > in.remaining()) {
                    throw new CheckpointFormatException(f + ": malformed: tensor " + name + " dimension " + d + " ("
                            + dim + ") makes it larger than the " + group(in.remaining()) + " bytes left");
                }
                shape[d] = (int) dim;
            }
            if (n * 4 > in.remaining()) {
                throw new CheckpointFormatException(f + ": malformed: tensor " + name + " needs " + group(n * 4)
                        + " bytes, " + group(in.remaining()) + " are left");
            }
            float[] values = new float[(int) n];
            in.asFloatBuffer().get(values);
            in.position(in.position() + (int) n * 4);
            if (tensors.put(name, new Tensor(shape, values)) != null) {
                throw new CheckpointFormatException(f + ": malformed: tensor '" + name + "' appears twice");
            }
        }
        return new Contents(meta, tensors);
    }

    /** A u32 count, each of whose items needs at least {@code minBytes}: refused if the rest cannot hold them. */
    private static int count(String f, ByteBuffer in, String what, int minBytes) {
        long n = Integer.toUnsignedLong(in.getInt());
        if (n * minBytes > in.remaining()) {
            throw new CheckpointFormatException(f + ": malformed: " + n + " " + what + " cannot fit in the "
                    + group(in.remaining()) + " bytes left");
        }
        return (int) n;
    }

    private static String string(String f, ByteBuffer in, String what) {
        long len = Integer.toUnsignedLong(in.getInt());
        if (len > MAX_STRING_BYTES || len > in.remaining()) {
            throw new CheckpointFormatException(f + ": malformed: " + what + " is " + len + " bytes long, more than "
                    + (len > MAX_STRING_BYTES ? "the limit of " + MAX_STRING_BYTES : "the " + in.remaining() + " left"));
        }
        byte[] b = new byte[(int) len];
        in.get(b);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(f + ": malformed: " + what + " is not valid UTF-8");
        }
    }

    private static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
