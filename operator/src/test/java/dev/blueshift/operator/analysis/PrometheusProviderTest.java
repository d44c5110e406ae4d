package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.blueshift.operator.analysis.Measurement.Outcome;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusSigV4;
import dev.blueshift.operator.api.v1alpha1.spec.ThresholdCondition;
import dev.blueshift.operator.support.PrometheusServer;
import dev.blueshift.operator.support.ScrapeTarget;
import dev.blueshift.operator.support.TestPrometheusProviders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** The Prometheus provider against a real Prometheus server scraping a target whose error rate the test sets. */
@Tag("prometheus")
class PrometheusProviderTest {
    private final String namespace = "prom-" + UUID.randomUUID().toString().substring(0, 8);
    private String address;
    private PrometheusProvider provider;
    private ScrapeTarget target;

    @BeforeEach
    void start() {
        address = PrometheusServer.ensure();
        provider = TestPrometheusProviders.unsigned(address);
        target = new ScrapeTarget(namespace);
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private AnalysisMetric metric(String address, String query, double threshold, ThresholdCondition condition) {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(address);
        prometheus.setQuery(query);
        prometheus.setThreshold(threshold);
        prometheus.setCondition(condition);
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("error-rate");
        metric.setPrometheus(prometheus);
        return metric;
    }

    private Measurement errorRate(String revision, double threshold) {
        return provider.measure(
                metric(address, ScrapeTarget.ERROR_RATE_QUERY, threshold, ThresholdCondition.LessThan),
                new AnalysisTarget(namespace, "shop", revision));
    }

    @Test
    void anErrorRateBelowTheThresholdPassesAndAboveItFails() {
        target.errorRate("good", 0.0);
        target.errorRate("bad", 0.5);
        Measurement good = await().atMost(Duration.ofSeconds(30))
                .until(() -> errorRate("good", 0.1), m -> m.outcome() != Outcome.NoData);
        assertThat(good.outcome()).isEqualTo(Outcome.Passed);
        assertThat(good.value()).isEqualTo("0");
        assertThat(good.threshold()).isEqualTo("< 0.1");
        Measurement bad = await().atMost(Duration.ofSeconds(30))
                .until(() -> errorRate("bad", 0.1), m -> m.outcome() != Outcome.NoData);
        assertThat(bad.outcome()).isEqualTo(Outcome.Failed);
        assertThat(bad.value()).isEqualTo("0.5");
    }

    @Test
    void aRevisionWithoutSeriesIsNoDataNeverAPass() {
        target.errorRate("other", 0.0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> errorRate("other", 0.1).outcome() == Outcome.Passed);
        Measurement none = errorRate("never-deployed", 0.1);
        assertThat(none.outcome()).isEqualTo(Outcome.NoData);
        assertThat(none.message()).contains("empty result").contains("never-deployed");
    }

    @Test
    void scalarResultsAreComparedAndNaNIsNoData() {
        AnalysisTarget any = new AnalysisTarget(namespace, "shop", "r1");
        assertThat(provider.measure(metric(address, "0.02", 0.05, ThresholdCondition.LessThan), any)
                        .outcome())
                .isEqualTo(Outcome.Passed);
        Measurement high = provider.measure(
                metric(address, "scalar(vector(0.99))", 0.95, ThresholdCondition.GreaterThanOrEqual), any);
        assertThat(high.outcome()).isEqualTo(Outcome.Passed);
        assertThat(high.threshold()).isEqualTo(">= 0.95");
        assertThat(provider.measure(metric(address, "0.9", 0.95, ThresholdCondition.GreaterThanOrEqual), any)
                        .outcome())
                .isEqualTo(Outcome.Failed);
        assertThat(provider.measure(metric(address, "0/0", 0.05, ThresholdCondition.LessThan), any)
                        .outcome())
                .isEqualTo(Outcome.NoData);
    }

    @Test
    void everySeriesOfAVectorMustPassAndTheWorstIsReported() {
        AnalysisTarget any = new AnalysisTarget(namespace, "shop", "r1");
        Measurement m = provider.measure(
                metric(
                        address,
                        "vector(0.01) or label_replace(vector(0.3), \"x\", \"y\", \"\", \"\")",
                        0.1,
                        ThresholdCondition.LessThan),
                any);
        assertThat(m.outcome()).isEqualTo(Outcome.Failed);
        assertThat(m.value()).isEqualTo("0.3");
    }

    @Test
    void aBadQueryIsAProviderErrorWithPrometheusOwnWords() {
        Measurement m = provider.measure(
                metric(address, "sum(rate(", 0.1, ThresholdCondition.LessThan),
                new AnalysisTarget(namespace, "shop", "r1"));
        assertThat(m.outcome()).isEqualTo(Outcome.Error);
        assertThat(m.message()).contains("HTTP 400").contains("bad_data");
    }

    @Test
    void aMetricWithoutAddressUsesTheOperatorsDefaultAndWithoutEitherIsAnError() {
        AnalysisTarget any = new AnalysisTarget(namespace, "shop", "r1");
        AnalysisMetric noAddress = metric(null, "0.02", 0.05, ThresholdCondition.LessThan);
        assertThat(new PrometheusProvider(
                                new PrometheusAddresses(Optional.of(address), List.of()),
                                Duration.ofSeconds(5),
                                1 << 20,
                                () -> AwsBasicCredentials.create("a", "b"))
                        .measure(noAddress, any)
                        .outcome())
                .isEqualTo(Outcome.Passed);
        Measurement none = provider.measure(noAddress, any);
        assertThat(none.outcome()).isEqualTo(Outcome.Error);
        assertThat(none.message()).contains("blueshift.analysis.prometheus-address");
    }

    @Test
    void sigv4SignsTheQueryForAmazonManagedPrometheusAndPrometheusStillAnswers() throws IOException {
        List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
        // A recording hop in front of the real server: it keeps the request headers, then forwards the query.
        HttpServer hop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hop.createContext("/", exchange -> {
            seen.add(Map.copyOf(exchange.getRequestHeaders()));
            try {
                HttpResponse<byte[]> answer = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(address + exchange.getRequestURI()))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        hop.start();
        try {
            PrometheusProvider signing = new PrometheusProvider(
                    PrometheusAddresses.only(
                            "http://127.0.0.1:" + hop.getAddress().getPort()),
                    Duration.ofSeconds(5),
                    1 << 20,
                    () -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
            AnalysisMetric metric =
                    metric("http://127.0.0.1:" + hop.getAddress().getPort(), "0.02", 0.05, ThresholdCondition.LessThan);
            PrometheusSigV4 sigv4 = new PrometheusSigV4();
            sigv4.setRegion("eu-west-1");
            metric.getPrometheus().setSigv4(sigv4);
            assertThat(signing.measure(metric, new AnalysisTarget(namespace, "shop", "r1"))
                            .outcome())
                    .isEqualTo(Outcome.Passed);
            assertThat(seen).singleElement().satisfies(headers -> {
                assertThat(headers.get("Authorization"))
                        .singleElement()
                        .asString()
                        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                        .contains("/eu-west-1/aps/aws4_request")
                        .contains("SignedHeaders=host;")
                        .contains("x-amz-date")
                        .contains("Signature=");
                assertThat(headers).containsKey("X-amz-date");
            });
        } finally {
            hop.stop(0);
        }
    }

    @Test
    void anUnreachablePrometheusIsAProviderError() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Measurement m = TestPrometheusProviders.unsigned("http://127.0.0.1:" + closed)
                .measure(
                        metric("http://127.0.0.1:" + closed, "vector(0)", 0.1, ThresholdCondition.LessThan),
                        new AnalysisTarget(namespace, "shop", "r1"));
        assertThat(m.outcome()).isEqualTo(Outcome.Error);
        assertThat(m.message()).contains("unreachable");
    }
}
