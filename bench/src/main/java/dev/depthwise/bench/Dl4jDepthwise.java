package dev.depthwise.bench;

import java.io.InputStream;
import java.util.Properties;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Deeplearning4j (ND4J's CPU backend) on one 3x3 depthwise layer: a one-layer network of a
 * {@code DepthwiseConvolution2D} (NCHW, {@code ConvolutionMode.Same}, the layer's stride, depth
 * multiplier 1, identity activation, bias), float32, with the same weights and data as our sides.
 *
 * <p>Forward is the layer's inference call, {@code activate(x, false, noWorkspaces)}: what
 * {@code MultiLayerNetwork.output} runs for this layer, without the network's workspace set-up; it
 * allocates its output. Backward is the {@code depthwise_conv2d_bp} op that
 * {@code DepthwiseConvolution2DLayer.backpropGradient} runs, called directly with the layer's own
 * arguments into kept dx, dW and db: exactly dx + dW + db. The layer's {@code backpropGradient} also
 * recomputes the forward pass (for the activation's derivative) first, so it costs about one forward
 * more; {@link #layerBackpropError} checks once that both give the same gradients.
 */
final class Dl4jDepthwise implements AutoCloseable {
    /** {@code -Ddepthwise.dl4j=off} leaves Deeplearning4j out (as if its natives did not load). */
    static final String PROPERTY = "depthwise.dl4j";

    private static String loadFailure;
    private static boolean loaded;

    private final Layer layer;
    private final int batch;
    private final MultiLayerNetwork net;
    private final org.deeplearning4j.nn.api.Layer dw;
    private final LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
    private final INDArray[] xs;
    private final INDArray[] dys;
    private final INDArray[] ys;
    private final INDArray[] dxs;
    private final INDArray dW;
    private final INDArray db;
    private final DynamicCustomOp[] backwardOps;

    /**
     * Loads ND4J's natives once and sets its thread counts; null when ready, else why not (a line).
     * ND4J's threads: {@code Environment.setMaxMasterThreads} (its own parallel loops),
     * {@code setOmpNumThreads} (OpenMP) and the BLAS's; {@code Environment.setMaxThreads} is a no-op
     * in this release, and OMP_NUM_THREADS is read only when the natives load.
     */
    static synchronized String load(int threads) {
        if ("off".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
            return "left out (-D" + PROPERTY + "=off)";
        }
        if (!loaded) {
            loaded = true;
            try {
                Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
                Nd4j.create(DataType.FLOAT, 1).close();
            } catch (LinkageError | RuntimeException e) {
                loadFailure = "its natives did not load on " + System.getProperty("os.name") + "/"
                        + System.getProperty("os.arch") + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + ")";
            }
        }
        if (loadFailure == null) {
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        return loadFailure;
    }

    /** Deeplearning4j's version, from its jar. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = MultiLayerNetwork.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            // unknown, below
        }
        return p.getProperty("version", "(unknown version)");
    }

    /**
     * The network for {@code d}'s layer, its weights set from {@code filterHwcm} ({@code [3][3][C][1]},
     * DL4J's depthwise layout) and {@code d.dwBias()}, and {@code buffers} NCHW copies of x and of
     * {@code dyNchw}. {@link #load} must have returned null.
     */
    Dl4jDepthwise(LayerData d, float[] filterHwcm, float[] dyNchw, int buffers) {
        layer = d.layer();
        batch = d.batch();
        int c = layer.c();
        int s = layer.stride();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new DepthwiseConvolution2D.Builder().kernelSize(Layer.KERNEL, Layer.KERNEL).stride(s, s)
                        .depthMultiplier(1).nIn(c).nOut(c).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(CNN2DFormat.NCHW).activation(Activation.IDENTITY).hasBias(true).build())
                .setInputType(InputType.convolutional(layer.h(), layer.w(), c, CNN2DFormat.NCHW)).build();
        net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        net.getParam("0_W").assign(Nd4j.create(filterHwcm, new long[] {Layer.KERNEL, Layer.KERNEL, c, 1}, 'c'));
        net.getParam("0_b").assign(Nd4j.create(d.dwBias(), new long[] {c}, 'c'));
        dw = net.getLayer(0);

        long[] inShape = {batch, c, layer.h(), layer.w()};
        long[] outShape = {batch, c, layer.outH(), layer.outW()};
        xs = new INDArray[buffers];
        dys = new INDArray[buffers];
        ys = new INDArray[buffers];
        dxs = new INDArray[buffers];
        dW = Nd4j.create(DataType.FLOAT, Layer.KERNEL, Layer.KERNEL, c, 1);
        db = Nd4j.create(DataType.FLOAT, c);
        backwardOps = new DynamicCustomOp[buffers];
        for (int i = 0; i < buffers; i++) {
            xs[i] = Nd4j.create(d.x(), inShape, 'c');
            dys[i] = Nd4j.create(dyNchw, outShape, 'c');
            dxs[i] = Nd4j.create(DataType.FLOAT, inShape);
        }
        int[] args = backwardArgs(xs[0]);
        for (int i = 0; i < buffers; i++) {
            backwardOps[i] = DynamicCustomOp.builder("depthwise_conv2d_bp")
                    .addInputs(xs[i], net.getParam("0_W"), net.getParam("0_b"), dys[i])
                    .addIntegerArguments(args).addOutputs(dxs[i], dW, db).callInplace(false).build();
        }
    }

    /**
     * The op's integer arguments as {@code DepthwiseConvolution2DLayer.backpropGradient} builds them:
     * kernel, stride, DL4J's 'same' top-left padding, dilation, same mode, NHWC flag.
     */
    private int[] backwardArgs(INDArray x) {
        int k = Layer.KERNEL;
        int s = layer.stride();
        int[] kernel = {k, k};
        int[] strides = {s, s};
        int[] dilation = {1, 1};
        int[] outSize = ConvolutionUtils.getOutputSize(x, kernel, strides, null,
                ConvolutionMode.Same, dilation, CNN2DFormat.NCHW);
        int[] pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[] {layer.h(), layer.w()}, kernel,
                strides, dilation);
        return new int[] {k, k, s, s, pad[0], pad[1], dilation[0], dilation[1], 1, 0};
    }

    /** The forward pass as a side: the layer's inference call on buffer {@code b}. */
    Side forward() {
        return new Side() {
            @Override
            public void run(int b) {
                INDArray y = dw.activate(xs[b], false, noWorkspaces);
                if (ys[b] != null && ys[b] != y) {
                    ys[b].close();
                }
                ys[b] = y;
            }

            @Override
            public float[] outputNchw(int b) {
                return floats(ys[b]);
            }
        };
    }

    /** The backward pass as a side: {@code depthwise_conv2d_bp} on buffer {@code b}, dx into its buffer. */
    Side backward() {
        return new Side() {
            @Override
            public void run(int b) {
                Nd4j.getExecutioner().exec(backwardOps[b]);
            }

            @Override
            public float[] outputNchw(int b) {
                return floats(dxs[b]);
            }
        };
    }

    /** The filter gradient of the last backward call, as ONNX's OIHW {@code [C][1][3][3]}. */
    float[] dfilterOihw() {
        return OurBackwardSide.hwcmToOihw(floats(dW), layer.c());
    }

    /** The bias gradient of the last backward call. */
    float[] dbias() {
        return floats(db);
    }

    /**
     * The layer's own {@code backpropGradient} on buffer 0 (after its forward in training mode, as
     * the network's {@code computeGradientAndScore} would call it), compared with the op's last
     * results on buffer 0: the largest relative error over dx, dW and db.
     */
    double layerBackpropError() {
        dw.setInput(xs[0], noWorkspaces);
        dw.activate(true, noWorkspaces);
        Pair<Gradient, INDArray> p = dw.backpropGradient(dys[0], noWorkspaces);
        float[] dx = floats(p.getSecond());
        float[] w = floats(p.getFirst().getGradientFor("W"));
        float[] b = floats(p.getFirst().getGradientFor("b"));
        dw.clear();
        return Math.max(LayerBench.relativeError(dx, floats(dxs[0])),
                Math.max(LayerBench.relativeError(w, floats(dW)),
                        LayerBench.relativeError(b, floats(db))));
    }

    /** The elements of {@code a} in C order (toFloatVector takes vectors only). */
    private static float[] floats(INDArray a) {
        return Nd4j.toFlattened('c', a).toFloatVector();
    }

    /** Frees the off-heap arrays now (the next layer's may be large). */
    @Override
    public void close() {
        for (INDArray[] arrays : new INDArray[][] {xs, dys, ys, dxs}) {
            for (INDArray a : arrays) {
                if (a != null && a.closeable()) {
                    a.close();
                }
            }
        }
        dW.close();
        db.close();
        net.clear();
    }
}
