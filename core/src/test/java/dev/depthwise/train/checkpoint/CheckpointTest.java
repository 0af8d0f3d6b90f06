package dev.depthwise.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.io.NdArray;
import dev.depthwise.nn.BatchNorm;
import dev.depthwise.nn.Conv2D;
import dev.depthwise.nn.Dense;
import dev.depthwise.nn.GlobalAveragePool;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Parameter;
import dev.depthwise.nn.ReLU;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.testutil.Tensors;
import dev.depthwise.train.ClassificationLoss;
import dev.depthwise.train.optim.Adam;
import dev.depthwise.train.optim.Optimizer;
import dev.depthwise.train.optim.Sgd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips of model and optimizer state, and every way a checkpoint can be refused. */
class CheckpointTest {
    private static final int[] LABELS = {1, 0, 2, 1};

    @TempDir
    Path dir;

    static Model model(int filters, long seed) {
        return ModelBuilder.sequential("net", new int[] {4, 4, 2}, seed,
                new Conv2D(filters, 3).padding("same"), new BatchNorm().momentum(0.5f), new ReLU(),
                new GlobalAveragePool(), new Dense(3));
    }

    static NdArray batch(long seed) {
        return new NdArray(new int[] {4, 4, 4, 2}, Tensors.random(seed, 4 * 4 * 4 * 2));
    }

    /** One training step: moves the weights, the BN statistics and the optimizer's moments. */
    static void step(Model m, Optimizer o, long seed) {
        m.setTraining(true);
        NdArray y = m.forward(batch(seed));
        m.backward(new NdArray(y.shape(), ClassificationLoss.forModel(m, 0).compute(y, LABELS).gradient()));
        o.step(0.05);
        m.setTraining(false);
    }

