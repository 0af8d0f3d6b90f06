package dev.depthwise.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ONNX Runtime's profile (the JSON file {@code SessionOptions.enableProfiling} asks for) reduced to
 * what the benchmark reports: per run, the time of each operator's kernels. The file is a JSON array
 * of trace events; those that matter here are
 * <pre>{@code
 * {"cat":"Session", "name":"model_run", "ts":19380, "dur":219, ...}
 * {"cat":"Node", "name":"y_nchwc_kernel_time", "ts":19527, "dur":37, "args":{"op_name":"Conv", ...}}
 * }</pre>
 * with times in microseconds. A node event belongs to the {@code model_run} whose interval holds its
 * start. With graph optimizations on, ONNX Runtime's x86 build turns a Conv into its blocked-layout
 * (NCHWc) Conv between {@code ReorderInput} and {@code ReorderOutput} nodes, often with the
 * activation fused in.
 */
public record OrtProfile(List<Run> runs) {

    /** The operators that only change the layout. */
    public static final Set<String> REORDER_OPS = Set.of("ReorderInput", "ReorderOutput", "Transpose");

    /** One {@code model_run}: its wall time and the summed kernel time of each operator, microseconds. */
    public record Run(long wallUs, Map<String, Long> opUs) {
        /** Time of the kernels that compute (every operator but the layout reorders). */
        public long kernelUs() {
            return opUs.entrySet().stream().filter(e -> !REORDER_OPS.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Time of the layout reorders. */
        public long reorderUs() {
            return opUs.entrySet().stream().filter(e -> REORDER_OPS.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** The medians over the runs after the first {@code skip}, microseconds, and the operators seen. */
    public record Summary(int runs, double wallUs, double kernelUs, double reorderUs, Set<String> ops) {
    }

    public OrtProfile {
        runs = List.copyOf(runs);
    }

    /** Parses a profile file's text. */
    public static OrtProfile parse(String json) {
        if (!(Json.parse(json) instanceof List<?> events)) {
            throw new IllegalArgumentException("ONNX Runtime profile: expected a JSON array of events");
        }
        List<long[]> intervals = new ArrayList<>();
        for (Object o : events) {
            if (o instanceof Map<?, ?> e && "Session".equals(e.get("cat")) && "model_run".equals(e.get("name"))) {
                intervals.add(new long[] {number(e, "ts"), number(e, "dur")});
            }
        }
        intervals.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Map<String, Long>> ops = new ArrayList<>();
        for (int i = 0; i < intervals.size(); i++) {
            ops.add(new TreeMap<>());
        }
        for (Object o : events) {
            if (!(o instanceof Map<?, ?> e) || !"Node".equals(e.get("cat"))
                    || !(e.get("name") instanceof String name) || !name.endsWith("_kernel_time")) {
                continue;
            }
            String op = e.get("args") instanceof Map<?, ?> args && args.get("op_name") instanceof String s ? s
                    : name.substring(0, name.length() - "_kernel_time".length());
            long ts = number(e, "ts");
            for (int i = 0; i < intervals.size(); i++) {
                long[] run = intervals.get(i);
                if (ts >= run[0] && ts <= run[0] + run[1]) {
                    ops.get(i).merge(op, number(e, "dur"), Long::sum);
                    break;
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < intervals.size(); i++) {
            runs.add(new Run(intervals.get(i)[1], ops.get(i)));
        }
        return new OrtProfile(runs);
    }

    /** Medians over the runs after the first {@code skip} (warm-up); all runs if fewer remain. */
    public Summary summary(int skip) {
        List<Run> kept = runs.size() > skip ? runs.subList(skip, runs.size()) : runs;
        Set<String> ops = new java.util.TreeSet<>();
        kept.forEach(r -> ops.addAll(r.opUs().keySet()));
        return new Summary(kept.size(),
                Stats.median(kept.stream().mapToDouble(Run::wallUs).toArray()),
                Stats.median(kept.stream().mapToDouble(Run::kernelUs).toArray()),
                Stats.median(kept.stream().mapToDouble(Run::reorderUs).toArray()), ops);
    }

    private static long number(Map<?, ?> event, String key) {
        if (event.get(key) instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("ONNX Runtime profile: event " + event.get("name") + " has no number '"
                + key + "'");
    }
}
