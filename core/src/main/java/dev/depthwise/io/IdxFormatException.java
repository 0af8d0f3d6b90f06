package dev.depthwise.io;

/**
 * Thrown when a file is not an IDX file that {@link Idx#read} can load. The message names the file, the
 * part of it that is wrong and what was expected, for example
 * {@code train.idx: type code 0x0a is not an IDX type (expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int,
 * 0x0d float or 0x0e double)}.
 *
 * <p>It extends {@link IllegalArgumentException}, like {@link NpyFormatException}, because a malformed
 * input file is bad input, reported like any other (the command line prints the message and exits with
 * status 2).
 */
public class IdxFormatException extends IllegalArgumentException {

    /** Creates an exception with the complete message, file name included. */
    public IdxFormatException(String message) {
        super(message);
    }
}
