package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.Msds;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator's /q/metrics has the operator SDK's reconcile metrics. Under
 * {@code @QuarkusTest} they always showed ({@code OperatorMetricsIT}); the packaged application
 * started its operator before Quarkus bound the SDK's metrics, so it counted nothing there (the
 * benchmark read 0 reconciles per second).
 */
@Tag("process")
@KwokOnly
class PackagedMetricsIT {
    @Test
    void thePackagedOperatorCountsAndTimesItsReconciles() throws Exception {
        int port = freePort();
        try (CrashCluster cluster = new CrashCluster("bs-metrics")) {
            Map<String, String> settings = cluster.operatorSettings();
            settings.put("quarkus.http.port", Integer.toString(port));
            try (OperatorProcess operator = new OperatorProcess("metrics-" + cluster.namespace, settings)) {
                operator.start();
                cluster.client
                        .resource(cluster.claim(Msds.rolling(cluster.namespace, "counted", 1, "counted:1")))
                        .create();
                HttpClient http = HttpClient.newHttpClient();
                URI metrics = URI.create("http://127.0.0.1:" + port + "/q/metrics");
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            String text = http.send(
                                            HttpRequest.newBuilder(metrics).build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body();
                            assertThat(text)
                                    .containsPattern(
                                            "reconciliations_started_total\\{controller_name=\"blueshift\"} [1-9]")
                                    .containsPattern(
                                            "reconciliations_success_total\\{controller_name=\"blueshift\"} [1-9]")
                                    .contains(
                                            "reconciliations_execution_duration_seconds_count{controller_name=\"blueshift\"}");
                        });
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
