package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.blueshift.operator.analysis.Measurement.Outcome;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusSigV4;
import dev.blueshift.operator.support.TestPrometheusProviders;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A hostile or broken "Prometheus" (a JDK HttpServer on 127.0.0.1): the provider queries only
 * allowed addresses, never reflects a body into the measurement, reads at most the byte cap and
 * never waits past the query timeout for a body that trickles.
 */
@Timeout(60) // a guard against a hang, not a measure of speed
class PrometheusProviderSafetyTest {
    private static final String MARKER = "MARKER-7f3a";
    /** What an instance metadata endpoint answers: credentials, which must never reach status. */
    private static final String CREDENTIALS = "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIA"
            + MARKER + "\",\"SecretAccessKey\":\"secret-" + MARKER + "\",\"Token\":\"token-" + MARKER + "\"}";

    private static final AnalysisTarget TARGET = new AnalysisTarget("ns", "shop", "r1");

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A server on 127.0.0.1 with this handler on every path; counts its requests. */
    private String serve(AtomicInteger requests, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            handler.handle(exchange);
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static HttpHandler answer(int code, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    private static AnalysisMetric metric(String address) {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(address);
        prometheus.setQuery("vector(0)");
        prometheus.setThreshold(0.1);
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("error-rate");
        metric.setPrometheus(prometheus);
        return metric;
    }

    private static PrometheusProvider allowing(String address) {
        return TestPrometheusProviders.unsigned(address);
    }

    private static void assertNoBody(Measurement m) {
        assertThat(m.outcome()).isEqualTo(Outcome.Error);
        assertThat(m.message())
                .doesNotContain(MARKER)
                .doesNotContain("AccessKeyId")
                .doesNotContain("Secret");
        assertThat(m.value()).isNull();
    }

    @Test
    void aRefusedAddressIsNeverSentARequestNorSignedFor() throws IOException {
        AtomicInteger metadataRequests = new AtomicInteger();
        String metadata = serve(metadataRequests, answer(200, CREDENTIALS));
        AtomicInteger credentialLookups = new AtomicInteger();
        PrometheusProvider provider = new PrometheusProvider(
                PrometheusAddresses.only("http://127.0.0.1:19090"), Duration.ofSeconds(5), 1 << 20, () -> {
                    credentialLookups.incrementAndGet();
                    return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
                });
        AnalysisMetric metric = metric(metadata + "/latest/meta-data/iam/security-credentials/x");
        PrometheusSigV4 sigv4 = new PrometheusSigV4();
        sigv4.setRegion("eu-west-1");
        metric.getPrometheus().setSigv4(sigv4);

        Measurement m = provider.measure(metric, TARGET);

        assertNoBody(m);
        assertThat(m.message())
                .isEqualTo(
                        "prometheus.address " + metadata + "/latest/meta-data/iam/security-credentials/x is not allowed"
                                + " by the operator (blueshift.analysis.allowed-prometheus-addresses); ask the cluster admin");
        assertThat(metadataRequests).hasValue(0);
        assertThat(credentialLookups).hasValue(0);
        // The userinfo trick names the allowed address as "user" of the metadata server: refused too.
        Measurement trick = provider.measure(
                metric("http://127.0.0.1:19090@" + metadata.substring("http://".length()) + "/"), TARGET);
        assertNoBody(trick);
        assertThat(trick.message()).contains("userinfo");
        assertThat(metadataRequests).hasValue(0);
        assertThat(credentialLookups).hasValue(0);
    }

    @Test
    void aJsonAnswerThatIsNotPrometheusIsReportedByItsStatusCodeOnly() throws IOException {
        String address = serve(new AtomicInteger(), answer(200, CREDENTIALS));
        Measurement m = allowing(address).measure(metric(address), TARGET);
        assertNoBody(m);
        assertThat(m.message()).isEqualTo("HTTP 200 from Prometheus, not a Prometheus API answer");
    }

    @Test
    void aNonJsonAnswerIsReportedByItsStatusCodeOnly() throws IOException {
        String address = serve(new AtomicInteger(), answer(404, "<html>not found: " + CREDENTIALS + "</html>"));
        Measurement m = allowing(address).measure(metric(address), TARGET);
        assertNoBody(m);
        assertThat(m.message()).isEqualTo("HTTP 404 from Prometheus, not a Prometheus API answer");
    }

    @Test
    void aPrometheusErrorComesBackAsAShortSanitizedExcerpt() throws IOException {
        String error = "parse error at char 5:\n\u001b[2Junexpected \u202Eright paren " + "x".repeat(250) + MARKER;
        String address = serve(
                new AtomicInteger(),
                answer(
                        400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\\u0007\",\"error\":\""
                                + error.replace("\n", "\\n").replace("\u001b", "\\u001b") + "\",\"data\":" + CREDENTIALS
                                + "}"));
        Measurement m = allowing(address).measure(metric(address), TARGET);
        assertNoBody(m);
        assertThat(m.message())
                .startsWith("HTTP 400 from Prometheus: bad_data: parse error at char 5: [2Junexpected right paren xxx")
                .endsWith("x...");
        assertThat(m.message().length()).isLessThanOrEqualTo("HTTP 400 from Prometheus: bad_data: ".length() + 200 + 3);
        assertThat(m.message()).doesNotContainPattern("\\p{Cntrl}").doesNotContain("\u202E");
    }

    @Test
    void aSuccessAnswerWhoseSampleIsNotANumberDoesNotEchoIt() throws IOException {
        String address = serve(
                new AtomicInteger(),
                answer(
                        200,
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\""
                                + MARKER + "\"]}]}}"));
        Measurement m = allowing(address).measure(metric(address), TARGET);
        assertNoBody(m);
        assertThat(m.message()).isEqualTo("HTTP 200 from Prometheus: a sample of the result is not a number");
        String odd = serve(
                new AtomicInteger(),
                answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"" + MARKER + "\"}}"));
        assertThat(allowing(odd).measure(metric(odd), TARGET).message())
                .isEqualTo("result type 'MARKER-7f3a' is not a scalar or an instant vector"); // a short, sanitized type
        // name only
    }

    @Test
    void aRedirectIsNotFollowed() throws IOException {
        AtomicInteger elsewhere = new AtomicInteger();
        String target = serve(
                elsewhere,
                answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0\"]}}"));
        String address = serve(new AtomicInteger(), exchange -> {
            exchange.getResponseHeaders().add("Location", target + "/api/v1/query?query=vector(0)");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        Measurement m = allowing(address).measure(metric(address), TARGET);
        assertThat(m.outcome()).isEqualTo(Outcome.Error);
        assertThat(m.message()).isEqualTo("HTTP 302 from Prometheus, not a Prometheus API answer");
        assertThat(elsewhere).hasValue(0);
    }

    @Test
    void anAnswerDeclaredLargerThanTheCapIsAnErrorAndIsNotRead() throws IOException {
        AtomicLong written = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        int size = 8 << 20;
        String address = serve(new AtomicInteger(), exchange -> stream(exchange, size, size, 0, written, finished));
        Measurement m = new PrometheusProvider(
                        PrometheusAddresses.only(address), Duration.ofSeconds(5), 1 << 20, () -> null)
                .measure(metric(address), TARGET);
        assertNoBody(m);
        assertThat(m.message())
                .isEqualTo("the answer of Prometheus at " + address + " is larger than 1048576 bytes"
                        + " (blueshift.analysis.max-response-bytes); not read on");
        await().atMost(Duration.ofSeconds(20)).untilTrue(finished);
        assertThat(written.get())
                .as("bytes the server could write before the client hung up")
                .isLessThan(size);
    }

    @Test
    void aChunkedAnswerGrowingPastTheCapIsAnErrorAndIsNotReadOn() throws IOException {
        AtomicLong written = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        int size = 64 << 20;
        String address = serve(new AtomicInteger(), exchange -> stream(exchange, size, 0, 0, written, finished));
        Measurement m = new PrometheusProvider(
                        PrometheusAddresses.only(address), Duration.ofSeconds(5), 1 << 20, () -> null)
                .measure(metric(address), TARGET);
        assertNoBody(m);
        assertThat(m.message()).contains("is larger than 1048576 bytes (blueshift.analysis.max-response-bytes)");
        await().atMost(Duration.ofSeconds(20)).untilTrue(finished);
        assertThat(written.get()).isLessThan(size);
    }

    @Test
    void aBodyThatTricklesIsCutAtTheQueryTimeoutAndTheConnectionDropped() throws IOException {
        AtomicLong written = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        // Headers at once (the request's own timeout is then satisfied), then a byte every 100 ms for a minute.
        String address = serve(new AtomicInteger(), exchange -> stream(exchange, 600, 0, 100, written, finished));
        Measurement m = new PrometheusProvider(
                        PrometheusAddresses.only(address), Duration.ofSeconds(1), 1 << 20, () -> null)
                .measure(metric(address), TARGET);
        assertNoBody(m);
        assertThat(m.message())
                .isEqualTo("Prometheus at " + address
                        + " did not answer in full within 1000 ms (blueshift.analysis.query-timeout)");
        // The exchange was cancelled, not left running: the server's writes fail long before its minute is up.
        await().atMost(Duration.ofSeconds(20)).untilTrue(finished);
        assertThat(written.get()).isLessThan(600);
    }

    /**
     * Writes {@code size} bytes of a credentials-looking body, declared (Content-Length) or chunked
     * (declared 0), pausing between chunks; records how many were written before the client went away.
     */
    private static void stream(
            HttpExchange exchange, int size, int declared, long pauseMillis, AtomicLong written, AtomicBoolean finished)
            throws IOException {
        try {
            exchange.sendResponseHeaders(200, declared);
            OutputStream out = exchange.getResponseBody();
            byte[] chunk =
                    (pauseMillis > 0 ? "x" : ("\"" + MARKER + "\",").repeat(5000)).getBytes(StandardCharsets.UTF_8);
            out.write('[');
            out.flush();
            for (long sent = 1; sent < size; sent += chunk.length) {
                int n = (int) Math.min(chunk.length, size - sent);
                out.write(chunk, 0, n);
                out.flush();
                written.addAndGet(n);
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
            out.close();
        } catch (IOException e) {
            // the client went away: what the test expects
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.set(true);
            exchange.close();
        }
    }
}
