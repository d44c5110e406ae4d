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
import dev.blueshift.operator.support.RealNode;
import dev.blueshift.operator.support.RealNodeOnly;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blue/green as a user sees it: the sample service running in real Pods on the real node, requests
 * sent without pause through the active Service's ClusterIP while a release is promoted, another is
 * aborted in preview, the first revision comes back by a fast rollback, a bad release is aborted by
 * the analysis of its preview's real metrics, and another bad one, promoted, is rolled back by its
 * post-promotion analysis. Every request is recorded with the revision that answered it; none may
 * fail (the bad release's injected 500s are its answers, counted apart), and the answers flip when
 * the operator's Events say the active Service moved.
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
        String r5;
        MicroserviceDeployment aborted;
        MicroserviceDeployment rolledBack;
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

            // 5. Another bad release, judged after its promotion this time: it takes the active Service, answers
            // some requests with its injected 500s, and the post-promotion analysis rolls it back.
            msds.edit("shop", m -> {
                Analysis analysis = errorRateAnalysis();
                analysis.setPrePromotion(null);
                analysis.setPostPromotion(new AnalysisStage("60s"));
                m.getSpec().setAnalysis(analysis);
                m.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(e -> e.getName().equals("BLUESHIFT_FAULT_ERROR_RATE"))
                        .forEach(e -> e.setValue("0.4"));
                return m;
            });
            r5 = msds.awaitCurrentPhase("shop", Phase.Paused).getStatus().getCurrentRevision();
            msds.command("shop", Commands.PROMOTE);
            rolledBack = msds.awaitCurrentPhase("shop", Phase.RolledBack);
            awaitAnswersOnlyFrom(traffic, r1);
            seen = shop.recording();
        }

        TrafficTimeline timeline = report("promote-abort-undo-rollback", seen);
        List<TrafficRecorder.Request> requests = timeline.requests();
        System.out.printf(
                "[real-node] the bad release %s, on its preview: %d requests, %d of them its injected 500s; aborted by the analysis: %s%n",
                r4,
                previewRequests.stream()
                        .filter(r -> r4.equals(r.revision()) || r.status() == 500)
                        .count(),
                previewRequests.stream().filter(r -> r.status() == 500).count(),
                aborted.getStatus().getAnalysis().getMessage());
        assertThat(seen.switches()).extracting(ActiveServiceTimeline.Switch::to).containsExactly(r2, r1, r5, r1);
        assertThat(timeline.moves())
                .extracting(m -> m.announcement()
                        .map(TrafficTimeline.Announcement::reason)
                        .orElse(null))
                .containsExactly("Promoted", "FastRollback", "Promoted", "RolledBack");
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
        assertThat(requests)
                .as("injected faults, by revision: only the bad release promoted gives them")
                .filteredOn(TrafficRecorder.Request::injectedFault)
                .isNotEmpty()
                .allMatch(r -> r5.equals(r.revision()));
        assertThat(rolledBack.getStatus().getStableRevision()).isEqualTo(r1);
        System.out.printf(
                "[real-node] the bad release %s, promoted: %d requests answered, %d of them its injected 500s; %s%n",
                r5,
                requests.stream().filter(r -> r5.equals(r.revision())).count(),
                requests.stream().filter(TrafficRecorder.Request::injectedFault).count(),
                rolledBack.getStatus().getMessage());
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

        TrafficTimeline timeline = report("rolling-to-bluegreen", seen);
        assertThat(timeline.switches())
                .extracting(ActiveServiceTimeline.Switch::to)
                .endsWith(stable);
        assertThat(timeline.moves())
                .extracting(m -> m.announcement()
                        .map(TrafficTimeline.Announcement::reason)
                        .orElse(null))
                .endsWith("SwitchedToBlueGreen");
    }

    /**
     * The pre-promotion analysis of the sample service's own counters, as the node's Prometheus
     * scraped them from the revision's Pods (it finds them through Kubernetes service discovery and
     * labels each series with its namespace): fails above 5% errors.
     */
    private static Analysis errorRateAnalysis() {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(RealNode.prometheusAddress());
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

    /**
     * Prints the timeline (and writes it, with its plot, to target/real-node/), then: not one request
     * failed, and every move of the active Service had its Event, with the answers flipping then.
     */
    private TrafficTimeline report(String name, ServiceTraffic.Recording seen) throws IOException {
        TrafficTimeline timeline =
                new TrafficTimeline(seen, TrafficTimeline.announcements(client, namespace.name(), "shop"));
        List<String> lines = timeline.lines();
        lines.forEach(line -> System.out.println("[real-node] " + line));
        Path out = Path.of("target", "real-node");
        Files.createDirectories(out);
        Files.write(out.resolve(name + ".txt"), lines);
        TrafficPlot.write(timeline, "RealNodeTrafficIT: " + name, out.resolve(name + ".png"));
        assertThat(timeline.failed().stream().limit(5))
                .as("failed requests (of %d)", timeline.requests().size())
                .isEmpty();
        assertThat(timeline.disagreements())
                .as("the answers and the operator's Events")
                .isEmpty();
        return timeline;
    }
}
