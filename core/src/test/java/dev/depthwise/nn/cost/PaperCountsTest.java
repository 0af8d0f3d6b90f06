package dev.depthwise.nn.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.nn.zoo.Zoo;
import org.junit.jupiter.api.Test;

/**
 * The builders' totals against the published numbers, to the precision they were printed with.
 *
 * <p>Sources. Keras: the {@code keras.applications} documentation table and {@code model.summary()}
 * outputs (MobileNet 4,253,864 / 4,231,976 trainable; MobileNetV2 3,538,984 / 3,504,872; Xception
 * 22,910,480 / 22,855,952). Papers: MobileNets (Howard et al. 2017) Tables 2, 4, 6, 7, 8;
 * MobileNetV2 (Sandler et al. 2018); Xception (Chollet 2017) Table 3; ShuffleNet (Zhang et al. 2017)
 * Table 1, and the authors' release notes (megvii-model/ShuffleNet-Series, ShuffleNetV1/README.md).
 *
 * <p>Conventions: the papers count convolution and fully connected weights and biases (no batch
 * norm) as parameters, and one multiply plus one add of a forward pass on one image as a
 * mult-add (ShuffleNet calls them FLOPs). Keras counts batch norm's four vectors, two of them
 * non-trainable. Where a paper disagrees with a straightforward count the test says why.
 */
class PaperCountsTest {

    private static Summary summary(String model, Zoo.Options o) {
        return Summary.of(Zoo.build(model, o));
    }

    private static Summary mobilenet(double alpha, int resolution) {
        return summary("mobilenet-v1", Zoo.Options.defaults().withAlpha(alpha).withResolution(resolution));
    }

    /** The papers' parameter count: every parameter but batch norm's. */
    private static long paperParams(Summary s) {
        long p = 0;
        for (LayerCost l : s.layers()) {
            if (!l.type().equals("BatchNormalization")) {
                p += l.params();
            }
        }
        return p;
    }