    private static List<float[]> values(Model m) {
        List<float[]> r = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            r.add(p.value().clone());
        }
        return r;
    }

    private static void assertSameValues(List<float[]> want, Model m) {
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), m.parameters().get(i).value(), m.parameters().get(i).name());
        }
    }

    private Path saved() throws IOException {
        Model m = model(4, 1);
        Optimizer o = Adam.adam(m.trainableParameters());
        step(m, o, 1);
        Path f = dir.resolve("net.ckpt");
        Checkpoint.of(m, o, Map.of(Checkpoint.EPOCH, "1")).save(f);
        return f;
    }

    @Test
    void roundTripRestoresParametersStatisticsAndOptimizerSoTrainingContinuesIdentically() throws IOException {
        Model a = model(4, 1);
        Optimizer oa = Adam.adamW(a.trainableParameters(), 0.01);
        step(a, oa, 1);
        Path f = dir.resolve("a.ckpt");
        Checkpoint.of(a, oa, Map.of(Checkpoint.EPOCH, "1", "note", "héllo")).save(f);

        Model b = model(4, 99); // other initial weights
        Optimizer ob = Adam.adamW(b.trainableParameters(), 0.01);
        Checkpoint c = Checkpoint.load(f);
        c.restore(b, ob);
        assertSameValues(values(a), b);
        assertEquals("héllo", c.metadata("note", null));
        assertEquals("1", c.metadata(Checkpoint.EPOCH, null));
        assertEquals("net", c.metadata(Checkpoint.MODEL, null));
        assertEquals(1, ob.steps());
        assertArrayEquals(a.forward(batch(5)).data(), b.forward(batch(5)).data());

        step(a, oa, 2);
        step(b, ob, 2);
        assertSameValues(values(a), b);
    }

    @Test
    void modelOnlyCheckpointForEvaluation() throws IOException {
        Model a = model(4, 1);
        step(a, new Sgd(a.trainableParameters()), 1);
        Path f = dir.resolve("m.ckpt");
        Checkpoint.of(a, null, null).save(f);
        Model b = model(4, 2);
        Checkpoint c = Checkpoint.load(f);
        assertFalse(c.hasOptimizerState());
        c.restore(b);
        assertSameValues(values(a), b);
        ShapeException e = assertThrows(ShapeException.class, () -> c.restore(b, new Sgd(b.trainableParameters())));
        assertTrue(e.getMessage().endsWith("holds no optimizer state (it was saved without an optimizer)"),
                e.getMessage());
    }

    @Test
    void everyTruncationIsRefusedWithAClearMessage() throws IOException {
        byte[] full = Files.readAllBytes(saved());
        for (int n = 0; n < full.length; n += n < 40 ? 1 : 97) {
            Path f = dir.resolve("cut.ckpt");
            Files.write(f, java.util.Arrays.copyOf(full, n));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.load(f),
                    "length " + n);
            String msg = e.getMessage();
            assertTrue(msg.startsWith(f + ": "), msg);
            assertTrue(msg.contains(": truncated: "), n + ": " + msg);
        }
    }

    @Test
    void aFlippedByteAnywhereInTheContentsIsCaughtByTheChecksum() throws IOException {
        Path f = saved();
        byte[] full = Files.readAllBytes(f);
        for (int at : new int[] {20, 21, 60, full.length / 2, full.length - 5}) {
            byte[] bad = full.clone();
            bad[at] ^= 0x10;
            Files.write(f, bad);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.load(f));
            assertTrue(e.getMessage().contains(": corrupted: the contents' CRC-32 is"), e.getMessage());
        }
    }

    @Test
    void headerErrorsNameWhatIsWrong() throws IOException {
        Path f = saved();
        byte[] full = Files.readAllBytes(f);
        byte[] newer = full.clone();
        newer[11] = 2;
        assertMessage(f, newer, "format version 2 is newer than this build reads (1); use a newer depthwise");
        byte[] longer = java.util.Arrays.copyOf(full, full.length + 3);
        assertMessage(f, longer, "3 unexpected bytes after the checksum (a damaged file, or two files run together)");
        byte[] npy = full.clone();
        npy[1] = 'N';
        assertMessage(f, npy, "not a depthwise checkpoint");
    }

    @Test
    void malformedContentsWithAValidChecksumAreRefusedBeforeAllocating() throws IOException {
        // metadata count 0, then 2^31 tensors: a writer bug, not damage, so the checksum matches
        byte[] body = {0, 0, 0, 0, (byte) 0x80, 0, 0, 0};
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20 + body.length + 4);
        b.put(new byte[] {(byte) 0x89, 'D', 'W', 'C', 'K', 'P', 'T', 0x0A}).putInt(1).putLong(body.length).put(body)
                .putInt((int) crc.getValue());
        Path f = dir.resolve("odd.ckpt");
        assertMessage(f, b.array(), "malformed: 2147483648 tensors cannot fit in the 0 bytes left");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedAndLeavesTheModelAlone() throws IOException {
        Path f = saved();
        Model wider = model(6, 3);
        List<float[]> before = values(wider);
        Checkpoint c = Checkpoint.load(f);
        ShapeException e = assertThrows(ShapeException.class, () -> c.restore(wider));
        assertEquals(f + ": parameter conv2d_1/kernel has shape [3, 3, 2, 4], model net needs [3, 3, 2, 6]",
                e.getMessage());
        assertSameValues(before, wider);

        // the same layers less the batch norm: every parameter it has fits, but the checkpoint holds more
        Model noBn = ModelBuilder.sequential("plain", new int[] {4, 4, 2}, 0, new Conv2D(4, 3).padding("same"),
                new ReLU(), new GlobalAveragePool(), new Dense(3));
        e = assertThrows(ShapeException.class, () -> c.restore(noBn));
        assertEquals(f + ": parameter batch_normalization_1/gamma is not in model plain (it was saved from model "
                + "'net')", e.getMessage());
        Model more = ModelBuilder.sequential("more", new int[] {4, 4, 2}, 0, new Conv2D(4, 3).padding("same"),
                new BatchNorm(), new ReLU(), new GlobalAveragePool(), new Dense(3), new Dense(3));
        e = assertThrows(ShapeException.class, () -> c.restore(more));
        assertEquals(f + ": has no parameter dense_2/kernel [3, 3] of model more (it was saved from model 'net')",
                e.getMessage());
    }

    @Test
    void optimizerMismatchLeavesModelAndOptimizerAlone() throws IOException {
        Path f = saved();
        Model m = model(4, 5);
        List<float[]> before = values(m);
        Sgd sgd = new Sgd(m.trainableParameters(), 0.9, false, 0);
        Checkpoint c = Checkpoint.load(f);
        ShapeException e = assertThrows(ShapeException.class, () -> c.restore(m, sgd));
        assertEquals(f + ": holds the state of optimizer adam, the run uses sgd", e.getMessage());
        assertSameValues(before, m);
        assertEquals(0, sgd.steps());
    }

    private static void assertMessage(Path f, byte[] bytes, String want) throws IOException {
        Files.write(f, bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(want), e.getMessage());
    }
}
