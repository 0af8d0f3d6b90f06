package dev.depthwise.cli;

import dev.depthwise.op.Parallel;
import java.io.PrintWriter;

/** The {@code --threads} option: how many threads the ops split their work over. */
final class Threads {
    private Threads() {}

    /**
     * Asks for {@code requested} threads (null: keep the default, one per core) and returns the count
     * in force. The count is fixed when the thread pool is first used ({@link Parallel#PROPERTY}); if that
     * already happened in this JVM with another count, says so on {@code err} and keeps it.
     *
     * @throws dev.depthwise.spec.ShapeException if {@code requested} is below 1
     */
    static int use(Integer requested, PrintWriter err) {
        if (requested != null) {
            if (requested < 1) {
                throw new dev.depthwise.spec.ShapeException("--threads must be >= 1, got " + requested);
            }
            System.setProperty(Parallel.PROPERTY, Integer.toString(requested));
        }
        int inForce = Parallel.defaultThreads();
        if (requested != null && inForce != requested) {
            err.println("depthwise: --threads " + requested + " ignored: this JVM's ops already run on " + inForce
                    + " threads");
        }
        return inForce;
    }
}
