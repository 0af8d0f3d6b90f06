package dev.depthwise.cli;

import dev.depthwise.spec.ShapeException;
import dev.depthwise.train.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading a checkpoint named by an option, with the option in the message when the file is not there. */
final class CheckpointFiles {
    private CheckpointFiles() {}

    /**
     * The checkpoint in {@code file}.
     *
     * @throws ShapeException if there is no such file (a bad argument)
     * @throws dev.depthwise.train.checkpoint.CheckpointFormatException if it is not a valid checkpoint
     * @throws UncheckedIOException if it cannot be read
     */
    static Checkpoint load(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ShapeException(option + " " + file + ": no such file" + (Files.isDirectory(file) ? " (a folder)" : ""));
        }
        try {
            return Checkpoint.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
