package dev.blueshift.sample.fault;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blueshift.sample.support.PrometheusScrape;
import dev.blueshift.sample.support.SampleServiceTestResource;
import dev.blueshift.sample.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Fault injection makes a release bad, and the error counts the operator judges show it. */
@QuarkusTest
@TestProfile(BadReleaseProfile.class)
class BadReleaseTest {
    private static final Map<String, String> THIS_RELEASE = Map.of("revision", SampleServiceTestResource.REVISION);

    @ConfigProperty(name = "blueshift.cloudwatch.endpoint")
    String cloudWatchEndpoint;

    @Test
    void everyApiRequestFailsWithAnInjected500AfterTheAddedLatency() {
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/1")
                .then()
                .statusCode(500)
                .time(greaterThanOrEqualTo(BadReleaseProfile.LATENCY_MS), TimeUnit.MILLISECONDS)
                .body("error", equalTo("injected fault (blueshift.fault.error-rate)"))
                .body("revision", equalTo(SampleServiceTestResource.REVISION));
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/products")
                .then()
                .statusCode(500);
    }

    @Test
    void probesAndMetricsAreNotFaulted() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void injectedErrorsAreCountedAsErrorsOfThisRevision() {
        PrometheusScrape before = PrometheusScrape.now();
        for (int i = 0; i < 3; i++) {
            given().auth()
                    .oauth2(Tokens.access(Tokens.READ))
                    .when()
                    .get("/products/1")
                    .then()
                    .statusCode(500);
        }
        PrometheusScrape after = PrometheusScrape.now();
        assertThat(after.sum("blueshift_errors_total", THIS_RELEASE))
                .isEqualTo(before.sum("blueshift_errors_total", THIS_RELEASE) + 3);
        assertThat(after.sum("blueshift_requests_total", THIS_RELEASE))
                .isEqualTo(before.sum("blueshift_requests_total", THIS_RELEASE) + 3);
    }

    @Test
    void requestAndErrorCountsReachCloudWatchWithServiceAndRevisionDimensions() throws Exception {
        for (int i = 0; i < 4; i++) {
            given().auth()
                    .oauth2(Tokens.access(Tokens.READ))
                    .when()
                    .get("/products/1")
                    .then()
                    .statusCode(500);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode calls = recordedCalls();
            assertThat(sumOf(calls, "Errors")).isGreaterThanOrEqualTo(4);
            assertThat(sumOf(calls, "Requests")).isGreaterThanOrEqualTo(4);
        });
        JsonNode call = recordedCalls().get(0);
        assertThat(call.path("Namespace").asText()).isEqualTo("Blueshift/SampleService");
        JsonNode datum = call.path("MetricData").get(0);
        assertThat(datum.path("Unit").asText()).isEqualTo("Count");
        Map<String, String> dimensions = new java.util.HashMap<>();
        datum.path("Dimensions")
                .forEach(d ->
                        dimensions.put(d.path("Name").asText(), d.path("Value").asText()));
        assertThat(dimensions)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("Service", "sample-service", "Revision", SampleServiceTestResource.REVISION));
    }

    private JsonNode recordedCalls() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cloudWatchEndpoint + "/recorded"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    private static double sumOf(JsonNode calls, String metricName) {
        double sum = 0;
        for (JsonNode call : calls) {
            for (JsonNode datum : call.path("MetricData")) {
                if (datum.path("MetricName").asText().equals(metricName)) {
                    sum += datum.path("Value").asDouble();
                }
            }
        }
        return sum;
    }
}
