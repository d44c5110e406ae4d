package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's own metrics on /q/metrics reflect what it did. */
@ClusterTest
@KwokOnly
class OperatorMetricsIT {
    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private String scrape() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static double healthyCount(String text) {
        Matcher m = Pattern.compile("blueshift_msd_phase\\{phase=\"Healthy\"} (\\S+)")
                .matcher(text);
        assertThat(m.find()).as("a Healthy series in %s", text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void reconcilesReleasesWritesAndPhasesAreCountedAndADeletedMsdLeavesNoPhaseSeries() throws Exception {
        try (KubernetesClient client = LocalControlPlane.client()) {
            MsdFixture msds = new MsdFixture(client, namespace.name());
            msds.create(Msds.blueGreen(namespace.name(), "metered", 1, "metered:1"));
            String r1 = msds.awaitPhase("metered", Phase.Healthy).getStatus().getStableRevision();
            msds.edit("metered", m -> {
                Msds.setImage(m, "metered:2");
                return m;
            });
            msds.awaitStatus(
                    "metered", "r2 stable", s -> s.getStableRevision() != null && !r1.equals(s.getStableRevision()));

            await().atMost(MsdFixture.TIMEOUT).untilAsserted(() -> {
                String text = scrape();
                // Reconciles are counted and timed by the operator SDK; ours would only repeat them.
                assertThat(text)
                        .containsPattern("reconciliations_success_total\\{controller_name=\"blueshift\"} [1-9]");
                assertThat(text)
                        .contains("reconciliations_execution_duration_seconds_count{controller_name=\"blueshift\"}");
                assertThat(text)
                        .doesNotContain("blueshift_reconciles_total")
                        .doesNotContain("blueshift_reconcile_seconds");
                assertThat(text).containsPattern("blueshift_releases_total\\{outcome=\"promoted\"} [1-9]");
                assertThat(text).containsPattern("blueshift_kube_requests_total\\{kind=\"status\"} [1-9]");
                // One series per phase, counting MSDs (other tests' MSDs may be in it too).
                assertThat(text).containsPattern("blueshift_msd_phase\\{phase=\"Healthy\"} [1-9]");
                assertThat(text).doesNotContain("blueshift_msd_phase{name=");
            });

            // A deleted MSD leaves its phase's count (other MSDs of the run may count there too, settled by now).
            double healthy = healthyCount(scrape());
            assertThat(healthy).isGreaterThanOrEqualTo(1);
            client.resources(MicroserviceDeployment.class)
                    .inNamespace(namespace.name())
                    .withName("metered")
                    .delete();
            await().atMost(MsdFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(healthyCount(scrape())).isEqualTo(healthy - 1));
        }
    }
}
