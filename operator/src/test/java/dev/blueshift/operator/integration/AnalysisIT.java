package dev.blueshift.operator.integration;

import static dev.blueshift.operator.support.MsdFixture.TIMEOUT;
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
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.MetricStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.api.v1alpha1.status.RollbackStatus;
import dev.blueshift.operator.release.bluegreen.Commands;
import dev.blueshift.operator.support.ActiveServiceInvariant;
import dev.blueshift.operator.support.AnalysisSettingsResource;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KubectlPlugin;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.PrometheusServer;
import dev.blueshift.operator.support.ScrapeTarget;
import dev.blueshift.operator.support.TestNamespace;
import dev.blueshift.operator.support.TestPrometheusProviders;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Releases judged by a real Prometheus server that scrapes a target whose error rate per revision
 * the test controls; the operator runs in-process against the real control plane.
 */
@ClusterTest
@KwokOnly
class AnalysisIT {
    private static final double THRESHOLD = 0.1;
    private static KubernetesClient client;

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @TestHTTPResource("/q/metrics")
    URL operatorMetrics;

    private MsdFixture msds;
    private ScrapeTarget target;

    @BeforeAll
    static void connect() {
        LocalControlPlane.ensure();
        client = LocalControlPlane.client();
        PrometheusServer.ensure();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void start() {
        msds = new MsdFixture(client, namespace.name());
        // Every revision with a ReplicaSet serves traffic, at the default error rate unless the test sets its own.
        target = new ScrapeTarget(
                namespace.name(),
                () -> client.apps().replicaSets().inNamespace(namespace.name()).list().getItems().stream()
                        .map(rs -> rs.getMetadata().getLabels().get("blueshift.dev/revision"))
                        .filter(Objects::nonNull)
                        .toList());
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private static Analysis analysis(String address, String query, String pre, String post, int errorLimit) {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(address);
        prometheus.setQuery(query);
        prometheus.setThreshold(THRESHOLD);
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("error-rate");
        metric.setPrometheus(prometheus);
        Analysis analysis = new Analysis();
        analysis.setInterval("1s");
        analysis.setPrePromotion(new AnalysisStage(pre));
        analysis.setPostPromotion(new AnalysisStage(post));
        analysis.setConsecutiveErrorLimit(errorLimit);
        analysis.setMetrics(List.of(metric));
        return analysis;
    }

    /** Releases r1 of a BlueGreen MSD with this analysis, then applies r2; returns r1. */
    private String releaseThenUpdate(String name, Analysis analysis) {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), name, 2, name + ":1");
        msd.getSpec().setAnalysis(analysis);
        msds.create(msd);
        String r1 = awaitPhase(name, Phase.Healthy).getStatus().getStableRevision();
        msds.edit(name, m -> {
            Msds.setImage(m, name + ":2");
            return m;
        });
        return r1;
    }

    /** Waits as MsdFixture does; on a timeout the message shows the whole status, which tells why. */
    private MicroserviceDeployment awaitStatus(
            String name, String what, Predicate<MicroserviceDeploymentStatus> condition) {
        try {
            return msds.awaitStatus(name, what, condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "timed out waiting for " + what + "; status: "
                            + Serialization.asJson(msds.msd(name).get().getStatus()),
                    e);
        }
    }

    private MicroserviceDeployment awaitPhase(String name, Phase phase) {
        return awaitStatus(name, "phase " + phase, s -> s.getPhase() == phase);
    }

    private static MetricStatus errorRate(AnalysisStatus analysis) {
        return analysis.getMetrics().stream()
                .filter(m -> m.getName().equals("error-rate"))
                .findFirst()
                .orElseThrow();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(namespace.name()).list().getItems();
    }

