package dev.blueshift.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.support.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionListTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void addsAMissingCondition() {
        List<Condition> conditions = ConditionList.with(List.of(), "Ready", true, "RolloutComplete", "3 of 3", 4L, T0);
        assertThat(conditions).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("RolloutComplete");
            assertThat(c.getObservedGeneration()).isEqualTo(4L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        });
    }

    @Test
    void keepsTheTransitionTimeWhileTheStatusHolds() {
        List<Condition> first = ConditionList.with(List.of(), "Ready", false, "RolloutInProgress", "1 of 3", 1L, T0);
        List<Condition> second = ConditionList.with(first, "Ready", false, "RolloutInProgress", "2 of 3", 1L, T1);
        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.getMessage()).isEqualTo("2 of 3");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        });
    }

    @Test
    void movesTheTransitionTimeWhenTheStatusFlips() {
        List<Condition> first = ConditionList.with(List.of(), "Ready", false, "RolloutInProgress", "1 of 3", 1L, T0);
        List<Condition> second = ConditionList.with(first, "Ready", true, "RolloutComplete", "3 of 3", 1L, T1);
        assertThat(second)
                .singleElement()
                .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z"));
    }

    @Test
    void leavesOtherConditionsAlone() {
        List<Condition> first =
                ConditionList.with(List.of(), "Progressing", true, "RolloutInProgress", "1 of 3", 1L, T0);
        List<Condition> second = ConditionList.with(first, "Ready", false, "RolloutInProgress", "1 of 3", 1L, T1);
        assertThat(second).extracting(Condition::getType).containsExactly("Progressing", "Ready");
        assertThat(Conditions.find(second, "Progressing"))
                .get()
                .extracting(Condition::getLastTransitionTime)
                .isEqualTo("2026-01-01T00:00:00Z");
    }
}
