package dev.depthwise.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How many threads did a library's work, read from Linux's per-thread CPU times: a check that a
 * native library really runs on the thread count it was told (its settings are not always honoured).
 */
final class ThreadUse {
    /** A thread counts when it ran at least this fraction of the wall time. */
    static final double BUSY = 0.1;

    private ThreadUse() {
    }

    /** Work that may throw. */
    interface Work {
        void run() throws Exception;
    }

    /**
     * Runs {@code work} repeatedly for at least {@code seconds}, and returns how many of the threads
     * named like the calling thread (native threads such as OpenMP's inherit its name; the JVM's
     * own and this library's pool have their own names) used at least {@link #BUSY} of that time;
     * -1 where the per-thread times cannot be read (not Linux).
     */
    static int busyThreads(Work work, double seconds) throws Exception {
        Path self = Path.of("/proc/thread-self/comm");
        if (!Files.isReadable(self)) {
            return -1;
        }
        String name = Files.readString(self).strip();
        Map<String, Long> before = ticks(name);
        long start = System.nanoTime();
        do {
            work.run();
        } while (System.nanoTime() - start < seconds * 1e9);
        double wallTicks = (System.nanoTime() - start) / 1e9 * 100; // USER_HZ: 100 on Linux
        Map<String, Long> after = ticks(name);
        int busy = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            if (e.getValue() - before.getOrDefault(e.getKey(), 0L) >= BUSY * wallTicks) {
                busy++;
            }
        }
        return busy;
    }

    /** user + system clock ticks of each thread named {@code name}, by thread id. */
    private static Map<String, Long> ticks(String name) throws IOException {
        Map<String, Long> m = new HashMap<>();
        List<Path> tasks;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            tasks = s.toList();
        }
        for (Path t : tasks) {
            String stat;
            try {
                stat = Files.readString(t.resolve("stat"));
            } catch (IOException e) {
                continue; // the thread has ended
            }
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (!stat.substring(open + 1, close).equals(name)) {
                continue;
            }
            // after "pid (comm) ": state, ppid, ..., utime is field 14 and stime 15 of the whole line
            String[] f = stat.substring(close + 2).split(" ");
            m.put(t.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
        }
        return m;
    }
}
