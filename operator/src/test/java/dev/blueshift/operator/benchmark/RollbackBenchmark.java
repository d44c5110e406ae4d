package dev.blueshift.operator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.analysis.AnalysisTarget;
import dev.blueshift.operator.analysis.Measurement;
import dev.blueshift.operator.analysis.PrometheusProvider;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.Analysis;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisStage;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.status.MetricStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.PrometheusServer;
import dev.blueshift.operator.support.ScrapeTarget;
import dev.blueshift.operator.support.TestNamespace;
import dev.blueshift.operator.support.TestPrometheusProviders;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How fast a breach after promotion becomes a rollback: N releases, each promoted, then given a
 * 50% error rate during its bake time, on the real control plane and a real Prometheus. Prints
 * p50/p99 of
 * <ul>
 *   <li>operator time: from the measurement that reported the breach (status measuredAt, taken when
 *       the reconcile starts, before the query) to the watch event of the active Service's selector
 *       back on the stable revision;
 *   <li>end to end: from the first moment the breach is seen in Prometheus (by a 20 ms poller of the
 *       same query, or by the operator if it was first) to that same watch event (bounded by the
 *       interval plus operator time).
 * </ul>
 * Not part of `mvn test` (its name matches neither *Test nor *IT): run it with `make bench-rollback`.
 * It asserts that every release was rolled back; it asserts no timing.
 */
