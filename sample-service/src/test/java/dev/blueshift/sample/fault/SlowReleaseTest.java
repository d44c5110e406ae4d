package dev.blueshift.sample.fault;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.PrometheusScrape;
import dev.blueshift.sample.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Added latency delays every API request, requests with a body included, and shows in the histograms. */
@QuarkusTest
@TestProfile(SlowReleaseProfile.class)
class SlowReleaseTest {

    @Test
    void writesAndReadsStillWorkButTakeAtLeastTheAddedLatency() {
        String sku = Products.uniqueSku();
        Number id = given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(sku, "slow"))
                .when()
                .post("/products")
                .then()
                .statusCode(201)
                .time(greaterThanOrEqualTo(SlowReleaseProfile.LATENCY_MS), TimeUnit.MILLISECONDS)
                .body("sku", equalTo(sku))
                .extract()
                .path("id");
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/{id}", id.longValue())
                .then()
                .statusCode(200)
                .time(greaterThanOrEqualTo(SlowReleaseProfile.LATENCY_MS), TimeUnit.MILLISECONDS);
    }

    @Test
    void theLatencyShowsInTheRequestHistogram() {
        long id = Products.create("slow-metered");
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/{id}", id)
                .then()
                .statusCode(200);
        double seconds = SlowReleaseProfile.LATENCY_MS / 1000.0;
        Map<String, String> reads = Map.of("uri", "/products/{id}", "status", "200");
        PrometheusScrape scrape = PrometheusScrape.now();
        double count = scrape.sum("http_server_requests_seconds_count", reads);
        double fasterThanTheLatency = scrape.find("http_server_requests_seconds_bucket", reads).stream()
                .filter(s -> !s.labels().get("le").equals("+Inf")
                        && Double.parseDouble(s.labels().get("le")) < seconds)
                .mapToDouble(PrometheusScrape.Sample::value)
                .max()
                .orElse(0);
        assertThat(count).isGreaterThanOrEqualTo(1);
        assertThat(fasterThanTheLatency).isZero();
    }
}
