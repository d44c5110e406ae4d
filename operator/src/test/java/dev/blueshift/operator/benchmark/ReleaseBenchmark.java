package dev.blueshift.operator.benchmark;

import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prints what one BlueGreen release costs on the control plane: time from the image change to the
 * new revision being stable (auto-promotion, no delays), and the reconciles and API requests the
 * operator made for it. A benchmark, not a test: `make bench-release`; excluded from `make test`.
 */
@ClusterTest
@Tag("benchmark")
@KwokOnly
class ReleaseBenchmark {
    private static final int RELEASES = Integer.getInteger("blueshift.bench.releases", 20);

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Inject
    MeterRegistry registry;

    private double count(String name, String tagKey, String tagValue) {
        return registry.find(name).tags(tagKey, tagValue).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private double reconciles() {
        return registry.find("reconciliations.started.total").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private Map<String, Double> requests() {
        Map<String, Double> byKind = new TreeMap<>();
        registry.find("blueshift_kube_requests")
                .counters()
                .forEach(c -> byKind.merge(c.getId().getTag("kind"), c.count(), Double::sum));
        return byKind;
    }

    /** Waits until the operator has been idle for a second: the release's work is all counted. */
    private void settle() {
        double[] last = {-1};
        await().pollInterval(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(60))
                .until(() -> {
                    double now = reconciles();
                    boolean idle = now == last[0];
                    last[0] = now;
                    return idle;
                });
    }

    @Test
    void oneRelease() {
        try (KubernetesClient client = LocalControlPlane.client()) {
            MsdFixture msds = new MsdFixture(client, namespace.name());
            MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "bench", 3, "bench:0");
            msd.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(0);
            msds.create(msd);
            msds.awaitPhase("bench", Phase.Healthy);
            settle();

            List<Long> millis = new ArrayList<>();
            List<Double> reconcileCounts = new ArrayList<>();
            Map<String, Double> requestTotals = new TreeMap<>();
            for (int i = 1; i <= RELEASES; i++) {
                double reconcilesBefore = reconciles();
                Map<String, Double> requestsBefore = requests();
                String image = "bench:" + i;
                long start = System.nanoTime();
                msds.edit("bench", m -> {
                    Msds.setImage(m, image);
                    return m;
                });
                msds.msd("bench")
                        .waitUntilCondition(
                                m -> m.getStatus() != null
                                        && m.getStatus().getPhase() == Phase.Healthy
                                        && m.getStatus().getCurrentRevision() != null
                                        && m.getStatus()
                                                .getCurrentRevision()
                                                .equals(m.getStatus().getStableRevision())
                                        && m.getSpec()
                                                .getTemplate()
                                                .getSpec()
                                                .getContainers()
                                                .get(0)
                                                .getImage()
                                                .equals(image)
                                        && m.getStatus()
                                                .getObservedGeneration()
                                                .equals(m.getMetadata().getGeneration()),
                                60,
                                TimeUnit.SECONDS);
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                settle();
                reconcileCounts.add(reconciles() - reconcilesBefore);
                requests()
                        .forEach((kind, n) ->
                                requestTotals.merge(kind, n - requestsBefore.getOrDefault(kind, 0.0), Double::sum));
            }
            Collections.sort(millis);
            double meanReconciles = reconcileCounts.stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(0);
            System.out.printf("%nBlueGreen release, 3 replicas, auto-promotion, no delays, %d releases%n", RELEASES);
            System.out.printf(
                    "  image change -> promoted and stable: p50 %d ms, p90 %d ms, max %d ms%n",
                    millis.get(millis.size() / 2),
                    millis.get((int) Math.ceil(millis.size() * 0.9) - 1),
                    millis.get(millis.size() - 1));
            System.out.printf("  reconciles per release: %.1f%n", meanReconciles);
            double total = requestTotals.values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum()
                    / RELEASES;
            System.out.printf("  API requests per release: %.1f (", total);
            requestTotals.forEach((kind, n) -> System.out.printf("%s %.1f ", kind, n / RELEASES));
            System.out.printf(")%n%n");
        }
    }
}
