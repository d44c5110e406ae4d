package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.Analysis;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisStage;
import dev.blueshift.operator.api.v1alpha1.spec.CloudWatchAlarmMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusSigV4;
import dev.blueshift.operator.api.v1alpha1.status.MetricStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant's MSD tries to turn the operator's analysis against the cluster: it names a "metadata
 * endpoint" (a local server answering credentials, on an address the admin did not allow) as its
 * Prometheus, signed with the operator's AWS credentials, or someone else's CloudWatch alarm. The
 * operator asks neither, and nothing of the endpoint's answer reaches status or Events: the
 * release is aborted with the refusal as the reason.
 */
@ClusterTest
@KwokOnly
class AnalysisTenantSafetyIT {
    private static final String MARKER = "LEAKED-3c9e1d";
    private static final String CREDENTIALS = "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIA"
            + MARKER + "\",\"SecretAccessKey\":\"" + MARKER + "\",\"Token\":\"" + MARKER + "\"}";
    private static KubernetesClient client;

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    private MsdFixture msds;
    private HttpServer metadata;
    private final AtomicInteger metadataRequests = new AtomicInteger();

    @BeforeAll
    static void connect() {
        LocalControlPlane.ensure();
        client = LocalControlPlane.client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void start() throws IOException {
        msds = new MsdFixture(client, namespace.name());
        metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        metadata.createContext("/", exchange -> {
            metadataRequests.incrementAndGet();
            byte[] body = CREDENTIALS.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        metadata.start();
    }

    @AfterEach
    void stop() {
        metadata.stop(0);
    }

    private String metadataAddress() {
        return "http://127.0.0.1:" + metadata.getAddress().getPort();
    }

    private static AnalysisMetric prometheus(String name, String address, boolean sigv4) {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(address);
        prometheus.setQuery("vector(0)");
        prometheus.setThreshold(0.1);
        if (sigv4) {
            PrometheusSigV4 signing = new PrometheusSigV4();
            signing.setRegion("us-east-1");
            prometheus.setSigv4(signing);
        }
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName(name);
        metric.setPrometheus(prometheus);
        return metric;
    }

    private static Analysis analysis(AnalysisMetric... metrics) {
        Analysis analysis = new Analysis();
        analysis.setInterval("1s");
        analysis.setPrePromotion(new AnalysisStage("5s"));
        analysis.setPostPromotion(new AnalysisStage("0s"));
        analysis.setConsecutiveErrorLimit(1);
        analysis.setMetrics(List.of(metrics));
        return analysis;
    }

    /** Releases r1 (the first release needs no analysis), then r2, whose pre-promotion analysis runs. */
    private MicroserviceDeployment releaseThenUpdate(String name, Analysis analysis) {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), name, 1, name + ":1");
        msd.getSpec().setAnalysis(analysis);
        msds.create(msd);
        awaitStatus(name, "phase Healthy", s -> s.getPhase() == Phase.Healthy);
        msds.edit(name, m -> {
            Msds.setImage(m, name + ":2");
            return m;
        });
        return awaitStatus(name, "phase Aborted", s -> s.getPhase() == Phase.Aborted);
    }

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

    private static MetricStatus metric(MicroserviceDeployment msd, String name) {
        return msd.getStatus().getAnalysis().getMetrics().stream()
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(namespace.name()).list().getItems();
    }

    @Test
    void aMetadataEndpointAsPrometheusIsNeverQueriedAndNothingOfItsAnswerReachesStatusOrEvents() {
        String credentialsPath = metadataAddress() + "/latest/meta-data/iam/security-credentials/node-role";
        // The userinfo trick: the allowed address as "user" of the metadata endpoint.
        String userinfoTrick = "http://127.0.0.1:19090@" + metadataAddress().substring("http://".length()) + "/";
        MicroserviceDeployment aborted = releaseThenUpdate(
                "tenant",
                analysis(prometheus("metadata", credentialsPath, true), prometheus("trick", userinfoTrick, false)));

        assertThat(metadataRequests)
                .as("requests the metadata endpoint received")
                .hasValue(0);
        MetricStatus refused = metric(aborted, "metadata");
        assertThat(refused.getVerdict()).isEqualTo("Error");
        assertThat(refused.getMessage())
                .isEqualTo("prometheus.address " + credentialsPath + " is not allowed by the operator"
                        + " (blueshift.analysis.allowed-prometheus-addresses); ask the cluster admin");
        assertThat(metric(aborted, "trick").getMessage())
                .contains("is not allowed by the operator")
                .contains("userinfo");
        // What the tenant sees: phase Aborted, and the refusal as the reason (consecutiveErrorLimit 1: the second error
        // in a row).
        assertThat(aborted.getStatus().getAbortReason())
                .isEqualTo("pre-promotion checks failed: metadata: 2 provider errors in a row"
                        + " (consecutiveErrorLimit 1), last: " + refused.getMessage());
        assertThat(aborted.getStatus().getActiveRevision())
                .isEqualTo(aborted.getStatus().getStableRevision());

        String status = Serialization.asJson(aborted.getStatus());
        assertThat(status).doesNotContain(MARKER).doesNotContain("AccessKeyId");
        // Events are recorded after the status that records the abort.
        List<Event> events = org.awaitility.Awaitility.await()
                .atMost(MsdFixture.TIMEOUT)
                .until(this::events, list -> list.stream().anyMatch(e -> "Aborted".equals(e.getReason())));
        assertThat(Serialization.asJson(events)).doesNotContain(MARKER).doesNotContain("AccessKeyId");
        assertThat(metadataRequests).hasValue(0);
    }

    @Test
    void anotherTeamsAlarmByNameIsRefusedUnlessTheAdminAllowsIt() {
        CloudWatchAlarmMetric foreign = new CloudWatchAlarmMetric();
        foreign.setAlarmName("payments/{{namespace}}/prod-errors");
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("payments");
        metric.setCloudWatchAlarm(foreign);

        MicroserviceDeployment aborted = releaseThenUpdate("borrower", analysis(metric));

        MetricStatus refused = metric(aborted, "payments");
        assertThat(refused.getVerdict()).isEqualTo("Error");
        assertThat(refused.getMessage())
                .startsWith("cloudWatchAlarm.alarmName payments/" + namespace.name() + "/prod-errors is not allowed"
                        + " by the operator (blueshift.analysis.allowed-alarm-names)");
        assertThat(aborted.getStatus().getAbortReason()).contains("blueshift.analysis.allowed-alarm-names");
    }
}
