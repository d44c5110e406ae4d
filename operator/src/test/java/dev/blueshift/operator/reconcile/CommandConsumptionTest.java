package dev.blueshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.release.bluegreen.Commands;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CommandConsumptionTest {
    @Test
    void removesEachCommandOnlyIfItStillHasTheValueActedOn() {
        String patch = CommandConsumption.patch(
                Map.of(Commands.ABORT, "now", Commands.RETRY, "2026-12-01T10:00:00Z", "x", "y"),
                new TreeSet<>(Set.of(Commands.ABORT, Commands.RETRY)));
        assertThat(patch.replace(" ", ""))
                .isEqualTo("["
                        + "{\"op\":\"test\",\"path\":\"/metadata/annotations/blueshift.dev~1abort\",\"value\":\"now\"},"
                        + "{\"op\":\"remove\",\"path\":\"/metadata/annotations/blueshift.dev~1abort\"},"
                        + "{\"op\":\"test\",\"path\":\"/metadata/annotations/blueshift.dev~1retry\",\"value\":\"2026-12-01T10:00:00Z\"},"
                        + "{\"op\":\"remove\",\"path\":\"/metadata/annotations/blueshift.dev~1retry\"}]");
    }
}
