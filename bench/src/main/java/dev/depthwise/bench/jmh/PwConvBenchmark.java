package dev.depthwise.bench.jmh;

import dev.depthwise.bench.Layer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pointwise (1x1) layers of MobileNet V1 and V2 (unique shapes, 224x224 input) through
 * {@code Conv.forward}. The score is calls per second (10^6 / score = microseconds per call); the
 * secondary results {@code :gflops} and {@code :gbs} are GFLOP/s and GB/s (JMH labels them ops/s).
 * <pre>
 * java -jar bench/target/benchmarks.jar PwConvBenchmark -p layer=v2/14x14:96-576 -p batch=1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PwConvBenchmark {
    /** Every unique pointwise layer of {@code MobileNets} (a test checks that none is missing). */
    @Param({"v1/112x112:32-64", "v1/56x56:64-128", "v1/56x56:128-128", "v1/28x28:128-256", "v1/28x28:256-256",
        "v1/14x14:256-512", "v1/14x14:512-512", "v1/7x7:512-1024", "v1/7x7:1024-1024",
        "v2/112x112:32-16", "v2/112x112:16-96", "v2/56x56:96-24", "v2/56x56:24-144", "v2/56x56:144-24",
        "v2/28x28:144-32", "v2/28x28:32-192", "v2/28x28:192-32", "v2/14x14:192-64", "v2/14x14:64-384",
        "v2/14x14:384-64", "v2/14x14:384-96", "v2/14x14:96-576", "v2/14x14:576-96", "v2/7x7:576-160",
        "v2/7x7:160-960", "v2/7x7:960-160", "v2/7x7:960-320", "v2/7x7:320-1280"})
    public String layer;

    @Param({"1", "8"})
    public int batch;

    @Param({"NHWC"})
    public String layout;

    @Param({"1"})
    public int threads;

    private ConvFixture fixture;

    @Setup(Level.Trial)
    public void setup() {
        fixture = new ConvFixture(Layer.Kind.PW, layer, batch, layout, threads);
    }

    @Benchmark
    public float[] forward(Rates rates) {
        rates.add(fixture);
        return fixture.forward();
    }
}
