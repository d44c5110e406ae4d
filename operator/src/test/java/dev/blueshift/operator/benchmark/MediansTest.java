package dev.blueshift.operator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediansTest {
    @Test
    void eachNumberIsItsMedianOverTheRunsAtAnyDepth() {
        Map<String, Object> merged = Medians.of(List.of(
                Map.of("seconds", 30.0, "create", Map.of("rssMiB", 200, "api", Map.of("GET x", 1.0))),
                Map.of("seconds", 10.0, "create", Map.of("rssMiB", 260, "api", Map.of("GET x", 9.0))),
                Map.of("seconds", 20.0, "create", Map.of("rssMiB", 220, "api", Map.of("GET x", 5.0)))));

        assertThat(merged.get("seconds")).isEqualTo(20.0);
        assertThat(merged.get("create")).isEqualTo(Map.of("rssMiB", 220.0, "api", Map.of("GET x", 5.0)));
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwoAndTextIsTheLastRuns() {
        Map<String, Object> merged = Medians.of(List.of(
                Map.of("seconds", 10, "label", "first"),
                Map.of("seconds", 40, "label", "second"),
                Map.of("seconds", 20, "label", "third"),
                Map.of("seconds", 30, "label", "last")));

        assertThat(merged.get("seconds")).isEqualTo(25.0);
        assertThat(merged.get("label")).isEqualTo("last");
    }

    @Test
    void aKeyOnlySomeRunsHaveKeepsTheirValues() {
        Map<String, Object> merged = Medians.of(List.of(Map.of("a", 1.0), Map.of("a", 3.0, "b", 7.0)));
        assertThat(merged).containsEntry("a", 2.0).containsEntry("b", 7.0);
    }
}
