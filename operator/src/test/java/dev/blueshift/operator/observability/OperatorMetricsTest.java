package dev.blueshift.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.EventReason;
import dev.blueshift.operator.release.ReleaseOutcome;
import dev.blueshift.operator.support.Msds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OperatorMetrics metrics = new OperatorMetrics(registry);
    private final MicroserviceDeployment pay = Msds.blueGreen("shop", "pay", 2, "pay:1");
    private final MicroserviceDeployment cart = Msds.blueGreen("shop", "cart", 2, "cart:1");

    /** phase -> value of its blueshift_msd_phase series, for the phases with MSDs in them. */
    private Map<String, Double> counts() {
        Map<String, Double> byPhase = new TreeMap<>();
        registry.find(OperatorMetrics.PHASE).gauges().stream()
                .filter(g -> g.value() != 0)
                .forEach(g -> byPhase.put(g.getId().getTag("phase"), g.value()));
        return byPhase;
    }

    @Test
    void eachPhaseCountsTheMsdsInItAndAnMsdLeavesThePhaseItLeft() {
        metrics.phase(pay, Phase.Progressing);
        metrics.phase(cart, Phase.Progressing);
        assertThat(counts()).containsExactlyEntriesOf(Map.of("Progressing", 2.0));
        metrics.phase(pay, Phase.Healthy);
        metrics.phase(pay, Phase.Healthy); // the same phase again counts once
        assertThat(counts()).containsExactlyInAnyOrderEntriesOf(Map.of("Progressing", 1.0, "Healthy", 1.0));
    }

    @Test
    void thereIsOneSeriesPerPhaseWhateverTheNumberOfMsds() {
        for (int i = 0; i < 50; i++) {
            metrics.phase(Msds.blueGreen("shop", "m" + i, 1, "m:1"), Phase.Healthy);
        }
        assertThat(registry.find(OperatorMetrics.PHASE).gauges()).hasSize(Phase.values().length);
        assertThat(counts()).containsExactlyEntriesOf(Map.of("Healthy", 50.0));
    }

    @Test
    void aDeletedMsdLeavesItsPhaseCountAndOthersStay() {
        metrics.phase(pay, Phase.Progressing);
        metrics.phase(pay, Phase.Healthy);
        metrics.phase(cart, Phase.Paused);
        metrics.forget(pay);
        metrics.forget(pay); // a second cleanup of the same MSD changes nothing
        assertThat(counts()).containsExactlyEntriesOf(Map.of("Paused", 1.0));
        // Created again under the same name, it counts afresh.
        metrics.phase(pay, Phase.Progressing);
        assertThat(counts()).containsExactlyInAnyOrderEntriesOf(Map.of("Paused", 1.0, "Progressing", 1.0));
    }

    @Test
    void releaseOutcomesAreCountedUnderTheirLabels() {
        for (EventReason reason : EventReason.values()) {
            reason.outcome().ifPresent(metrics::release);
        }
        Map<String, Double> byOutcome = new TreeMap<>();
        registry.find("blueshift_releases")
                .counters()
                .forEach(c -> byOutcome.put(c.getId().getTag("outcome"), c.count()));
        assertThat(byOutcome)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("promoted", 1.0, "fast_rollback", 1.0, "aborted", 1.0, "rolled_back", 1.0));
        assertThat(ReleaseOutcome.values()).hasSize(byOutcome.size());
    }
}