    @Test
    void aHealthyReleasePassesBothStagesAndBecomesStable() {
        String r1 = releaseThenUpdate(
                "shop", analysis(PrometheusServer.ensure(), ScrapeTarget.ERROR_RATE_QUERY, "6s", "3s", 2));
        MicroserviceDeployment done = awaitStatus(
                "shop",
                "r2 stable",
                s -> s.getPhase() == Phase.Healthy
                        && s.getStableRevision() != null
                        && !s.getStableRevision().equals(r1));
        String r2 = done.getStatus().getStableRevision();
        AnalysisStatus analysis = done.getStatus().getAnalysis();
        assertThat(analysis.getStage()).isEqualTo("PostPromotion");
        assertThat(analysis.getRevision()).isEqualTo(r2);
        assertThat(analysis.getVerdict()).isEqualTo("Passed");
        assertThat(errorRate(analysis).getValue()).isEqualTo("0");
        assertThat(errorRate(analysis).getThreshold()).isEqualTo("< 0.1");
        assertThat(errorRate(analysis).getFailures()).isZero();
        assertThat(errorRate(analysis).getMeasurements()).isGreaterThanOrEqualTo(3);
        assertThat(done.getStatus().getLastRollback()).isNull();
        assertThat(msds.service("shop").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r2);
    }

