package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrtProfileTest {
    /** The shape of ONNX Runtime 1.23's profile: session events, then per run node events and model_run. */
    private static final String PROFILE = """
            [
            {"cat" : "Session","pid" :1,"tid" :2,"dur" :307,"ts" :7,"ph" : "X","name" :"model_loading_array","args" : {}},
            {"cat" : "Session","pid" :1,"tid" :2,"dur" :2737,"ts" :318,"ph" : "X","name" :"session_initialization","args" : {}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :143,"ts" :15802,"ph" : "X","name" :"ReorderInput_kernel_time",
             "args" : {"thread_scheduling_stats":{"main_thread":{"block_size":[1],"Run":105}},"op_name" : "ReorderInput"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :62,"ts" :15954,"ph" : "X","name" :"y_nchwc_kernel_time",
             "args" : {"output_size" : "100352","provider" : "CPUExecutionProvider","op_name" : "Conv"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :14,"ts" :16022,"ph" : "X","name" :"ReorderOutput_kernel_time",
             "args" : {"op_name" : "ReorderOutput"}},
            {"cat" : "Session","pid" :1,"tid" :2,"dur" :250,"ts" :15800,"ph" : "X","name" :"SequentialExecutor::Execute","args" : {}},
            {"cat" : "Session","pid" :1,"tid" :2,"dur" :274,"ts" :15780,"ph" : "X","name" :"model_run","args" : {}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :50,"ts" :19397,"ph" : "X","name" :"ReorderInput_kernel_time","args" : {"op_name" : "ReorderInput"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :30,"ts" :19527,"ph" : "X","name" :"u_nchwc_kernel_time","args" : {"op_name" : "Conv"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :7,"ts" :19560,"ph" : "X","name" :"y_nchwc_kernel_time","args" : {"op_name" : "Conv"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :16,"ts" :19574,"ph" : "X","name" :"ReorderOutput_kernel_time","args" : {"op_name" : "ReorderOutput"}},
            {"cat" : "Session","pid" :1,"tid" :2,"dur" :219,"ts" :19380,"ph" : "X","name" :"model_run","args" : {}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :20,"ts" :19698,"ph" : "X","name" :"ReorderInput_kernel_time","args" : {"op_name" : "ReorderInput"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :15,"ts" :19735,"ph" : "X","name" :"y_nchwc_kernel_time","args" : {"op_name" : "Conv"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :5,"ts" :19740,"ph" : "X","name" :"relu_kernel_time","args" : {"op_name" : "Relu"}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :10,"ts" :19753,"ph" : "X","name" :"ReorderOutput_kernel_time","args" : {"op_name" : "ReorderOutput"}},
            {"cat" : "Session","pid" :1,"tid" :2,"dur" :73,"ts" :19693,"ph" : "X","name" :"model_run","args" : {}},
            {"cat" : "Node","pid" :1,"tid" :2,"dur" :999,"ts" :50000,"ph" : "X","name" :"stray_kernel_time","args" : {"op_name" : "Conv"}}
            ]
            """;

    @Test
    void groupsNodeTimesIntoTheRunsThatHoldThem() {
        OrtProfile p = OrtProfile.parse(PROFILE);
        assertEquals(3, p.runs().size());
        assertEquals(Map.of("ReorderInput", 143L, "Conv", 62L, "ReorderOutput", 14L), p.runs().get(0).opUs());
        assertEquals(274, p.runs().get(0).wallUs());
        assertEquals(37, p.runs().get(1).kernelUs(), "two Conv nodes of a separable block");
        assertEquals(66, p.runs().get(1).reorderUs());
        assertEquals(20, p.runs().get(2).kernelUs(), "an unfused Relu counts as compute");
        assertEquals(30, p.runs().get(2).reorderUs());
    }

    @Test
    void summaryTakesMediansAfterTheWarmUpRuns() {
        OrtProfile.Summary all = OrtProfile.parse(PROFILE).summary(0);
        assertEquals(3, all.runs());
        assertEquals(37, all.kernelUs());
        assertEquals(66, all.reorderUs());
        assertEquals(219, all.wallUs());
        assertEquals(Set.of("Conv", "Relu", "ReorderInput", "ReorderOutput"), all.ops());
        OrtProfile.Summary later = OrtProfile.parse(PROFILE).summary(1);
        assertEquals(2, later.runs());
        assertEquals((37 + 20) / 2.0, later.kernelUs());
        assertEquals(Set.of("Conv", "Relu", "ReorderInput", "ReorderOutput"), later.ops());
        assertEquals(3, OrtProfile.parse(PROFILE).summary(5).runs(), "too few runs to skip: all are kept");
    }

    @Test
    void refusesWhatIsNotAProfile() {
        assertThrows(IllegalArgumentException.class, () -> OrtProfile.parse("{\"a\": 1}"));
        assertThrows(IllegalArgumentException.class,
                () -> OrtProfile.parse("[{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":\"x\"}]"));
        assertEquals(0, OrtProfile.parse("[]").runs().size());
    }
}
