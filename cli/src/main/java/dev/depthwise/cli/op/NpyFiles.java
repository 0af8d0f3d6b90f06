package dev.depthwise.cli.op;

import dev.depthwise.io.NdArray;
import dev.depthwise.io.Npy;
import dev.depthwise.spec.ShapeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the inputs of one command and collects its outputs, which are written only after every
 * input has been read and every result computed: a bad argument never leaves an output file behind.
 */
final class NpyFiles {
    private record Pending(Path path, NdArray array) {
    }

    private final List<Pending> pending = new ArrayList<>();

    /** Reads {@code path} (given as {@code option}); a missing file is the user's error, named as such. */
    static NdArray read(String option, Path path) {
        try {
            return Npy.read(path);
        } catch (NoSuchFileException e) {
            throw new ShapeException(option + ": file not found: " + path);
        } catch (IOException e) {
            throw new UncheckedIOException(option + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code path} if given, else null. */
    static NdArray readOptional(String option, Path path) {
        return path == null ? null : read(option, path);
    }

    /** Queues {@code data} of {@code shape} for {@code path}; does nothing when {@code path} is null. */
    void add(Path path, int[] shape, float[] data) {
        if (path != null && data != null) {
            pending.add(new Pending(path, new NdArray(shape, data)));
        }
    }

    /** True when nothing has been queued. */
    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Writes every queued array (each atomically). */
    void writeAll() {
        for (Pending p : pending) {
            try {
                Npy.write(p.path(), p.array());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + p.path() + ": " + e.getMessage(), e);
            }
        }
    }
}