    @Test
    void aFailingPreviewIsAbortedWithoutTheActiveServiceEverMovingAndRetryRunsTheAnalysisAgain() {
        target.defaultErrorRate(0.5);
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "cart", 2, "cart:1");
        msd.getSpec().setAnalysis(analysis(PrometheusServer.ensure(), ScrapeTarget.ERROR_RATE_QUERY, "10s", "2s", 2));
        msds.create(msd);
        String r1 = awaitPhase("cart", Phase.Healthy).getStatus().getStableRevision();
        target.errorRate(r1, 0.0);
        try (ActiveServiceInvariant invariant = new ActiveServiceInvariant(client, namespace.name(), "cart")) {
            msds.edit("cart", m -> {
                Msds.setImage(m, "cart:2");
                return m;
            });
            MicroserviceDeployment aborted = awaitPhase("cart", Phase.Aborted);
            String r2 = aborted.getStatus().getAbortedRevision();
            assertThat(r2).isNotEqualTo(r1);
            assertThat(aborted.getStatus().getAbortReason())
                    .contains("pre-promotion")
                    .contains("error-rate = 0.5")
                    .contains("< 0.1");
            assertThat(aborted.getStatus().getActiveRevision()).isEqualTo(r1);
            assertThat(errorRate(aborted.getStatus().getAnalysis()).getVerdict())
                    .isEqualTo("Failed");
            assertThat(msds.service("cart").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r1);
            assertThat(invariant.violations()).isEmpty();
            assertThat(invariant.eventCount()).isPositive();
            assertThat(events()).noneSatisfy(e -> assertThat(e.getReason()).isEqualTo("Promoted"));
            await().atMost(TIMEOUT)
                    .until(() -> msds.replicaSet("cart-" + r2).getSpec().getReplicas() == 0);

            // The cause is fixed; once Prometheus's rate window has forgotten the bad requests, retry.
            target.errorRate(r2, 0.0);
            PrometheusProvider provider = TestPrometheusProviders.unsigned(PrometheusServer.ensure());
            AnalysisMetric metric = analysis(PrometheusServer.ensure(), ScrapeTarget.ERROR_RATE_QUERY, "0s", "0s", 0)
                    .getMetrics()
                    .get(0);
            await().atMost(TIMEOUT)
                    .until(() -> provider.measure(metric, new AnalysisTarget(namespace.name(), "cart", r2))
                                    .outcome()
                            == Measurement.Outcome.Passed);
            msds.command("cart", Commands.RETRY);
            // Retry analyses the revision again from fresh counts, and it is released.
            MicroserviceDeployment reanalysed = awaitStatus(
                    "cart",
                    "pre-promotion analysis again",
                    s -> s.getAnalysis() != null
                            && "PrePromotion".equals(s.getAnalysis().getStage())
                            && "Running".equals(s.getAnalysis().getVerdict()));
            assertThat(errorRate(reanalysed.getStatus().getAnalysis()).getFailures())
                    .isZero();
            assertThat(reanalysed.getStatus().getAbortedRevision()).isNull();
            MicroserviceDeployment released = awaitStatus(
                    "cart",
                    "r2 stable after retry",
                    s -> s.getPhase() == Phase.Healthy && r2.equals(s.getStableRevision()));
            assertThat(released.getStatus().getAnalysis().getVerdict()).isEqualTo("Passed");
            assertThat(invariant.violations()).isEmpty();
        }
    }

    @Test
    void aUserAbortDuringTheAnalysisStopsItAndRetryStartsItOverFromZero() {
        target.defaultErrorRate(0.0);
        String r1 = releaseThenUpdate(
                "basket", analysis(PrometheusServer.ensure(), ScrapeTarget.ERROR_RATE_QUERY, "10m", "0s", 3));
        MicroserviceDeployment measuring = awaitStatus(
                "basket",
                "pre-promotion analysis measuring",
                s -> s.getAnalysis() != null
                        && "PrePromotion".equals(s.getAnalysis().getStage())
                        && "Running".equals(s.getAnalysis().getVerdict())
                        && errorRate(s.getAnalysis()).getMeasurements() != null
                        && errorRate(s.getAnalysis()).getMeasurements() >= 2);
        String r2 = measuring.getStatus().getAnalysis().getRevision();
        assertThat(r2).isNotEqualTo(r1);

        msds.command("basket", Commands.ABORT);
        MicroserviceDeployment aborted = awaitPhase("basket", Phase.Aborted);
        assertThat(aborted.getStatus().getAbortedRevision()).isEqualTo(r2);
        assertThat(aborted.getStatus().getAnalysis().getVerdict()).isEqualTo("Stopped");
        assertThat(aborted.getStatus().getAnalysis().getMessage()).contains("the release of " + r2 + " was aborted");
        assertThat(aborted.getStatus().getActiveRevision()).isEqualTo(r1);

        msds.command("basket", Commands.RETRY);
        MicroserviceDeployment again = awaitStatus(
                "basket",
                "pre-promotion analysis running again",
                s -> s.getAnalysis() != null
                        && "Running".equals(s.getAnalysis().getVerdict())
                        && s.getAbortedRevision() == null);
        assertThat(again.getStatus().getAnalysis().getRevision()).isEqualTo(r2);
        assertThat(Instant.parse(again.getStatus().getAnalysis().getStartedAt()))
                .isAfter(Instant.parse(measuring.getStatus().getAnalysis().getStartedAt()));
    }

    @Test
    void aReleaseFailingAfterPromotionIsRolledBackToTheWarmStableWithTheReason() throws Exception {
        String r1 = releaseThenUpdate(
                "pay", analysis(PrometheusServer.ensure(), ScrapeTarget.ERROR_RATE_QUERY, "6s", "60s", 2));
        MicroserviceDeployment baking = awaitStatus(
                "pay",
                "post-promotion analysis",
                s -> s.getAnalysis() != null
                        && "PostPromotion".equals(s.getAnalysis().getStage())
                        && s.getActiveRevision() != null
                        && !s.getActiveRevision().equals(r1));
        String r2 = baking.getStatus().getActiveRevision();
        assertThat(baking.getStatus().getPhase()).isEqualTo(Phase.Promoting);
        assertThat(msds.replicaSet("pay-" + r1).getSpec().getReplicas()).isEqualTo(2);

        target.errorRate(r2, 0.5);
        MicroserviceDeployment rolledBack = awaitPhase("pay", Phase.RolledBack);
        assertThat(rolledBack.getStatus().getActiveRevision()).isEqualTo(r1);
        assertThat(rolledBack.getStatus().getStableRevision()).isEqualTo(r1);
        assertThat(rolledBack.getStatus().getActiveSelector()).contains("blueshift.dev/revision=" + r1);
        // Status records the rollback first (so that a crash cannot lose it), then the Service moves.
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(msds.service("pay").getSpec().getSelector())
                        .containsEntry("blueshift.dev/revision", r1));
        assertThat(msds.replicaSet("pay-" + r1).getSpec().getReplicas()).isEqualTo(2);
        RollbackStatus rollback = rolledBack.getStatus().getLastRollback();
        assertThat(rollback.getFrom()).isEqualTo(r2);
        assertThat(rollback.getTo()).isEqualTo(r1);
        assertThat(rollback.getAt()).isNotBlank();
        // The window of the rate query still mixes good and bad requests when the breach is first seen.
        assertThat(rollback.getReason()).containsPattern("error-rate = 0\\.[0-9]+, threshold < 0\\.1");
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(events()).anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("RolledBack");
                    assertThat(e.getMessage())
                            .containsPattern("error-rate = 0\\.[0-9]+, threshold < 0\\.1")
                            .contains(r1);
                }));
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(scrape(operatorMetrics))
                        .containsPattern("blueshift_rollbacks_total\\{metric=\"error-rate\"} [1-9]"));
        assertThat(KubectlPlugin.run(namespace.name(), "status", "pay"))
                .contains("pay: RolledBack", "last rollback at " + rollback.getAt() + ": " + r2 + " -> " + r1)
                .contains("analysis PostPromotion of " + r2 + ": Failed")
                .containsPattern("error-rate = 0\\.[0-9]+ \\(threshold < 0\\.1\\): Failed, [1-9] failed");
    }

    /**
     * What a restarted operator relies on: it keeps no counts in memory, only in status. The test
     * writes into status the counts a previous operator process would have left (one failed
     * measurement, with failureLimit 1); the next failed measurement is then the second, which rolls
     * back. An operator counting from zero would count one and keep baking.
     */
    @Test
    void theAnalysisGoesOnFromTheCountsInStatusAsARestartedOperatorWould() {
        Analysis analysis = analysis(PrometheusServer.ensure(), ScrapeTarget.ERROR_RATE_QUERY, "6s", "10m", 2);
        analysis.setInterval("8s");
        analysis.setFailureLimit(1);
        String r1 = releaseThenUpdate("resume", analysis);
        MicroserviceDeployment baking = awaitStatus(
                "resume",
                "a passing post-promotion measurement",
                s -> s.getAnalysis() != null
                        && "PostPromotion".equals(s.getAnalysis().getStage())
                        && "Passed".equals(errorRate(s.getAnalysis()).getVerdict()));
        String r2 = baking.getStatus().getActiveRevision();
        assertThat(r2).isNotEqualTo(r1);

        // The counts a previous operator process left in status, written as it would: through the status subresource.
        AnalysisStatus left = baking.getStatus().getAnalysis();
        errorRate(left).setFailures(1);
        client.resources(MicroserviceDeployment.class)
                .inNamespace(namespace.name())
                .withName("resume")
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(java.util.Map.of("status", java.util.Map.of("analysis", left))));
        target.errorRate(r2, 0.5);

        MicroserviceDeployment rolledBack = awaitPhase("resume", Phase.RolledBack);
        MetricStatus metric = errorRate(rolledBack.getStatus().getAnalysis());
        assertThat(metric.getFailures()).isEqualTo(2);
        assertThat(rolledBack.getStatus().getAnalysis().getStartedAt()).isEqualTo(left.getStartedAt());
        assertThat(rolledBack.getStatus().getLastRollback().getReason())
                .contains("2 failed measurement(s), failureLimit 1");
        assertThat(rolledBack.getStatus().getActiveRevision()).isEqualTo(r1);
    }

    @Test
    void aStageThatEndsWithoutDataFailsNeverPasses() {
        String query = "sum(rate(never_exported_total{revision=\"{{revision}}\"}[4s]))";
        releaseThenUpdate("quiet", analysis(PrometheusServer.ensure(), query, "3s", "2s", 2));
        MicroserviceDeployment aborted = awaitPhase("quiet", Phase.Aborted);
        assertThat(aborted.getStatus().getAbortReason()).contains("no data: error-rate");
        MetricStatus metric = errorRate(aborted.getStatus().getAnalysis());
        assertThat(metric.getVerdict()).isEqualTo("NoData");
        assertThat(metric.getMeasurements()).isGreaterThanOrEqualTo(2);
        assertThat(aborted.getStatus().getStableRevision())
                .isEqualTo(aborted.getStatus().getActiveRevision());
    }

    @Test
    void anUnreachablePrometheusAbortsAfterTheConsecutiveErrorLimit() {
        // An address the admin allows (AnalysisSettingsResource) where nothing listens.
        String r1 = releaseThenUpdate(
                "down",
                analysis(
                        AnalysisSettingsResource.UNREACHABLE_PROMETHEUS, ScrapeTarget.ERROR_RATE_QUERY, "0s", "2s", 2));
        MicroserviceDeployment aborted = awaitPhase("down", Phase.Aborted);
        assertThat(aborted.getStatus().getAbortReason())
                .contains("3 provider errors in a row")
                .contains("unreachable");
        assertThat(errorRate(aborted.getStatus().getAnalysis()).getConsecutiveErrors())
                .isEqualTo(3);
        assertThat(aborted.getStatus().getActiveRevision()).isEqualTo(r1);
        assertThat(events()).noneSatisfy(e -> assertThat(e.getReason()).isEqualTo("Promoted"));
    }

    private static String scrape(URL url) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url.toString())).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