    /** {@code value / unit} rounded to {@code decimals}, as a paper prints it. */
    private static double printed(long value, double unit, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value / unit * scale) / scale;
    }

    private static long fc(Summary s) {
        return s.kind("Fully Connected").multAdds();
    }

    @Test
    void mobileNetV1MatchesKerasExactly() {
        Summary s = mobilenet(1, 224);
        assertEquals(4_253_864, s.totalParams());
        assertEquals(4_231_976, s.trainableParams());
        assertEquals(21_888, s.nonTrainableParams());
    }

    /** Table 6 (width multiplier) and Table 8: million parameters and million mult-adds. */
    @Test
    void mobileNetV1WidthMultiplierTable6() {
        double[][] rows = {{1.0, 4.2, 569}, {0.75, 2.6, 325}, {0.5, 1.3, 149}, {0.25, 0.5, 41}};
        for (double[] r : rows) {
            Summary s = mobilenet(r[0], 224);
            assertEquals(r[1], printed(paperParams(s), 1e6, 1), "params of alpha " + r[0]);
            assertEquals(r[2], printed(s.multAdds(), 1e6, 0), "mult-adds of alpha " + r[0]);
        }
    }

    /**
     * Table 7 (resolution): 569, 418, 290, 186 million mult-adds. The count at 160 is 290.68M, which
     * rounds to 291; the paper prints 290, truncating there while every other entry of Tables 6-8
     * (569 = 568.74, 149 = 149.497) is rounded to the nearest. Parameters do not depend on the
     * resolution.
     */
    @Test
    void mobileNetV1ResolutionTable7() {
        assertEquals(418, printed(mobilenet(1, 192).multAdds(), 1e6, 0));
        assertEquals(186, printed(mobilenet(1, 128).multAdds(), 1e6, 0));
        long at160 = mobilenet(1, 160).multAdds();
        assertEquals(290_675_200, at160);
        assertEquals(290, Math.floor(at160 / 1e6), "the paper's 290 is the count truncated");
        assertEquals(4_210_088, paperParams(mobilenet(1, 128)));
    }

    /**
     * Table 2: share of mult-adds and of parameters by layer type. The parameter shares match when
     * weights are counted without biases (the FC layer's 1,000 biases would make its share 24.35%),
     * which is how {@link TypeCost} counts. The paper's "Conv 3x3" mult-adds share, 1.19%, is a
     * transposition of the count's 1.91%: the paper's four shares add up to 99.29%, and with 1.91
     * they add up to 100.01% (rounding).
     */
    @Test
    void mobileNetV1Table2Breakdown() {
        Summary s = mobilenet(1, 224);
        assertShares(s, "Conv 1x1", 94.86, 74.59);
        assertShares(s, "Conv DW 3x3", 3.06, 1.06);
        assertShares(s, "Fully Connected", 0.18, 24.33);
        TypeCost conv = s.kind("Conv 3x3");
        assertEquals(0.02, printed(Math.round(conv.weightsShare() * 1e8), 1e6, 2));
        assertEquals(1.91, printed(Math.round(conv.multAddsShare() * 1e8), 1e6, 2), "the paper prints 1.19");
        assertEquals(4, s.breakdown().size());
    }

    private static void assertShares(Summary s, String kind, double multAdds, double weights) {
        TypeCost t = s.kind(kind);
        assertEquals(multAdds, printed(Math.round(t.multAddsShare() * 1e8), 1e6, 2), kind + " mult-adds share");
        assertEquals(weights, printed(Math.round(t.weightsShare() * 1e8), 1e6, 2), kind + " weights share");
    }

    /**
     * Table 4: the same network with full convolutions, 29.3M parameters and 4866M mult-adds. The
     * count is 4867.29M with the classifier and 4866.27M without its 1.02M: Table 4 leaves the
     * classifier out here while Table 8's 569M for the separable network includes it (without it,
     * 567.72M would print as 568).
     */
    @Test
    void mobileNetV1FullConvolutionTable4() {
        Summary full = summary("mobilenet-v1-full", Zoo.Options.defaults());
        assertEquals(29.3, printed(paperParams(full), 1e6, 1));
        assertEquals(4_867_293_184L, full.multAdds());
        assertEquals(4866, printed(full.multAdds() - fc(full), 1e6, 0), "Table 4 without the classifier");
        Summary sep = mobilenet(1, 224);
        assertEquals(569, printed(sep.multAdds(), 1e6, 0), "Table 8 with the classifier");
        double ratio = (double) full.multAdds() / sep.multAdds();
        assertTrue(ratio > 8 && ratio < 9, "\"8 to 9 times less computation\": " + ratio);
    }

    /**
     * Keras {@code MobileNetV2()}: exact. The width-multiplied counts are a third party's table of
     * Keras models (their alpha 1 entry agrees with Keras's documentation). The paper prints 3.4M
     * parameters and 300M multiply-adds; the counts are 3.47M (convolutions and classifier, no batch
     * norm) and 300.77M: the paper truncated both (nearest would print 3.5M and 301M).
     */
    @Test
    void mobileNetV2MatchesKerasAndThePaper() {
        Summary s = summary("mobilenet-v2", Zoo.Options.defaults());
        assertEquals(3_538_984, s.totalParams());
        assertEquals(3_504_872, s.trainableParams());
        assertEquals(34_112, s.nonTrainableParams());
        assertEquals(2_663_064, summary("mobilenet-v2", Zoo.Options.defaults().withAlpha(0.75)).totalParams());
        assertEquals(1_987_224, summary("mobilenet-v2", Zoo.Options.defaults().withAlpha(0.5)).totalParams());
        assertEquals(3_470_760, paperParams(s));
        assertEquals(3.4, Math.floor(paperParams(s) / 1e5) / 10, "3.4M, truncated");
        assertEquals(300_774_272, s.multAdds());
        assertEquals(300, Math.floor(s.multAdds() / 1e6), "300M, truncated");
    }

    /** Keras {@code Xception()}: exact; the paper's Table 3 gives 22,855,952, Keras's trainable count. */
    @Test
    void xceptionMatchesKerasAndTable3() {
        Summary s = summary("xception", Zoo.Options.defaults());
        assertEquals(22_910_480, s.totalParams());
        assertEquals(22_855_952, s.trainableParams());
        assertEquals(54_528, s.nonTrainableParams());
    }

    /**
     * ShuffleNet Table 1 (1x, 224x224): 143, 140, 137, 133 and 137 MFLOPs for g = 1, 2, 3, 4, 8.
     * These equal the count without the final FC layer; with it they would read 143, 141, 137, 134,
     * 138. The authors' release notes include the FC (2x g=3: 524M; see below), so the paper's own
     * table and its release disagree by the classifier. (Table 1's values are recalled from the paper.)
     */
    @Test
    void shuffleNetTable1ComplexityExcludesTheClassifier() {
        int[] groups = {1, 2, 3, 4, 8};
        int[] paper = {143, 140, 137, 133, 137};
        for (int i = 0; i < groups.length; i++) {
            Summary s = summary("shufflenet-v1", Zoo.Options.defaults().withGroups(groups[i]));
            assertEquals(paper[i], printed(s.multAdds() - fc(s), 1e6, 0), "g=" + groups[i]);
        }
    }

    /**
     * The authors' released models (megvii-model/ShuffleNet-Series): MFLOPs with the classifier and
     * millions of trainable parameters. One disagreement: 1.0x g=3 is listed as 138M where the count
     * is 137.46M, which the paper itself prints as 137 (Table 1 and above).
     */
    @Test
    void shuffleNetReleasedModels() {
        Object[][] rows = {
            {3, 2.0, 524, 5.4}, {8, 2.0, 522, 6.5}, {3, 1.5, 292, 3.4}, {8, 1.5, 290, 4.3},
            {8, 1.0, 138, 2.4}, {3, 0.5, 38, 0.7}, {8, 0.5, 40, 1.0}};
        for (Object[] r : rows) {
            Summary s = summary("shufflenet-v1", Zoo.Options.defaults().withGroups((Integer) r[0])
                    .withScale((Double) r[1]));
            String what = r[1] + "x g=" + r[0];
            assertEquals(((Integer) r[2]).doubleValue(), printed(s.multAdds(), 1e6, 0), what + " MFLOPs");
            assertEquals((Double) r[3], printed(s.trainableParams(), 1e6, 1), what + " params");
        }
        Summary g3 = summary("shufflenet-v1", Zoo.Options.defaults());
        assertEquals(137_460_672, g3.multAdds(), "released notes: 138M; the paper: 137");
        assertEquals(1.9, printed(g3.trainableParams(), 1e6, 1));
    }

    /** EffNet (CIFAR, 32x32, 10 classes), against a hand count of the Keras reference implementation. */
    @Test
    void effNetHandCount() {
        Summary s = summary("effnet", Zoo.Options.defaults());
        // per block (in, out) reading c channels: 1x1 conv c*in, 1x3 and 3x1 depthwise 3*in each,
        // 2x1 conv 2*in*out, four batch norms 4*(3*in + out)
        long blocks = (3 * 32 + 6 * 32 + 2 * 32 * 64 + 4 * (3 * 32 + 64))
                + (64 * 64 + 6 * 64 + 2 * 64 * 128 + 4 * (3 * 64 + 128))
                + (128 * 128 + 6 * 128 + 2 * 128 * 256 + 4 * (3 * 128 + 256));
        long classifier = 4 * 4 * 256 * 10 + 10;
        assertEquals(blocks + classifier, s.totalParams());
        assertTrue(s.multAdds() < summary("effnet-full", Zoo.Options.defaults()).multAdds() / 3);
    }
}
