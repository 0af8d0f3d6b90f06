package dev.depthwise.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH secondary results: the work done, in units of 10^9 per call, which JMH divides by the time
 * (throughput mode, per second): {@code gflops} reads as GFLOP/s and {@code gbs} as GB/s, bytes
 * being input + output + weights, once per call.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Rates {
    public double gflops;
    public double gbs;

    @Setup(Level.Iteration)
    public void reset() {
        gflops = 0;
        gbs = 0;
    }

    void add(ConvFixture f) {
        gflops += f.gigaFlops;
        gbs += f.gigaBytes;
    }
}
