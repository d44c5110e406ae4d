package dev.blueshift.sample.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.PrometheusScrape;
import dev.blueshift.sample.support.SampleServiceTestResource;
import dev.blueshift.sample.support.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus sees requests, latencies and cache results, each tagged with the release revision. */
@QuarkusTest
@WithTestResource(value = SampleServiceTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RevisionMetricsTest {
    private static final Map<String, String> THIS_RELEASE =
            Map.of("revision", SampleServiceTestResource.REVISION, "service", "sample-service");

    private static Map<String, String> thisRelease(String... keyValues) {
        Map<String, String> labels = new java.util.HashMap<>(THIS_RELEASE);
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(keyValues[i], keyValues[i + 1]);
        }
        return labels;
    }

    @Test
    void requestsAreCountedByRouteAndStatusWithTheRevision() {
        long id = Products.create("metered");
        PrometheusScrape before = PrometheusScrape.now();
        Map<String, String> okReads = thisRelease("uri", "/products/{id}", "method", "GET", "status", "200");
        Map<String, String> notFound = thisRelease("uri", "/products/{id}", "method", "GET", "status", "404");

        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .get("/products/{id}", id)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .get("/products/{id}", id)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .get("/products/{id}", Long.MAX_VALUE)
                .then()
                .statusCode(404);

        PrometheusScrape after = PrometheusScrape.now();
        assertThat(after.sum("http_server_requests_seconds_count", okReads))
                .isEqualTo(before.sum("http_server_requests_seconds_count", okReads) + 2);
        assertThat(after.sum("http_server_requests_seconds_count", notFound))
                .isEqualTo(before.sum("http_server_requests_seconds_count", notFound) + 1);
    }

    @Test
    void latenciesArePublishedAsHistograms() {
        long id = Products.create("histogram");
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .get("/products/{id}", id)
                .then()
                .statusCode(200);
        PrometheusScrape scrape = PrometheusScrape.now();
        assertThat(scrape.find(
                        "http_server_requests_seconds_bucket", thisRelease("uri", "/products/{id}", "status", "200")))
                .hasSizeGreaterThan(5)
                .anyMatch(s -> s.labels().get("le").equals("+Inf") && s.value() >= 1);
        assertThat(scrape.find(
                        "blueshift_db_queries_seconds_bucket", thisRelease("operation", "find", "outcome", "success")))
                .hasSizeGreaterThan(5);
    }

    @Test
    void cacheHitsAndMissesAreCountedWithTheRevision() {
        long id = Products.create("cache-metered");
        PrometheusScrape before = PrometheusScrape.now();
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .get("/products/{id}", id)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .get("/products/{id}", id)
                .then()
                .statusCode(200);
        PrometheusScrape after = PrometheusScrape.now();
        for (String result : new String[] {"hit", "miss"}) {
            Map<String, String> labels = thisRelease("result", result);
            assertThat(after.sum("blueshift_cache_lookups_total", labels))
                    .as(result)
                    .isEqualTo(before.sum("blueshift_cache_lookups_total", labels) + 1);
        }
    }

    @Test
    void releaseTrafficCountersCountApiRequestsAndOnlyServerErrorsAsErrors() {
        PrometheusScrape before = PrometheusScrape.now();
        given().get("/products/1").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .get("/products/{id}", Long.MAX_VALUE)
                .then()
                .statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
        PrometheusScrape after = PrometheusScrape.now();
        assertThat(after.sum("blueshift_requests_total", THIS_RELEASE))
                .isEqualTo(before.sum("blueshift_requests_total", THIS_RELEASE) + 2);
        assertThat(after.sum("blueshift_errors_total", THIS_RELEASE))
                .isEqualTo(before.sum("blueshift_errors_total", THIS_RELEASE));
        assertThat(after.find("blueshift_errors_total", THIS_RELEASE)).hasSize(1);
    }
}
