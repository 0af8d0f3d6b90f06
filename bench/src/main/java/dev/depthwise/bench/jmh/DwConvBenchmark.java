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
 * The 3x3 depthwise layers of MobileNet V1 and V2 (unique shapes, 224x224 input) through
 * {@code Conv.forward}. The score is calls per second (10^6 / score = microseconds per call); the
 * secondary results {@code :gflops} and {@code :gbs} are GFLOP/s and GB/s (JMH labels them ops/s).
 * <pre>
 * java -jar bench/target/benchmarks.jar DwConvBenchmark -p layer=v2/112x112x32s1 -p batch=1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DwConvBenchmark {
    /** Every unique depthwise layer of {@code MobileNets} (a test checks that none is missing). */
    @Param({"v1/112x112x32s1", "v1/112x112x64s2", "v1/56x56x128s1", "v1/56x56x128s2", "v1/28x28x256s1",
        "v1/28x28x256s2", "v1/14x14x512s1", "v1/14x14x512s2", "v1/7x7x1024s1",
        "v2/112x112x32s1", "v2/112x112x96s2", "v2/56x56x144s1", "v2/56x56x144s2", "v2/28x28x192s1",
        "v2/28x28x192s2", "v2/14x14x384s1", "v2/14x14x576s1", "v2/14x14x576s2", "v2/7x7x960s1"})
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
        fixture = new ConvFixture(Layer.Kind.DW, layer, batch, layout, threads);
    }

    @Benchmark
    public float[] forward(Rates rates) {
        rates.add(fixture);
        return fixture.forward();
    }
}
