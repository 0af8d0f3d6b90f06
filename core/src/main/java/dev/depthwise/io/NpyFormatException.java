package dev.depthwise.io;

/**
 * Thrown when a file is not a {@code .npy} file that {@link Npy#read} can load. The message names the
 * file, the part of it that is wrong and what was expected, for example
 * {@code x.npy: dtype '<c8' is not supported (expected a real number dtype such as '<f4')}.
 *
 * <p>It extends {@link IllegalArgumentException} because a malformed input file is bad input, reported
 * like any other (the command line prints the message and exits with status 2).
 */
public class NpyFormatException extends IllegalArgumentException {

    /** Creates an exception with the complete message, file name included. */
    public NpyFormatException(String message) {
        super(message);
    }
}
