package dev.depthwise.train.checkpoint;

/**
 * Thrown when a file is not a checkpoint this build can load: not a checkpoint at all, a newer format
 * version, truncated, corrupted (its checksum does not match) or malformed. The message names the file,
 * what is wrong and what was expected, e.g.
 * {@code model.ckpt: truncated: the header promises 81,240 bytes of contents and a 4-byte checksum, the
 * file has 4,096 bytes after the header}.
 *
 * <p>It extends {@link IllegalArgumentException}, like the other file format exceptions of the library,
 * because a bad input file is bad input (the command line prints the message and exits with status 2).
 */
public class CheckpointFormatException extends IllegalArgumentException {

    /** Creates the exception with the complete message, file name included. */
    public CheckpointFormatException(String message) {
        super(message);
    }
}
