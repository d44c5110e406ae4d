package dev.blueshift.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.Analysis;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisStage;
import dev.blueshift.operator.api.v1alpha1.spec.BlueGreen;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.spec.StrategyType;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.bluegreen.Commands;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.PrometheusServer;
import dev.blueshift.operator.support.RealNode;
import dev.blueshift.operator.support.RealNodeOnly;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blue/green as a user sees it: the sample service running in real Pods on the real node, requests
 * sent without pause through the active Service's ClusterIP while a release is promoted, another is
 * aborted in preview, the first revision comes back by a fast rollback, and a bad release is aborted
 * by the analysis of its preview's real metrics. Every request is recorded with the revision that
 * answered it; none may fail.
 */
@ClusterTest
@RealNodeOnly
class RealNodeTrafficIT {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();
    private static final int WORKERS = 2;
    /** Real Pods start a JVM each, several at once on a small machine. */
    private static final Duration POD_TIMEOUT = Duration.ofMinutes(3);
    /** This many answers in a row from the active revision: the switch has reached kube-proxy's rules. */
    private static final int SETTLED = 50;

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void noRequestFailsThroughAPromotionAnAbortInPreviewAFastRollbackAndABadReleaseTheAnalysisAborts()
            throws Exception {
        MsdFixture msds = new MsdFixture(client, namespace.name(), POD_TIMEOUT);
        PodTemplateSpec first = RealNode.sampleServiceTemplate();
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "shop", 2, "unused");
        msd.getSpec().setTemplate(first);
        BlueGreen settings = msd.getSpec().getStrategy().getBlueGreen();
        settings.getAutoPromotion().setEnabled(false);
        settings.setPreviewReplicaCount(1);
        // The first revision stays warm through the whole test, for the fast rollback at its end.
        settings.setScaleDownDelaySeconds(300);
        settings.setAbortScaleDownDelaySeconds(5);
        msds.create(msd);
        String r1 = msds.awaitPhase("shop", Phase.Healthy).getStatus().getStableRevision();
        String clusterIp = msds.service("shop").getSpec().getClusterIP();

        String r2;
        String r3;
        String r4;
        MicroserviceDeployment aborted;
        List<TrafficRecorder.Request> previewRequests;
        Instant promoteGiven;
        ServiceTraffic.Recording seen;
        try (ServiceTraffic shop = ServiceTraffic.start(client, namespace.name(), "shop", clusterIp, WORKERS)) {
            TrafficRecorder traffic = shop.recorder();
            traffic.awaitMore(SETTLED);

            // 1. A new revision: previewed, promoted by hand; the active Service moves when it is ready.
            restart(msds, "1");
            r2 = msds.awaitCurrentPhase("shop", Phase.Paused).getStatus().getCurrentRevision();
            traffic.awaitMore(SETTLED);
            promoteGiven = Instant.now();
            msds.command("shop", Commands.PROMOTE);
            msds.awaitStatus(
                    "shop", "r2 stable", s -> r2.equals(s.getStableRevision()) && s.getPhase() == Phase.Healthy);
            awaitAnswersOnlyFrom(traffic, r2);

            // 2. Another, aborted in preview: it never takes traffic.
            restart(msds, "2");
            r3 = msds.awaitCurrentPhase("shop", Phase.Paused).getStatus().getCurrentRevision();
            msds.command("shop", Commands.ABORT);
            msds.awaitCurrentPhase("shop", Phase.Aborted);
            traffic.awaitMore(SETTLED);

            // 3. Undo: the first template again while its ReplicaSet is warm: the active Service moves back at once.
            msds.edit("shop", m -> {
                m.getSpec().setTemplate(first);
                return m;
            });
            msds.awaitStatus(
                    "shop", "r1 stable again", s -> r1.equals(s.getStableRevision()) && s.getPhase() == Phase.Healthy);
            awaitAnswersOnlyFrom(traffic, r1);

            // 4. A bad release: half its requests fail (the fault injected). Its preview gets traffic
            // of its own; Prometheus finds its Pod on the node (Kubernetes service discovery) and
            // scrapes it; the pre-promotion analysis judges those metrics and aborts it. It never
            // answers through the active Service.
            msds.edit("shop", m -> {
                m.getSpec().setAnalysis(errorRateAnalysis());
                m.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .add(new EnvVar("BLUESHIFT_FAULT_ERROR_RATE", "0.5", null));
                return m;
            });
            String previewIp = msds.service("shop-preview").getSpec().getClusterIP();
            try (TrafficRecorder previewTraffic = TrafficRecorder.start(previewIp, 80, 1)) {
                aborted = msds.awaitCurrentPhase("shop", Phase.Aborted);
                previewRequests = previewTraffic.requests();
            }
            r4 = aborted.getStatus().getAbortedRevision();
            traffic.awaitMore(SETTLED);
            seen = shop.recording();
        }

