package dev.depthwise.cli.op;

import dev.depthwise.io.NdArray;
import dev.depthwise.io.Npy;
import dev.depthwise.io.NpyFormatException;
import dev.depthwise.spec.ShapeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the inputs of one command and collects its outputs, which are written only after every
 * input has been read and every result computed, and then all or nothing: each is first written
 * beside its target under a temporary name, and only when all of them succeeded are they moved
 * into place. A bad argument never leaves an output file behind.
 */
final class NpyFiles {
    private record Pending(String option, Path path, NdArray array) {
    }

    private final List<Pending> pending = new ArrayList<>();

    /** Reads {@code path} (given as {@code option}); errors name the option. */
    static NdArray read(String option, Path path) {
        try {
            return Npy.read(path);
        } catch (NoSuchFileException e) {
            throw new ShapeException(option + ": file not found: " + path);
        } catch (NpyFormatException e) {
            throw new ShapeException(option + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(option + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code path} if given, else null. */
    static NdArray readOptional(String option, Path path) {
        return path == null ? null : read(option, path);
    }

    /**
     * Queues {@code data} of {@code shape} for {@code path} (given as {@code option}); does nothing
     * when {@code path} is null. A missing output folder is refused here, before anything is written.
     */
    void add(String option, Path path, int[] shape, float[] data) {
        if (path == null || data == null) {
            return;
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ShapeException(option + ": cannot write " + path + ": folder " + dir + " does not exist");
        }
        pending.add(new Pending(option, path, new NdArray(shape, data)));
    }

    /** True when nothing has been queued. */
    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Writes every queued array, all or nothing. */
    void writeAll() {
        List<Path> temps = new ArrayList<>();
        try {
            for (Pending p : pending) {
                Path temp = p.path().resolveSibling("." + p.path().getFileName() + ".part");
                temps.add(temp);
                Npy.write(temp, p.array());
            }
            for (int i = 0; i < pending.size(); i++) {
                Files.move(temps.get(i), pending.get(i).path(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException ignored) {
                    // best effort: the original error is the one to report
                }
            }
            throw new UncheckedIOException("cannot write the outputs: " + e.getMessage(), e);
        }
    }
}
