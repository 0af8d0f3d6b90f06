package dev.depthwise.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime's Java API on one layer: a session of the layer's one-op model (all graph
 * optimizations, {@code threads} intra-op threads, one inter-op thread, sequential execution), run
 * on NCHW tensors over direct buffers (no copy on the way in) into pinned output tensors (no
 * allocation on the way out), as a careful caller would.
 */
final class OrtSide implements Side, AutoCloseable {
    /** ORT's session option that lets idle intra-op threads spin; its default is on. */
    static final String SPIN_KEY = "session.intra_op.allow_spinning";

    private final OrtSession session;
    private final OnnxTensor[] xs;
    private final OnnxTensor[] ys;
    private final FloatBuffer[] yData;
    private final List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> outputs = new ArrayList<>();

    /** The process's one ORT environment, logging errors only (the same name and level everywhere, or ORT warns). */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "depthwise-bench");
    }

    OrtSide(OrtEnvironment env, LayerData d, int threads, boolean spin, int buffers) throws OrtException {
        this(env, d, options(threads, spin, null), buffers);
    }

    private OrtSide(OrtEnvironment env, LayerData d, OrtSession.SessionOptions options, int buffers)
            throws OrtException {
        Layer l = d.layer();
        try (options) {
            session = env.createSession(d.onnxModel(), options);
        }
        long[] inShape = {d.batch(), l.c(), l.h(), l.w()};
        long[] outShape = {d.batch(), l.k(), l.outH(), l.outW()};
        int outLength = Math.toIntExact(l.outputLength(d.batch()));
        xs = new OnnxTensor[buffers];
        ys = new OnnxTensor[buffers];
        yData = new FloatBuffer[buffers];
        for (int i = 0; i < buffers; i++) {
            FloatBuffer x = direct(d.x().length);
            x.put(0, d.x());
            yData[i] = direct(outLength);
            xs[i] = OnnxTensor.createTensor(env, x, inShape);
            ys[i] = OnnxTensor.createTensor(env, yData[i], outShape);
            inputs.add(Map.of("x", xs[i]));
            outputs.add(Map.of("y", ys[i]));
        }
    }

    /** A session with profiling on, writing into {@code dir}; its runs are slower, so time only through the profile. */
    static OrtSide profiled(OrtEnvironment env, LayerData d, int threads, boolean spin, int buffers, Path dir)
            throws OrtException {
        return new OrtSide(env, d, options(threads, spin, dir.resolve("ort-profile").toString()), buffers);
    }

    private static OrtSession.SessionOptions options(int threads, boolean spin, String profilePrefix)
            throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.addConfigEntry(SPIN_KEY, spin ? "1" : "0");
        if (profilePrefix != null) {
            o.enableProfiling(profilePrefix);
        }
        return o;
    }

    @Override
    public void run(int buffer) throws OrtException {
        session.run(inputs.get(buffer), outputs.get(buffer)).close();
    }

    @Override
    public float[] outputNchw(int buffer) {
        float[] y = new float[yData[buffer].capacity()];
        yData[buffer].get(0, y);
        return y;
    }

    /** Ends profiling and returns the parsed profile; the file is deleted. */
    OrtProfile endProfiling() throws OrtException, IOException {
        Path file = Path.of(session.endProfiling());
        try {
            return OrtProfile.parse(Files.readString(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() throws OrtException {
        for (int i = 0; i < xs.length; i++) {
            xs[i].close();
            ys[i].close();
        }
        session.close();
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