        assertNoneFailed(seen);
        List<TrafficRecorder.Request> requests = seen.requests();
        System.out.printf(
                "[real-node] the bad release %s, on its preview: %d requests, %d failed; aborted by the analysis: %s%n",
                r4,
                previewRequests.stream()
                        .filter(r -> r4.equals(r.revision()) || r.status() == 500)
                        .count(),
                previewRequests.stream().filter(r -> r.status() == 500).count(),
                aborted.getStatus().getAnalysis().getMessage());
        assertThat(seen.switches()).extracting(ActiveServiceTimeline.Switch::to).containsExactly(r2, r1);
        assertThat(requests).noneMatch(r -> r3.equals(r.revision()));
        assertThat(r4).isNotIn(r1, r2, r3);
        assertThat(aborted.getStatus().getAnalysis().getVerdict()).isEqualTo("Failed");
        assertThat(aborted.getStatus().getAnalysis().getMetrics())
                .anySatisfy(m -> assertThat(m.getVerdict()).isEqualTo("Failed"));
        assertThat(requests).noneMatch(r -> r4.equals(r.revision()));
        assertThat(previewRequests)
                .as("the fault injected in the bad release's preview")
                .anyMatch(r -> r.status() == 500);
        assertThat(requests)
                .as("the preview answered through the active Service before the promote")
                .noneMatch(r -> r2.equals(r.revision()) && r.start().isBefore(promoteGiven));
    }

    @Test
    void noRequestFailsWhenARollingMsdBecomesBlueGreen() throws Exception {
        MsdFixture msds = new MsdFixture(client, namespace.name(), POD_TIMEOUT);
        MicroserviceDeployment msd = Msds.rolling(namespace.name(), "shop", 2, "unused");
        msd.getSpec().setTemplate(RealNode.sampleServiceTemplate());
        msds.create(msd);
        msds.awaitPhase("shop", Phase.Healthy);
        String clusterIp = msds.service("shop").getSpec().getClusterIP();

        String stable;
        ServiceTraffic.Recording seen;
        try (ServiceTraffic shop = ServiceTraffic.start(client, namespace.name(), "shop", clusterIp, WORKERS)) {
            TrafficRecorder traffic = shop.recorder();
            traffic.awaitMore(SETTLED);
            // The same template, released blue/green from now on: its ReplicaSet takes over from the
            // Deployment, which stays for scaleDownDelaySeconds after the active Service left it.
            msds.edit("shop", m -> {
                m.getSpec().getStrategy().setType(StrategyType.BlueGreen);
                m.getSpec().getStrategy().setBlueGreen(new BlueGreen());
                m.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(5);
                return m;
            });
            stable = msds.awaitStatus(
                            "shop",
                            "BlueGreen, its Deployment gone",
                            s -> s.getPhase() == Phase.Healthy
                                    && s.getStableRevision() != null
                                    && msds.deployment("shop") == null)
                    .getStatus()
                    .getStableRevision();
            awaitAnswersOnlyFrom(traffic, stable);
            // Until the Deployment's Pods (they carry no revision) are gone: none of them may have been asked
            // meanwhile.
            await().atMost(POD_TIMEOUT)
                    .until(() -> client.pods().inNamespace(namespace.name()).list().getItems().stream()
                            .noneMatch(p -> !p.getMetadata().getLabels().containsKey(WorkloadLabels.REVISION)));
            traffic.awaitMore(SETTLED);
            seen = shop.recording();
        }

        assertNoneFailed(seen);
        assertThat(seen.switches()).extracting(ActiveServiceTimeline.Switch::to).endsWith(stable);
    }

    /**
     * The pre-promotion analysis of the sample service's own counters, as Prometheus scraped them
     * from the revision's Pods (the job that hack/prometheus.sh adds for the real node labels each
     * series with its namespace): fails above 5% errors.
     */
    private static Analysis errorRateAnalysis() {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(PrometheusServer.ensure());
        prometheus.setQuery(
                "sum(rate(blueshift_errors_total{namespace=\"{{namespace}}\",revision=\"{{revision}}\"}[5s]))"
                        + " / sum(rate(blueshift_requests_total{namespace=\"{{namespace}}\",revision=\"{{revision}}\"}[5s]))");
        prometheus.setThreshold(0.05);
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("error-rate");
        metric.setPrometheus(prometheus);
        Analysis analysis = new Analysis();
        analysis.setInterval("2s");
        analysis.setPrePromotion(new AnalysisStage("60s"));
        analysis.setMetrics(List.of(metric));
        return analysis;
    }

    /** A new revision with the same image: what `kubectl blueshift restart` does. */
    private static void restart(MsdFixture msds, String mark) {
        msds.edit("shop", m -> {
            m.getSpec().getTemplate().getMetadata().getAnnotations().put("blueshift.dev/restartedAt", mark);
            return m;
        });
    }

    /** Until the last answers all come from {@code revision}: kube-proxy has caught up with the active Service. */
    private static void awaitAnswersOnlyFrom(TrafficRecorder traffic, String revision) {
        await().atMost(POD_TIMEOUT).untilAsserted(() -> {
            List<TrafficRecorder.Request> all = traffic.requests();
            assertThat(all.subList(Math.max(0, all.size() - SETTLED), all.size()))
                    .hasSize(SETTLED)
                    .allMatch(r -> revision.equals(r.revision()));
        });
    }

    /** Prints the timeline, then: not one request failed. */
    private static void assertNoneFailed(ServiceTraffic.Recording seen) {
        report(seen.requests(), seen.switches());
        assertThat(seen.requests().stream()
                        .filter(TrafficRecorder.Request::failed)
                        .limit(5))
                .as("failed requests (of %d)", seen.requests().size())
                .isEmpty();
    }

    /** The timeline: requests by revision and second, and how long after each switch was seen the answers flipped. */
    private static void report(List<TrafficRecorder.Request> requests, List<ActiveServiceTimeline.Switch> switches) {
        Instant t0 = requests.stream()
                .map(TrafficRecorder.Request::start)
                .min(Instant::compareTo)
                .orElseThrow();
        Map<Long, Map<String, Long>> perSecond = new TreeMap<>(requests.stream()
                .collect(Collectors.groupingBy(
                        r -> Duration.between(t0, r.start()).toSeconds(),
                        Collectors.groupingBy(
                                r -> r.failed() ? "FAILED" : r.revision(), TreeMap::new, Collectors.counting()))));
        System.out.printf(
                "[real-node] %d requests, %d failed, by revision %s%n",
                requests.size(),
                requests.stream().filter(TrafficRecorder.Request::failed).count(),
                requests.stream()
                        .collect(Collectors.groupingBy(
                                r -> r.failed() ? "FAILED" : r.revision(), TreeMap::new, Collectors.counting())));
        for (int i = 0; i < switches.size(); i++) {
            ActiveServiceTimeline.Switch s = switches.get(i);
            Instant next = i + 1 < switches.size() ? switches.get(i + 1).seen() : Instant.MAX;
            // From 5 s before it (kube-proxy may act before the watch tells), but not before the previous switch.
            Instant windowStart =
                    i > 0 && switches.get(i - 1).seen().isAfter(s.seen().minusSeconds(5))
                            ? switches.get(i - 1).seen()
                            : s.seen().minusSeconds(5);
            List<TrafficRecorder.Request> around = requests.stream()
                    .filter(r -> r.start().isAfter(windowStart) && r.start().isBefore(next))
                    .toList();
            Instant firstNew = around.stream()
                    .filter(r -> Objects.equals(s.to(), r.revision()))
                    .map(TrafficRecorder.Request::end)
                    .min(Instant::compareTo)
                    .orElse(null);
            Instant lastOldStart = around.stream()
                    .filter(r -> Objects.equals(s.from(), r.revision()))
                    .map(TrafficRecorder.Request::start)
                    .max(Instant::compareTo)
                    .orElse(null);
            System.out.printf(
                    "[real-node] at +%.3f s the active Service moved %s -> %s (seen by a watch); the first answer by %s"
                            + " came %s ms after; the last request %s answered started %s ms after%n",
                    Duration.between(t0, s.seen()).toMillis() / 1000.0,
                    s.from(),
                    s.to(),
                    s.to(),
                    firstNew == null
                            ? "never"
                            : Duration.between(s.seen(), firstNew).toMillis(),
                    s.from(),
                    lastOldStart == null
                            ? "n/a"
                            : Duration.between(s.seen(), lastOldStart).toMillis());
        }
        List<Long> millis = requests.stream()
                .map(r -> Duration.between(r.start(), r.end()).toMillis())
                .sorted()
                .toList();
        System.out.printf(
                "[real-node] latency ms: p50 %d, p99 %d, max %d; over 1 s: %d%n",
                millis.get(millis.size() / 2),
                millis.get((int) (millis.size() * 0.99)),
                millis.get(millis.size() - 1),
                millis.stream().filter(ms -> ms > 1000).count());
        perSecond.forEach((second, counts) -> System.out.printf("[real-node] +%3d s %s%n", second, counts));
    }
}
