package dev.depthwise.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses a gzip file (RFC 1952) and refuses anything that is not exactly one or more complete gzip
 * members: a truncated or corrupt stream, a wrong CRC-32 or length in a trailer, and bytes after the last
 * member. {@link java.util.zip.GZIPInputStream} silently ignores such trailing bytes, which would let a
 * damaged or concatenated-with-garbage file pass; here every problem is an {@link IdxFormatException}
 * naming the file.
 *
 * <p>Several members one after another (what {@code cat a.gz b.gz} makes) read as one stream, as
 * {@code gzip -d} reads them. Only {@link Idx} uses this class.
 */
final class StrictGzipInputStream extends InputStream {

    /** The first two bytes of every gzip member. */
    static final int ID1 = 0x1f, ID2 = 0x8b;

    private static final int DEFLATE = 8;
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16, RESERVED = 0xe0;

    private final InputStream in;
    private final String name;
    private final byte[] buf = new byte[1 << 16];
    /** buf[pos, lim) holds compressed bytes not yet consumed; buf[0] is byte bufStart of the file. */
    private int pos, lim;
    private long bufStart;
    private final Inflater inflater = new Inflater(true); // raw deflate: the gzip framing is parsed here
    private final CRC32 crc = new CRC32();
    private long memberBytes;
    private boolean done;

    /**
     * Reads the first member's header, so that a file that is not gzip fails at once.
     *
     * @param in the compressed bytes, starting with the gzip magic; closed by {@link #close()}
     * @param name the file name for messages
     */
    StrictGzipInputStream(InputStream in, String name) throws IOException {
        this.in = in;
        this.name = name;
        try {
            readHeader();
        } catch (IOException | RuntimeException e) {
            end();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!done) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw error("compressed data is corrupt (" + e.getMessage() + ")");
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                // The inflater read past the end of the deflate data; give those bytes back.
                pos = lim - inflater.getRemaining();
                readTrailer();
                if (atEnd()) {
                    done = true;
                } else {
                    readHeader();
                }
            } else if (inflater.needsDictionary()) {
                throw error("compressed data asks for a preset dictionary, which gzip never uses");
            } else {
                if (pos == lim && !fill()) {
                    throw error("compressed data is truncated: the file ends inside the deflate stream");
                }
                inflater.setInput(buf, pos, lim - pos);
                pos = lim;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        end();
        in.close();
    }

    /** Frees the inflater's native memory now rather than at garbage collection; leaves the input open. */
    void end() {
        inflater.end();
    }

    /** Reads a member header (RFC 1952, 2.3.1) and starts a new member. */
    private void readHeader() throws IOException {
        long at = bufStart + pos;
        if (u8("header") != ID1 || u8("header") != ID2) {
            throw error("bytes follow the end of the gzip stream at offset " + at
                    + " (expected nothing, or another gzip member: trailing bytes are refused)");
        }
        int method = u8("header");
        if (method != DEFLATE) {
            throw error("gzip compression method is " + method + " (expected 8, deflate)");
        }
        int flags = u8("header");
        if ((flags & RESERVED) != 0) {
            throw error("gzip header flags 0x" + Integer.toHexString(flags) + " set reserved bits (expected none)");
        }
        skip(6, "header"); // modification time, extra flags, operating system
        if ((flags & FEXTRA) != 0) {
            int extra = u8("header") | u8("header") << 8;
            skip(extra, "header");
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2, "header");
        }
        inflater.reset();
        crc.reset();
        memberBytes = 0;
    }

    /** Checks a member trailer: the CRC-32 and the length mod 2^32 of the decompressed data. */
    private void readTrailer() throws IOException {
        long storedCrc = u32le();
        long storedSize = u32le();
        if (storedCrc != crc.getValue()) {
            throw error("gzip CRC-32 is 0x" + Long.toHexString(storedCrc) + " but the data gives 0x"
                    + Long.toHexString(crc.getValue()) + " (the file is damaged)");
        }
        if (storedSize != (memberBytes & 0xffffffffL)) {
            throw error("gzip trailer says " + storedSize + " bytes (mod 2^32) but the data is "
                    + memberBytes + " bytes (the file is damaged)");
        }
    }

    private long u32le() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) u8("trailer") << (8 * i);
        }
        return v;
    }

    private void skipZeroTerminated() throws IOException {
        while (u8("header") != 0) {
            // a file name or comment: not needed
        }
    }

    private void skip(int n, String part) throws IOException {
        for (int i = 0; i < n; i++) {
            u8(part);
        }
    }

    private int u8(String part) throws IOException {
        if (pos == lim && !fill()) {
            throw error("gzip " + part + " is truncated: the file ends at offset " + (bufStart + pos));
        }
        return buf[pos++] & 0xff;
    }

    private boolean atEnd() throws IOException {
        return pos == lim && !fill();
    }

    /** Refills the empty buffer; false at the end of the file. */
    private boolean fill() throws IOException {
        bufStart += lim;
        pos = 0;
        lim = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        lim = n;
        return true;
    }

    private IdxFormatException error(String message) {
        return new IdxFormatException(name + ": " + message);
    }
}