@ClusterTest
@Tag("benchmark")
@KwokOnly
class RollbackBenchmark {
    private static final int ROLLBACKS = Integer.getInteger("blueshift.bench.rollbacks", 20);
    private static final String INTERVAL = System.getProperty("blueshift.bench.interval", "1s");

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void breachToActiveSelectorBackOnStable() {
        try (KubernetesClient client = LocalControlPlane.client();
                ScrapeTarget target = new ScrapeTarget(
                        namespace.name(),
                        () -> client.apps().replicaSets().inNamespace(namespace.name()).list().getItems().stream()
                                .map(rs -> rs.getMetadata().getLabels().get("blueshift.dev/revision"))
                                .filter(Objects::nonNull)
                                .toList())) {
            MsdFixture msds = new MsdFixture(client, namespace.name());
            AnalysisMetric metric = errorRateMetric(PrometheusServer.ensure());
            MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "bench", 1, "bench:0");
            Analysis analysis = new Analysis();
            analysis.setInterval(INTERVAL);
            analysis.setPostPromotion(new AnalysisStage("10m"));
            analysis.setMetrics(List.of(metric));
            msd.getSpec().setAnalysis(analysis);
            msds.create(msd);
            String stable = msds.awaitPhase("bench", Phase.Healthy).getStatus().getStableRevision();

            Map<String, Instant> selectorBack = new ConcurrentHashMap<>();
            List<Long> operatorMillis = Collections.synchronizedList(new ArrayList<>());
            List<Long> endToEndMillis = Collections.synchronizedList(new ArrayList<>());
            PrometheusProvider provider = TestPrometheusProviders.unsigned(PrometheusServer.ensure());
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
            try (Watch watch = client.services()
                    .inNamespace(namespace.name())
                    .withName("bench")
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, Service service) {
                            String selected = service.getSpec().getSelector().get("blueshift.dev/revision");
                            selectorBack.putIfAbsent(
                                    service.getMetadata().getResourceVersion() + "/" + selected, Instant.now());
                        }

                        @Override
                        public void onClose(WatcherException cause) {}
                    })) {
                for (int i = 1; i <= ROLLBACKS; i++) {
                    String image = "bench:" + i;
                    msds.edit("bench", m -> {
                        Msds.setImage(m, image);
                        return m;
                    });
                    // Promoted, and its bake time has seen a passing measurement: traffic is good so far.
                    MicroserviceDeployment baking = msds.awaitStatus(
                            "bench",
                            "baking release " + i,
                            s -> s.getAnalysis() != null
                                    && "PostPromotion".equals(s.getAnalysis().getStage())
                                    && !stable.equals(s.getAnalysis().getRevision())
                                    && s.getActiveRevision() != null
                                    && !stable.equals(s.getActiveRevision())
                                    && "Passed"
                                            .equals(s.getAnalysis()
                                                    .getMetrics()
                                                    .get(0)
                                                    .getVerdict()));
                    String candidate = baking.getStatus().getActiveRevision();
                    AnalysisTarget analysed = new AnalysisTarget(namespace.name(), "bench", candidate);
                    AtomicReference<Instant> visible = new AtomicReference<>();
                    var polling = poller.scheduleWithFixedDelay(
                            () -> {
                                if (visible.get() == null
                                        && provider.measure(metric, analysed).outcome() == Measurement.Outcome.Failed) {
                                    visible.set(Instant.now());
                                }
                            },
                            0,
                            20,
                            TimeUnit.MILLISECONDS);
                    target.errorRate(candidate, 0.5);

                    MicroserviceDeployment rolledBack = msds.awaitStatus(
                            "bench",
                            "rollback " + i,
                            s -> s.getPhase() == Phase.RolledBack && candidate.equals(s.getAbortedRevision()));
                    polling.cancel(false);
                    assertThat(rolledBack.getStatus().getActiveRevision()).isEqualTo(stable);
                    assertThat(rolledBack.getStatus().getLastRollback().getFrom())
                            .isEqualTo(candidate);
                    MetricStatus breach =
                            rolledBack.getStatus().getAnalysis().getMetrics().get(0);
                    Instant measuredAt = Instant.parse(breach.getMeasuredAt());
                    Instant back = await().atMost(MsdFixture.TIMEOUT)
                            .until(
                                    () -> selectorBack.entrySet().stream()
                                            .filter(e -> e.getKey().endsWith("/" + stable)
                                                    && !e.getValue().isBefore(measuredAt))
                                            .map(Map.Entry::getValue)
                                            .min(Instant::compareTo)
                                            .orElse(null),
                                    Objects::nonNull);
                    operatorMillis.add(Duration.between(measuredAt, back).toMillis());
                    // The operator may see the breach before the poller does: then it was visible by measuredAt.
                    Instant firstSeen =
                            visible.get() == null || measuredAt.isBefore(visible.get()) ? measuredAt : visible.get();
                    endToEndMillis.add(Duration.between(firstSeen, back).toMillis());
                    target.forget(candidate);
                    selectorBack.clear();
                }
            } finally {
                poller.shutdownNow();
            }
            assertThat(operatorMillis).hasSize(ROLLBACKS);
            System.out.printf(
                    "%nRollback benchmark: %d rollbacks, analysis interval %s, 1 replica per revision%n",
                    ROLLBACKS, INTERVAL);
            System.out.println(
                    "  operator time (breach measured -> active selector back on stable): " + stats(operatorMillis));
            System.out.println(
                    "  end to end    (breach visible in Prometheus -> selector back):      " + stats(endToEndMillis));
            writeResult(operatorMillis, endToEndMillis);
        }
    }

    /** For make bench's report (FleetBenchmark reads it): target/bench/rollback.json. */
    private static void writeResult(List<Long> operatorMillis, List<Long> endToEndMillis) {
        List<Long> op = operatorMillis.stream().sorted().toList();
        List<Long> e2e = endToEndMillis.stream().sorted().toList();
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("n", op.size());
        result.put("intervalMs", Duration.parse("PT" + INTERVAL.toUpperCase()).toMillis());
        result.put("operatorP50Ms", percentile(op, 50));
        result.put("operatorP99Ms", percentile(op, 99));
        result.put("endToEndP50Ms", percentile(e2e, 50));
        result.put("endToEndP99Ms", percentile(e2e, 99));
        try {
            java.nio.file.Path out =
                    dev.blueshift.operator.support.RepoPaths.root().resolve("operator/target/bench");
            java.nio.file.Files.createDirectories(out);
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValue(out.resolve("rollback.json").toFile(), result);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write target/bench/rollback.json", e);
        }
    }

    private static AnalysisMetric errorRateMetric(String address) {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(address);
        prometheus.setQuery(ScrapeTarget.ERROR_RATE_QUERY);
        prometheus.setThreshold(0.1);
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("error-rate");
        metric.setPrometheus(prometheus);
        return metric;
    }

    private static String stats(List<Long> millis) {
        if (millis.isEmpty()) {
            return "no samples";
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format(
                "n=%d p50=%d ms p99=%d ms min=%d ms max=%d ms",
                sorted.size(),
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
