package dev.depthwise.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/** Whether the JIT is still compiling: the JVM's accumulated compilation time, watched across a pause. */
final class JitActivity {
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private JitActivity() {
    }

    /**
     * Sleeps {@code millis} and says whether the JIT's accumulated compilation time grew meanwhile;
     * false where the JVM does not report it.
     */
    static boolean compiledDuring(long millis) throws InterruptedException {
        if (JIT == null || !JIT.isCompilationTimeMonitoringSupported()) {
            Thread.sleep(millis);
            return false;
        }
        long before = JIT.getTotalCompilationTime();
        Thread.sleep(millis);
        return JIT.getTotalCompilationTime() > before;
    }
}
